package io.meshcast.adapter.predict;

import io.meshcast.adapter.config.RuleConfig.Combine;
import io.meshcast.adapter.kuma.KumaPipeline;
import io.meshcast.adapter.observability.ForecastMetrics;
import io.meshcast.adapter.pipeline.Level;
import io.meshcast.adapter.pipeline.MetricDefinition;
import io.meshcast.adapter.pipeline.MetricResult;
import io.meshcast.adapter.pipeline.PipelineMetrics;
import io.meshcast.adapter.pipeline.Policies;
import io.meshcast.adapter.pipeline.Refresher;
import io.meshcast.adapter.pipeline.SeriesHistory;
import io.meshcast.adapter.pipeline.SeriesIdentity;
import io.meshcast.adapter.pipeline.SeriesValue;
import io.meshcast.adapter.pipeline.Snapshot;
import io.meshcast.adapter.provider.CustomMetricsProvider;
import io.meshcast.adapter.provider.ExternalMetricsProvider;
import io.meshcast.adapter.provider.snapshot.ServingState;
import io.meshcast.adapter.provider.snapshot.SnapshotMetricsProvider;
import io.meshcast.adapter.source.Sample;
import io.meshcast.forecast.FitReport;
import io.meshcast.forecast.ForecasterConfig;
import io.meshcast.forecast.Forecasters;
import io.meshcast.forecast.SeriesForecaster;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;

/**
 * The forecast and anomaly layer over a metrics pipeline. After each refresh of the pipeline it
 * feeds every golden-signal series to its own {@link SeriesForecaster} (created lazily, or
 * bootstrapped from Prometheus history at start), applies the safety rules of {@link SeriesModel}
 * and publishes the derived metrics of {@link DerivedNames} as a second immutable snapshot, served
 * by {@link #customMetricsProvider()} / {@link #externalMetricsProvider()} next to the base
 * metrics.
 *
 * <p><b>Threads.</b> Feeding, bootstrapping and refits run on a named shared worker executor
 * ({@code meshcast-forecast}); the event loop only polls a volatile reference and swaps snapshots.
 * Requests read immutable snapshots (no I/O, no model access).
 *
 * <p><b>Staleness.</b> A derived metric is refreshed only while its base metric's latest query
 * succeeded; when the base query fails the derived metric keeps its last refresh time and ages
 * out under the base metric's {@code maxAge} policy exactly as the base does, so the HPA gets an
 * error (and holds) rather than an old forecast.
 */
public final class PredictiveLayer {

  private static final Logger LOG = Logger.getLogger(PredictiveLayer.class.getName());
  /** Models of series absent for this many consecutive refreshes are dropped (bounded memory). */
  private static final int DROP_AFTER_REFRESHES = 60;

  /** Bootstrap progress, shown on /debug and in error messages. */
  public enum BootstrapState {
    PENDING,
    RUNNING,
    DONE,
    FAILED,
    SKIPPED
  }

  private final Vertx vertx;
  private final PipelineView view;
  private final PredictConfig config;
  private final Clock clock;
  private final WorkerExecutor worker;
  private final ForecastMetrics metrics;
  private final Duration step;
  private final int leadSteps;
  private final ForecasterConfig forecasterConfig;
  private final Map<SeriesKey, SeriesModel> models = new ConcurrentHashMap<>();
  private final DerivedSource derivedSource = new DerivedSource();
  private final AtomicReference<Snapshot> derived;
  private final Refresher derivedRefresher;
  private final SnapshotMetricsProvider derivedProvider;
  private final Set<String> derivedNames;
  private volatile List<MetricDefinition> derivedDefinitions = List.of();
  private volatile Map<String, SeriesReport> reports = Map.of();
  private volatile BootstrapState bootstrap = BootstrapState.PENDING;
  private volatile String bootstrapDetail = "";
  private volatile Instant lastProcessed = Instant.EPOCH;
  private volatile Optional<String> lastError = Optional.empty();
  private volatile boolean processing;
  private long generation;
  private String lastFallbackSummary = "";
  private Future<Void> bootstrapped = Future.succeededFuture();
  private long timerId = -1;

  /** A series: its definition and its labels. */
  record SeriesKey(String definitionKey, Map<String, String> labels) {}

  private PredictiveLayer(Vertx vertx, PipelineView view, PredictConfig config, Clock clock,
      WorkerExecutor worker, ForecastMetrics metrics) {
    this.vertx = vertx;
    this.view = view;
    this.config = config;
    this.clock = clock;
    this.worker = worker;
    this.metrics = metrics;
    this.step = config.step().orElse(view.refreshInterval());
    this.leadSteps = (int) Math.max(1,
        (config.lead().toMillis() + step.toMillis() - 1) / step.toMillis());
    this.forecasterConfig = SeriesModel.forecasterConfig(config, step, leadSteps);
    this.derivedNames = Set.copyOf(DerivedNames.all(config.signals()));
    this.derived = new AtomicReference<>(Snapshot.empty(clock.instant()));
    this.derivedRefresher = new Refresher(vertx, derivedSource, clock, () -> derivedDefinitions,
        Math.max(16, view.historyPoints()), PipelineMetrics.unregistered(), derived);
    Policies policies = new Policies(
        m -> view.policyFor(DerivedNames.base(m).orElse(m)), PipelineMetrics.unregistered(),
        clock);
    this.derivedProvider =
        new SnapshotMetricsProvider(derived::get, this::derivedState, policies);
  }

  /**
   * Starts the layer over the Kuma pipeline: bootstraps models from Prometheus history in the
   * background and follows every refresh.
   */
  public static PredictiveLayer start(Vertx vertx, KumaPipeline pipeline, PredictConfig config,
      Clock clock, ForecastMetrics metrics) {
    return start(vertx, new KumaPipelineView(pipeline), config, clock, metrics);
  }

  /** The view the layer reads from a Kuma pipeline. */
  public static PipelineView view(KumaPipeline pipeline) {
    return new KumaPipelineView(pipeline);
  }

  /** Starts the layer over any pipeline (the demo, tests). */
  public static PredictiveLayer start(Vertx vertx, PipelineView view, PredictConfig config,
      Clock clock, ForecastMetrics metrics) {
    WorkerExecutor worker = vertx.createSharedWorkerExecutor("meshcast-forecast",
        config.workers(), 5, java.util.concurrent.TimeUnit.MINUTES);
    PredictiveLayer layer = new PredictiveLayer(vertx, view, config, clock, worker, metrics);
    layer.begin(true);
    return layer;
  }

  /** A layer that processes only when {@link #processNow()} is called (tests). */
  static PredictiveLayer startManual(Vertx vertx, PipelineView view, PredictConfig config,
      Clock clock, ForecastMetrics metrics) {
    WorkerExecutor worker = vertx.createSharedWorkerExecutor("meshcast-forecast-test",
        config.workers(), 5, java.util.concurrent.TimeUnit.MINUTES);
    PredictiveLayer layer = new PredictiveLayer(vertx, view, config, clock, worker, metrics);
    layer.begin(false);
    return layer;
  }

  /** Completes when the bootstrap has finished (successfully or not). */
  public Future<Void> bootstrapped() {
    return bootstrapped;
  }

  /**
   * The provider the API serves: derived metrics from this layer, every other metric from the
   * base providers (the pipeline's).
   */
  public PredictiveProvider provider(CustomMetricsProvider baseCustom,
      ExternalMetricsProvider baseExternal) {
    return new PredictiveProvider(derivedNames, derivedProvider, baseCustom, baseExternal, this,
        metrics);
  }

  /** The latest report of every modelled series, by id. */
  public Map<String, SeriesReport> reports() {
    return reports;
  }

  /** The pipeline this layer follows. */
  public PipelineView pipeline() {
    return view;
  }

  /** The derived metrics' snapshot (their recent history lives in its series). */
  public Snapshot derivedSnapshot() {
    return derived.get();
  }

  public BootstrapState bootstrapState() {
    return bootstrap;
  }

  public String bootstrapDetail() {
    return bootstrapDetail;
  }

  /** When the layer last processed a pipeline snapshot. */
  public Instant lastProcessed() {
    return lastProcessed;
  }

  /** The last processing error, if the last processing failed. */
  public Optional<String> lastError() {
    return lastError;
  }

  /** The lead in steps and the model step. */
  public int leadSteps() {
    return leadSteps;
  }

  public Duration step() {
    return step;
  }

  public PredictConfig config() {
    return config;
  }

  /** Names of the derived metrics served. */
  public Set<String> derivedNames() {
    return derivedNames;
  }

  /** Processes the pipeline's latest snapshot now (tests); completes when derived is published. */
  public Future<Snapshot> processNow() {
    return process(view.snapshot());
  }

  public Future<Void> close() {
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
    }
    return worker.close();
  }

  private void begin(boolean follow) {
    bootstrapped = config.bootstrap() ? bootstrapModels() : skipBootstrap();
    bootstrapped.onComplete(v -> {
      if (!follow) {
        return;
      }
      long poll = Math.max(100, Math.min(1_000, view.refreshInterval().toMillis() / 5));
      timerId = vertx.setPeriodic(poll, id -> {
        Snapshot s = view.snapshot();
        if (!processing && s.publishedAt().isAfter(lastProcessed)
            && !s.results().isEmpty()) {
          process(s);
        }
      });
    });
  }

  private Future<Void> skipBootstrap() {
    bootstrap = BootstrapState.SKIPPED;
    bootstrapDetail = "disabled (forecast.bootstrap: false)";
    return Future.succeededFuture();
  }

  /**
   * Loads history with one range query per definition, then fits each series' model on the worker
   * pool (one task per series, so the pool's threads fit in parallel). Failures leave the models to
   * start empty and learn from live data.
   */
  private Future<Void> bootstrapModels() {
    bootstrap = BootstrapState.RUNNING;
    bootstrapDetail = "querying history";
    long t0 = System.nanoTime();
    return view.bootstrapHistory()
        .compose(history -> {
          List<Future<Boolean>> fits = new ArrayList<>();
          Map<String, MetricDefinition> defs = new HashMap<>();
          for (MetricDefinition d : view.definitions()) {
            defs.put(d.key(), d);
          }
          for (Map.Entry<String, List<SeriesHistory>> e : history.entrySet()) {
            MetricDefinition d = defs.get(e.getKey());
            if (d == null || !modelled(d)) {
              continue;
            }
            for (SeriesHistory sh : e.getValue()) {
              fits.add(worker.executeBlocking(() -> load(d, sh), false));
            }
          }
          bootstrapDetail = "fitting " + fits.size() + " series";
          return Future.join(fits).map(v -> fits.stream().filter(Future::succeeded)
              .filter(Future::result).count());
        })
        .map(n -> {
          long ms = Duration.ofNanos(System.nanoTime() - t0).toMillis();
          bootstrap = BootstrapState.DONE;
          bootstrapDetail = n + " series bootstrapped in " + ms + " ms";
          LOG.info("event=forecast_bootstrap series=" + n + " duration_ms=" + ms);
          return (Void) null;
        })
        .recover(e -> {
          bootstrap = BootstrapState.FAILED;
          bootstrapDetail = "failed: " + e.getMessage() + " (models learn from live data)";
          LOG.warning("event=forecast_bootstrap_failed error=\"" + e.getMessage() + "\"");
          return Future.succeededFuture();
        });
  }

  /** Fits one series' model from its range history; false when it has no points. */
  private boolean load(MetricDefinition d, SeriesHistory sh) {
    if (sh.history().size() == 0) {
      return false;
    }
    long[] t = sh.history().timestampsMillis();
    double[] grid = Resample.onGrid(t, sh.history().values(), step.toMillis(),
        forecasterConfig.historyCapacity());
    long start = Resample.gridStart(t, step.toMillis(), grid.length);
    long t0 = System.nanoTime();
    SeriesForecaster f = Forecasters.create(forecasterConfig, start, grid);
    if (f.status().refits() > 0) {
      metrics.fit(true, System.nanoTime() - t0);
    }
    metrics.bootstrapPoints(grid.length);
    long last = start + (grid.length - 1) * step.toMillis();
    models.put(new SeriesKey(d.key(), sh.identity().labels()),
        newModel(d, f, Optional.of(last)));
    return true;
  }

  private SeriesModel newModel(MetricDefinition d, SeriesForecaster f, Optional<Long> last) {
    return new SeriesModel(f, last, leadSteps, config.safety(), config.maxRelativeError(),
        d.name().equals("kuma_error_ratio"));
  }

  private boolean modelled(MetricDefinition d) {
    return (d.level() == Level.SERVICE || d.level() == Level.POD)
        && config.signals().contains(d.name());
  }

  private Future<Snapshot> process(Snapshot base) {
    processing = true;
    return worker.executeBlocking(() -> derive(base), true)
        .compose(v -> derivedRefresher.refresh())
        .andThen(ar -> {
          processing = false;
          lastProcessed = base.publishedAt();
          lastError = ar.failed() ? Optional.of(String.valueOf(ar.cause().getMessage()))
              : Optional.empty();
          if (ar.failed()) {
            LOG.warning("event=forecast_update_failed error=\"" + ar.cause() + "\"");
          }
        });
  }

  /** Feeds the snapshot to the models, derives the served values and schedules due refits. */
  private Void derive(Snapshot base) {
    long t0 = System.nanoTime();
    long gen = ++generation;
    Map<String, SeriesReport> out = new LinkedHashMap<>();
    Map<String, MetricDefinition> byKey = new LinkedHashMap<>();
    for (MetricDefinition d : view.definitions()) {
      byKey.put(d.key(), d);
    }
    for (MetricDefinition d : byKey.values()) {
      if (!modelled(d)) {
        continue;
      }
      MetricResult r = base.results().get(d.key());
      if (r == null || r.refreshedAt().isEmpty()) {
        continue;
      }
      for (SeriesValue v : r.series()) {
        SeriesKey key = new SeriesKey(d.key(), v.identity().labels());
        SeriesModel m = models.computeIfAbsent(key,
            k -> newModel(d, Forecasters.create(forecasterConfig), Optional.empty()));
        m.lastSeenGeneration = gen;
        String id = id(d, v.identity());
        if (v.partial()) {
          metrics.partialSkipped(d.name()); // a partial window is not an observation (issue 17)
        } else if (m.observe(id, d.level(), v.identity(), v.timestamp(), v.value())) {
          metrics.anomalyScore(d.name(), m.report().anomalyScore());
        }
        out.put(id, m.report());
        if (m.forecaster().refitDue() && !m.refitting) {
          scheduleRefit(m);
        }
      }
    }
    models.values().removeIf(m -> gen - m.lastSeenGeneration > DROP_AFTER_REFRESHES);
    reports = Map.copyOf(out);
    publishDerived(base, byKey);
    record(out.values());
    metrics.update(System.nanoTime() - t0);
    return null;
  }

  private void scheduleRefit(SeriesModel m) {
    m.refitting = true;
    worker.executeBlocking(() -> {
      long t0 = System.nanoTime();
      try {
        FitReport r = m.forecaster().refit();
        metrics.fit(true, System.nanoTime() - t0);
        return r;
      } catch (RuntimeException e) {
        metrics.fit(false, 0);
        throw e;
      } finally {
        m.refitting = false;
      }
    }, false);
  }

  /** Builds the derived definitions and their values for the derived refresher. */
  private void publishDerived(Snapshot base, Map<String, MetricDefinition> byKey) {
    List<MetricDefinition> defs = new ArrayList<>();
    Map<String, DerivedSource.Answer> answers = new HashMap<>();
    for (MetricDefinition d : byKey.values()) {
      if (!modelled(d)) {
        continue;
      }
      MetricResult r = base.results().get(d.key());
      MetricDefinition fc = derivedDefinition(d, d.name() + DerivedNames.FORECAST, d.combine(),
          d.windowSeconds());
      MetricDefinition an = derivedDefinition(d, d.name() + DerivedNames.ANOMALY, Combine.MAX,
          d.windowSeconds());
      defs.add(fc);
      defs.add(an);
      answers.put(fc.promql(), answer(d, r, rep -> rep.served()));
      answers.put(an.promql(), answer(d, r, SeriesReport::anomalyScore));
    }
    for (Level level : List.of(Level.SERVICE, Level.POD)) {
      MetricDefinition rps = byKey.get(MetricDefinition.key(DerivedNames.RPS, level));
      MetricDefinition inflight = byKey.get(MetricDefinition.key(DerivedNames.INFLIGHT, level));
      if (rps == null || inflight == null || !modelled(rps) || !modelled(inflight)) {
        continue;
      }
      MetricDefinition obs = derivedDefinition(inflight, DerivedNames.SATURATION, Combine.SUM,
          OptionalLong.empty());
      MetricDefinition fc = derivedDefinition(inflight, DerivedNames.SATURATION_FORECAST,
          Combine.SUM, OptionalLong.empty());
      defs.add(obs);
      defs.add(fc);
      MetricResult ri = base.results().get(inflight.key());
      MetricResult rr = base.results().get(rps.key());
      answers.put(obs.promql(), answer(inflight, ri, SeriesReport::observed));
      DerivedSource.Answer sat = answer(inflight, ri,
          rep -> Saturation.forecast(rep, reportOf(rps, rep.labels())));
      if (rr == null || rr.lastError().isPresent()) {
        sat = DerivedSource.Answer.failed("base metric " + rps.name() + ": "
            + (rr == null ? "not refreshed yet" : rr.lastError().get()));
      }
      answers.put(fc.promql(), sat);
      MetricDefinition podInflight =
          byKey.get(MetricDefinition.key(DerivedNames.INFLIGHT, Level.POD));
      if (level == Level.SERVICE && podInflight != null) {
        // Served on Services and as an external metric only (a Deployment's Services may overlap).
        MetricDefinition perPod = new MetricDefinition(DerivedNames.SATURATION_PER_POD_FORECAST,
            Level.CUSTOM, "meshcast:derived " + DerivedNames.SATURATION_PER_POD_FORECAST
                + " of (" + inflight.promql() + ")", OptionalLong.empty(), Combine.SUM,
            Set.of(io.meshcast.adapter.provider.GroupResource.SERVICES), true,
            inflight.identify());
        defs.add(perPod);
        MetricResult pods = base.results().get(podInflight.key());
        Map<String, Integer> podCount = new HashMap<>();
        if (pods != null) {
          for (SeriesValue v : pods.series()) {
            podCount.merge(v.identity().kumaService(), 1, Integer::sum);
          }
        }
        DerivedSource.Answer per = answer(inflight, ri, rep -> Saturation.perPod(
            Saturation.forecast(rep, reportOf(rps, rep.labels())),
            podCount.getOrDefault(rep.kumaService(), 0)));
        answers.put(perPod.promql(), sat.error().isPresent() ? sat : per);
      }
    }
    derivedSource.publish(answers);
    derivedDefinitions = List.copyOf(defs);
  }

  private SeriesReport reportOf(MetricDefinition d, Map<String, String> labels) {
    SeriesModel m = models.get(new SeriesKey(d.key(), labels));
    return m == null ? null : m.report();
  }

  private DerivedSource.Answer answer(MetricDefinition d, MetricResult r,
      java.util.function.ToDoubleFunction<SeriesReport> value) {
    if (r == null || r.refreshedAt().isEmpty()) {
      return DerivedSource.Answer.failed("base metric " + d.name() + " has no data yet"
          + (r == null ? "" : r.lastError().map(e -> ": " + e).orElse("")));
    }
    if (r.lastError().isPresent()) {
      return DerivedSource.Answer.failed("base metric " + d.name() + " is not refreshing: "
          + r.lastError().get());
    }
    List<Sample> samples = new ArrayList<>(r.series().size());
    for (SeriesValue v : r.series()) {
      SeriesModel m = models.get(new SeriesKey(d.key(), v.identity().labels()));
      if (m == null || m.report() == null) {
        continue;
      }
      samples.add(new Sample(v.identity().labels(), v.timestamp(),
          value.applyAsDouble(m.report())));
    }
    return DerivedSource.Answer.of(samples);
  }

  private static MetricDefinition derivedDefinition(MetricDefinition base, String name,
      Combine combine, OptionalLong window) {
    return new MetricDefinition(name, base.level(), "meshcast:derived " + name + " of ("
        + base.promql() + ")", window, combine, base.resources(), base.external(),
        base.identify());
  }

  private ServingState derivedState() {
    Set<String> presets = new LinkedHashSet<>();
    Set<String> basePresets = view.presets();
    for (String n : derivedNames) {
      // The per-pod saturation is a Services-only (custom-level) metric, not a preset.
      if (basePresets.contains(DerivedNames.base(n).orElse(""))
          && !n.equals(DerivedNames.SATURATION_PER_POD_FORECAST)) {
        presets.add(n);
      }
    }
    List<MetricDefinition> defs = derivedDefinitions;
    for (MetricDefinition d : defs) {
      if (d.level() != Level.CUSTOM) {
        presets.add(d.name());
      }
    }
    return new ServingState(presets, defs, view.pendingReason(), view.cluster());
  }

  static String id(MetricDefinition d, SeriesIdentity identity) {
    String object = d.level() == Level.POD ? identity.pod()
        : identity.service().isEmpty() ? identity.kumaService() : identity.service();
    return identity.namespace() + "/" + object + "/" + d.name()
        + (d.level() == Level.POD ? "@pod" : "");
  }

  private void record(java.util.Collection<SeriesReport> all) {
    Map<String, double[]> err = new HashMap<>();
    Map<String, Integer> count = new HashMap<>();
    Map<String, Integer> fallbacks = new HashMap<>();
    for (SeriesReport r : all) {
      String level = r.level().name().toLowerCase(java.util.Locale.ROOT);
      String cls = r.signal() + "|" + level;
      count.merge(cls, 1, Integer::sum);
      if (!Double.isNaN(r.relativeError())) {
        double[] acc = err.computeIfAbsent(cls, k -> new double[2]);
        acc[0] += r.relativeError();
        acc[1]++;
      }
      String reason = r.fallback().map(PredictiveLayer::reasonClass).orElse("none");
      fallbacks.merge(cls + "|" + reason, 1, Integer::sum);
      if (r.fallback().isPresent()) {
        metrics.fallback(r.signal(), reason);
      }
    }
    count.forEach((cls, n) -> {
      String[] p = cls.split("\\|");
      metrics.series(p[0], p[1], n);
    });
    err.forEach((cls, acc) -> {
      String[] p = cls.split("\\|");
      metrics.relativeError(p[0], p[1], acc[0] / acc[1]);
    });
    Map<String, Integer> byReason = new java.util.TreeMap<>();
    for (String cls : count.keySet()) {
      String[] p = cls.split("\\|");
      for (String reason : List.of("insufficient_history", "no_model", "worse_than_naive")) {
        int n = fallbacks.getOrDefault(cls + "|" + reason, 0);
        metrics.fallbackSeries(p[0], p[1], reason, n);
        byReason.merge(reason, n, Integer::sum);
      }
    }
    // One line when the picture changes, not one per series per refresh.
    String summary = byReason.toString();
    if (!summary.equals(lastFallbackSummary)) {
      lastFallbackSummary = summary;
      LOG.info("event=forecast_fallbacks series=" + all.size() + " serving_observed="
          + summary.replace(" ", ""));
    }
  }

  static String reasonClass(String reason) {
    if (reason.startsWith("insufficient history")) {
      return "insufficient_history";
    }
    if (reason.startsWith("no model")) {
      return "no_model";
    }
    return "worse_than_naive";
  }
}
