package io.meshcast.adapter.pipeline;

import io.meshcast.adapter.pipeline.CoverageRule.CoverageRow;
import io.meshcast.adapter.source.MetricSource;
import io.meshcast.adapter.source.RangeSeries;
import io.meshcast.adapter.source.Sample;
import io.meshcast.adapter.source.SourceException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs every metric definition's query once per interval and publishes an immutable {@link
 * Snapshot}. The number of queries per refresh equals the number of definitions, whatever the
 * number of HPAs, pods, series or API requests.
 *
 * <p>A failed query keeps the definition's previous series (with their old refresh time, so the
 * staleness policy ages them out) and records the error; one bad query never hides the others.
 * Refreshes never overlap: a tick that finds the previous refresh still running is skipped.
 * Decoding, indexing and the bootstrap's history building run off the event loop, on the shared
 * {@value #POOL} worker pool: a 794-service bootstrap answer turned into histories took up to
 * ~100 ms per definition, a stall of every request on that event loop (issue 14). Thread-safe.
 */
public final class Refresher {

  private static final Logger LOG = Logger.getLogger(Refresher.class.getName());

  /** The worker pool of snapshot building, shared by every refresher of a Vert.x. */
  static final String POOL = "meshcast-refresh";

  private final Vertx vertx;
  private final WorkerExecutor worker;
  private final MetricSource source;
  private final Clock clock;
  private final Supplier<List<MetricDefinition>> definitions;
  private final SnapshotAssembler assembler;
  private final PipelineMetrics metrics;
  private final SnapshotListeners listeners;
  private final AtomicReference<Snapshot> current;
  private volatile boolean running;
  private volatile boolean stopped;
  private volatile long timerId = -1;
  private volatile boolean unmeasuredLogged;

  /**
   * @param definitions evaluated at each refresh (so regime auto-detection can change them)
   * @param current where snapshots are published; its value is the starting point
   * @param listeners told about every snapshot this refresher publishes, after it is visible in
   *     {@code current}
   */
  public Refresher(
      Vertx vertx,
      MetricSource source,
      Clock clock,
      Supplier<List<MetricDefinition>> definitions,
      int historyPoints,
      PipelineMetrics metrics,
      AtomicReference<Snapshot> current,
      SnapshotListeners listeners) {
    this.vertx = vertx;
    // Two threads: refreshes never overlap; more would only compete with the forecast pool.
    this.worker = vertx.createSharedWorkerExecutor(POOL, 2);
    this.source = source;
    this.clock = clock;
    this.definitions = definitions;
    this.assembler = new SnapshotAssembler(historyPoints);
    this.metrics = metrics;
    this.current = current;
    this.listeners = listeners;
  }

  /** Refreshes every {@code interval} until {@link #stop()}. */
  public void start(Duration interval) {
    timerId = vertx.setPeriodic(interval.toMillis(), id -> refresh());
  }

  /** Stops the timer and releases the pool; a refresh in flight no longer publishes. */
  public void stop() {
    if (stopped) {
      return;
    }
    stopped = true;
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
    }
    worker.close();
  }

  /**
   * Runs one refresh now and publishes its snapshot; succeeds even when queries fail (the failures
   * are in the snapshot). Returns the previous snapshot if a refresh is already running.
   */
  public Future<Snapshot> refresh() {
    if (running) {
      return Future.succeededFuture(current.get());
    }
    running = true;
    long t0 = System.nanoTime();
    Instant at = clock.instant();
    List<MetricDefinition> defs = definitions.get();
    List<Future<MetricResult>> parts = new ArrayList<>(defs.size());
    Snapshot before = current.get();
    // One coverage query per distinct companion (one per level), sent once the first value query
    // of that level has answered (nothing extra is sent while Prometheus fails).
    Map<String, Future<Map<Map<String, String>, CoverageRow>>> coverage =
        new java.util.concurrent.ConcurrentHashMap<>();
    for (MetricDefinition d : defs) {
      MetricResult previous = before.results().get(d.key());
      long q0 = System.nanoTime();
      parts.add(source.query(d.promql(), at)
          .andThen(ar -> metrics.queryDuration(d, "instant", System.nanoTime() - q0))
          .compose(samples -> withCoverage(d, samples, at, coverage))
          .compose(w -> worker.executeBlocking(() -> build(d, previous, w), false))
          .recover(e -> {
            metrics.query(d, false);
            String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            // Log changes of state, not every failed tick (a down Prometheus would flood).
            if (previous == null || !previous.lastError().equals(Optional.of(msg))) {
              LOG.log(Level.WARNING, "event=refresh-failed metric=" + d.name() + " level="
                  + d.level().name().toLowerCase(java.util.Locale.ROOT) + " error=\"" + msg
                  + "\"");
            }
            return Future.succeededFuture(assembler.failed(d, previous, msg));
          }));
    }
    return Future.join(parts)
        .transform(ignored -> {
          try {
            Map<String, MetricResult> results = new LinkedHashMap<>();
            for (Future<MetricResult> f : parts) {
              MetricResult r = f.result();
              results.put(r.definition().key(), r);
            }
            Snapshot next = new Snapshot(clock.instant(), results);
            metrics.refreshed((System.nanoTime() - t0) / 1e9);
            if (!stopped) {
              // A refresher replaced by a config reload must not overwrite its successor's work.
              current.set(next);
              running = false;
              listeners.publish(next);
            }
            return Future.succeededFuture(next);
          } finally {
            running = false; // never leave the refresh wedged, whatever happened above
          }
        });
  }

  /** The metric label of the coverage companion's query timings. */
  static final String COVERAGE_METRIC = "window_coverage";

  /**
   * A definition's rows with what its coverage companion said about them ({@code coverage} null
   * when the source gave no coverage rows at all).
   */
  private record Windowed(
      List<Sample> samples,
      Map<Map<String, String>, CoverageRow> coverage,
      Map<Map<String, String>, Double> covered) {}

  /**
   * Joins a definition's rows with its coverage companion and, when some row is partial, queries
   * the covered-span form of the definition (a second round trip only while windows are partial).
   * A failed companion fails the definition's refresh: values of unknown coverage are not served
   * as fresh.
   */
  private Future<Windowed> withCoverage(MetricDefinition d, List<Sample> samples, Instant at,
      Map<String, Future<Map<Map<String, String>, CoverageRow>>> coverage) {
    if (d.coverage().isEmpty()) {
      return Future.succeededFuture(new Windowed(samples, Map.of(), Map.of()));
    }
    MetricDefinition.CoverageSpec spec = d.coverage().get();
    return coverage.computeIfAbsent(spec.query().apply(at), q -> {
          long q0 = System.nanoTime();
          return source.query(q, at)
              .andThen(ar -> metrics.queryDuration(COVERAGE_METRIC, d.level(), "coverage",
                  System.nanoTime() - q0))
              .map(CoverageRow::index);
        })
        .recover(e -> Future.failedFuture("window coverage query failed: " + e.getMessage()))
        .compose(cov -> {
          if (cov.isEmpty() && !samples.isEmpty()) {
            // Prometheus always has coverage rows where it has values; a source without them
            // (not Prometheus-compatible for subqueries) is served unchecked, loudly.
            if (!unmeasuredLogged) {
              unmeasuredLogged = true;
              LOG.warning("event=window-coverage-unmeasured metric=" + d.name() + " detail=\"the"
                  + " source returned values but no rows for the coverage companion query;"
                  + " windows are served unchecked (counted as outcome=unmeasured)\"");
            }
            return Future.succeededFuture(new Windowed(samples, null, Map.of()));
          }
          boolean anyPartial = samples.stream().anyMatch(s -> {
            CoverageRow r = cov.get(s.labels());
            return r == null || !(r.fraction() >= CoverageRule.COMPLETE);
          });
          if (!anyPartial) {
            return Future.succeededFuture(new Windowed(samples, cov, Map.of()));
          }
          long q0 = System.nanoTime();
          return source.query(spec.coveredPromql(), at)
              .andThen(ar -> metrics.queryDuration(d, "covered", System.nanoTime() - q0))
              .recover(e -> Future.failedFuture("covered-span query failed: " + e.getMessage()))
              .map(rows -> {
                Map<Map<String, String>, Double> covered = new HashMap<>();
                rows.forEach(r -> covered.put(r.labels(), r.value()));
                return new Windowed(samples, cov, covered);
              });
        });
  }

  private MetricResult build(MetricDefinition d, MetricResult previous, Windowed w) {
    metrics.query(d, true);
    if (previous != null && previous.lastError().isPresent()) {
      LOG.info("event=refresh-recovered metric=" + d.name() + " level="
          + d.level().name().toLowerCase(java.util.Locale.ROOT));
    }
    Instant at = clock.instant();
    MetricResult r = assembler.assemble(d, previous, w.samples(), at, s -> {
      double v = s.value();
      if (d.coverage().isEmpty() || w.coverage() == null) {
        return new SnapshotAssembler.Judged(v, WindowCoverage.FULL);
      }
      WindowCoverage cov = CoverageRule.judge(
          d.coverage().get(), w.coverage().get(s.labels()), w.covered().get(s.labels()));
      Double c = w.covered().get(s.labels());
      // Not fully covered: the covered-span value replaces a plain rate that under-estimates.
      return new SnapshotAssembler.Judged(
          cov.fraction() < CoverageRule.COMPLETE && c != null ? c : v, cov);
    });
    if (d.coverage().isPresent() && w.coverage() == null) {
      metrics.unmeasured(d, r.series().size());
    } else if (d.coverage().isPresent()) {
      List<SeriesValue> out = new ArrayList<>(r.series());
      int vanished = carryVanished(d, w, previous, out, at);
      if (vanished > 0) {
        r = MetricResult.of(d, at, out, r.unidentified());
      }
    }
    int partial = 0;
    int insufficient = 0;
    for (SeriesValue v : r.series()) {
      if (v.coverage().state() == WindowCoverage.State.PARTIAL) {
        partial++;
      } else if (v.coverage().state() == WindowCoverage.State.INSUFFICIENT) {
        insufficient++;
      }
    }
    metrics.unidentified(d, r.unidentified());
    metrics.series(d, r.series().size());
    metrics.windows(d, partial, insufficient);
    logCoverageChange(d, previous, partial, insufficient);
    return r;
  }

  /**
   * Rows without a value that still have samples (right after a Prometheus restart {@code rate}
   * needs two) and series that vanished from an empty window (Prometheus just back, nothing
   * scraped yet) are kept as insufficient, so that requests get the staleness policy's 503 rather
   * than a "no such series" 404. A vanished series is dropped once its last complete value is
   * older than twice the window plus a minute (a deleted service then answers 404 again).
   */
  private int carryVanished(MetricDefinition d, Windowed w, MetricResult previous,
      List<SeriesValue> out, Instant at) {
    Map<Map<String, String>, SeriesValue> old = new HashMap<>();
    if (previous != null) {
      for (SeriesValue s : previous.series()) {
        old.put(s.identity().labels(), s);
      }
    }
    java.util.Set<Map<String, String>> present = new java.util.HashSet<>();
    out.forEach(v -> present.add(v.identity().labels()));
    Duration keep = Duration.ofSeconds(2 * d.windowSeconds().orElse(0) + 60);
    int n = 0;
    for (Map.Entry<Map<String, String>, CoverageRow> e : w.coverage().entrySet()) {
      Optional<SeriesIdentity> id = d.identify().apply(e.getKey());
      if (id.isPresent() && present.add(id.get().labels())) {
        SeriesValue prev = old.get(id.get().labels());
        WindowCoverage cov = new WindowCoverage(0, Math.max(0, e.getValue().samples()), 0,
            WindowCoverage.State.INSUFFICIENT);
        out.add(prev != null
            ? new SeriesValue(id.get(), prev.timestamp(), prev.value(), prev.history(), cov)
            : new SeriesValue(id.get(), at, Double.NaN, History.empty(), cov));
        n++;
      }
    }
    for (SeriesValue prev : old.values()) {
      if (present.add(prev.identity().labels())
          && Duration.between(prev.timestamp(), at).compareTo(keep) <= 0) {
        out.add(new SeriesValue(prev.identity(), prev.timestamp(), prev.value(), prev.history(),
            new WindowCoverage(0, 0, 0, WindowCoverage.State.INSUFFICIENT)));
        n++;
      }
    }
    return n;
  }

  private static void logCoverageChange(
      MetricDefinition d, MetricResult previous, int partial, int insufficient) {
    boolean was = previous != null && previous.series().stream().anyMatch(SeriesValue::partial);
    boolean is = partial + insufficient > 0;
    if (was != is) {
      LOG.info("event=" + (is ? "partial-windows" : "windows-complete") + " metric=" + d.name()
          + " level=" + d.level().name().toLowerCase(java.util.Locale.ROOT) + " partial="
          + partial + " insufficient=" + insufficient + (is ? " detail=\"rate windows not"
          + " fully covered by samples (Prometheus or scrape gap, new pod): partial values are"
          + " computed over the covered span and not fed to the models\"" : ""));
    }
  }

  /**
   * Range-queries every definition over {@code [now - window, now]} at {@code step}, for
   * forecasters that need more than the refreshed points, and identifies each series as the
   * refresh does (unidentified series are dropped). One query per definition; failures are logged
   * and give an empty list. Returns the series by {@link MetricDefinition#key()}.
   *
   * <p>Definitions are queried one after another, and an answer larger than {@code
   * prometheus.maxResponseBytes} is split: the range is queried again in two halves (recursively,
   * up to {@value #MAX_BOOTSTRAP_SPLITS} times, 2^{@value #MAX_BOOTSTRAP_SPLITS} slices) and the
   * slices are joined. Two days of a large mesh's services at one-minute steps are more than the
   * 64 MiB default in one answer (issue 14: 794 services failed every bootstrap query); one query
   * at a time bounds the transient memory by one answer.
   */
  public Future<Map<String, List<SeriesHistory>>> bootstrap(Duration window, Duration step) {
    return bootstrap(window, step, d -> true);
  }

  /** As {@link #bootstrap(Duration, Duration)}, querying only the definitions {@code wanted}. */
  public Future<Map<String, List<SeriesHistory>>> bootstrap(Duration window, Duration step,
      java.util.function.Predicate<MetricDefinition> wanted) {
    Instant end = clock.instant();
    Instant start = end.minus(window);
    List<MetricDefinition> defs = definitions.get().stream().filter(wanted).toList();
    Map<String, List<SeriesHistory>> out = new LinkedHashMap<>();
    Future<Void> chain = Future.succeededFuture();
    for (MetricDefinition d : defs) {
      chain = chain.compose(v -> rangeInSlices(d, start, end, step, 0)
          .compose(ranges -> worker.executeBlocking(() -> identified(d, ranges), false))
          .recover(e -> {
            LOG.log(Level.WARNING, "event=bootstrap-failed metric=" + d.name() + " level="
                + d.level().name().toLowerCase(java.util.Locale.ROOT) + " error=\""
                + e.getMessage() + "\"");
            return Future.succeededFuture(List.of());
          })
          .map(list -> {
            out.put(d.key(), list);
            return null;
          }));
    }
    return chain.map(v -> out);
  }

  /** Splits of a too-large bootstrap answer: at most 2^this slices per definition. */
  static final int MAX_BOOTSTRAP_SPLITS = 6;

  private Future<List<RangeSeries>> rangeInSlices(MetricDefinition d, Instant start, Instant end,
      Duration step, int depth) {
    long q0 = System.nanoTime();
    return source.queryRange(d.promql(), start, end, step)
        .andThen(ar -> metrics.queryDuration(d, "range", System.nanoTime() - q0))
        .recover(e -> {
          long steps = Duration.between(start, end).toMillis() / Math.max(1, step.toMillis());
          if (!SourceException.tooLarge(e) || depth >= MAX_BOOTSTRAP_SPLITS || steps < 2) {
            return Future.failedFuture(e);
          }
          Instant mid = start.plus(step.multipliedBy(steps / 2));
          LOG.info("event=bootstrap-split metric=" + d.name() + " level="
              + d.level().name().toLowerCase(java.util.Locale.ROOT) + " slices=" + (2 << depth)
              + " detail=\"answer larger than prometheus.maxResponseBytes: querying the range in"
              + " halves\"");
          return rangeInSlices(d, start, mid, step, depth + 1)
              .compose(a -> rangeInSlices(d, mid.plus(step), end, step, depth + 1)
                  .compose(b -> worker.executeBlocking(() -> RangeSeries.joined(a, b), false)));
        });
  }

  private static List<SeriesHistory> identified(MetricDefinition d, List<RangeSeries> ranges) {
    List<SeriesHistory> out = new ArrayList<>(ranges.size());
    for (RangeSeries r : ranges) {
      d.identify().apply(r.labels()).ifPresent(id -> out.add(new SeriesHistory(id,
          History.of(r.timestampsMillis(), r.values(), r.size()))));
    }
    return out;
  }
}
