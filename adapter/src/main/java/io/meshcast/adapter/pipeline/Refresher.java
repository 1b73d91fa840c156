package io.meshcast.adapter.pipeline;

import io.meshcast.adapter.source.MetricSource;
import io.meshcast.adapter.source.RangeSeries;
import io.meshcast.adapter.source.Sample;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
 * Decoding and indexing run off the event loop. Thread-safe.
 */
public final class Refresher {

  private static final Logger LOG = Logger.getLogger(Refresher.class.getName());

  private final Vertx vertx;
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

  /** Stops the timer; a refresh still in flight completes but no longer publishes. */
  public void stop() {
    stopped = true;
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
    }
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
    for (MetricDefinition d : defs) {
      MetricResult previous = before.results().get(d.key());
      long q0 = System.nanoTime();
      parts.add(source.query(d.promql(), at)
          .andThen(ar -> metrics.queryDuration(d, "instant", System.nanoTime() - q0))
          .compose(samples -> vertx.executeBlocking(
              () -> build(d, previous, samples), false))
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

  private MetricResult build(MetricDefinition d, MetricResult previous, List<Sample> samples) {
    metrics.query(d, true);
    if (previous != null && previous.lastError().isPresent()) {
      LOG.info("event=refresh-recovered metric=" + d.name() + " level="
          + d.level().name().toLowerCase(java.util.Locale.ROOT));
    }
    MetricResult r = assembler.assemble(d, previous, samples, clock.instant());
    metrics.unidentified(d, r.unidentified());
    metrics.series(d, r.series().size());
    return r;
  }

  /**
   * Range-queries every definition over {@code [now - window, now]} at {@code step}, for
   * forecasters that need more than the refreshed points, and identifies each series as the
   * refresh does (unidentified series are dropped). One query per definition; failures are logged
   * and give an empty list. Returns the series by {@link MetricDefinition#key()}.
   */
  public Future<Map<String, List<SeriesHistory>>> bootstrap(Duration window, Duration step) {
    Instant end = clock.instant();
    Instant start = end.minus(window);
    List<MetricDefinition> defs = definitions.get();
    List<Future<List<SeriesHistory>>> parts = new ArrayList<>();
    for (MetricDefinition d : defs) {
      long q0 = System.nanoTime();
      parts.add(source.queryRange(d.promql(), start, end, step)
          .andThen(ar -> metrics.queryDuration(d, "range", System.nanoTime() - q0))
          .map(ranges -> identified(d, ranges))
          .recover(e -> {
            LOG.log(Level.WARNING, "event=bootstrap-failed metric=" + d.name() + " level="
                + d.level().name().toLowerCase(java.util.Locale.ROOT) + " error=\""
                + e.getMessage() + "\"");
            return Future.succeededFuture(List.of());
          }));
    }
    return Future.join(parts).map(ignored -> {
      Map<String, List<SeriesHistory>> out = new LinkedHashMap<>();
      for (int i = 0; i < defs.size(); i++) {
        out.put(defs.get(i).key(), parts.get(i).result());
      }
      return out;
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
