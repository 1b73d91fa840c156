package io.meshcast.adapter.demo;

import io.meshcast.adapter.config.KumaConfig;
import io.meshcast.adapter.config.KumaConfig.RegimeSetting;
import io.meshcast.adapter.config.PolicyConfig;
import io.meshcast.adapter.k8s.ClusterView;
import io.meshcast.adapter.kuma.KumaQueries;
import io.meshcast.adapter.kuma.Regime;
import io.meshcast.adapter.pipeline.MetricDefinition;
import io.meshcast.adapter.pipeline.PipelineMetrics;
import io.meshcast.adapter.pipeline.Policies;
import io.meshcast.adapter.pipeline.Refresher;
import io.meshcast.adapter.pipeline.SnapshotListeners;
import io.meshcast.adapter.pipeline.SeriesHistory;
import io.meshcast.adapter.pipeline.Snapshot;
import io.meshcast.adapter.predict.PipelineView;
import io.meshcast.adapter.config.PredictConfig;
import io.meshcast.adapter.provider.snapshot.ServingState;
import io.meshcast.adapter.provider.snapshot.SnapshotMetricsProvider;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * The demo mesh of {@code serve --demo}: namespace {@code demo}, Services {@code frontend}, {@code
 * backend} and {@code checkout} (Deployments of the same names, 2/2/1 pods), whose traffic replays
 * the NASA-HTTP July 1995 trace time-compressed (one trace minute per second, starting on
 * 5 July at 08:00). It runs the real pipeline (refresh every second into snapshots, policies,
 * snapshot provider) over a {@link DemoSource} instead of Prometheus, and bootstraps the models
 * from the two trace days before the start, so forecasts, anomalies and the debug page are live
 * within seconds. Thread-safe.
 */
public final class DemoMesh implements PipelineView {

  static final String NAMESPACE = "demo";
  /** Trace minute at start: 5 July 1995 08:00 (morning ramp). */
  static final double ORIGIN_MINUTE = 4 * 1440 + 8 * 60;
  static final Duration STEP = Duration.ofSeconds(1);
  /** Two trace days of history for the bootstrap. */
  static final int BOOTSTRAP_POINTS = 2 * 1440;
  /** Recent points kept per series for the debug charts: five trace hours. */
  static final int HISTORY_POINTS = 300;

  private final Vertx vertx;
  private final List<MetricDefinition> definitions;
  private final Refresher refresher;
  private final SnapshotListeners listeners = new SnapshotListeners();
  private final java.util.concurrent.atomic.AtomicReference<Snapshot> snapshot;
  private final SnapshotMetricsProvider provider;
  private final PolicyConfig policy;
  private final PolicyConfig errorRatioPolicy;
  private final DemoSource source;
  private final Set<String> presets;
  private final DemoGraph graph = new DemoGraph(this);
  private long timerId = -1;

  private DemoMesh(Vertx vertx, Clock clock, PrometheusRegistry registry) {
    this.vertx = vertx;
    KumaConfig kuma = new KumaConfig(RegimeSetting.LEGACY, Duration.ofMinutes(2),
        Optional.empty(), Optional.empty(), Optional.empty(), List.of("app"),
        Set.copyOf(io.meshcast.adapter.config.ConfigLoader.PRESET_NAMES));
    this.presets = kuma.presets();
    // Synthetic data has no scrape gaps: no coverage companion (the demo source answers only
    // the golden-signal queries).
    this.definitions = new KumaQueries(Regime.LEGACY, kuma).definitions().stream()
        .map(MetricDefinition::withoutCoverage).toList();
    this.source = new DemoSource(new DemoTraffic(NasaTrace.load(), 1.0, ORIGIN_MINUTE), definitions,
        clock.instant(), ORIGIN_MINUTE, STEP);
    PipelineMetrics metrics = new PipelineMetrics(registry);
    this.snapshot = new java.util.concurrent.atomic.AtomicReference<>(
        Snapshot.empty(clock.instant()));
    this.refresher = new Refresher(vertx, source, clock, () -> definitions, HISTORY_POINTS,
        metrics, snapshot, listeners);
    this.policy = new PolicyConfig(Duration.ofSeconds(10), OptionalDouble.empty(),
        OptionalDouble.empty());
    this.errorRatioPolicy = new PolicyConfig(Duration.ofSeconds(10), OptionalDouble.empty(),
        OptionalDouble.of(0));
    ServingState state = new ServingState(presets, definitions, Optional.empty(),
        ClusterView.labelOnly());
    this.provider = new SnapshotMetricsProvider(snapshot::get, () -> state,
        new Policies(this::policyFor, metrics, clock));
  }

  /** Starts refreshing every second; completes after the first refresh. */
  public static Future<DemoMesh> start(Vertx vertx, Clock clock, PrometheusRegistry registry) {
    DemoMesh mesh = new DemoMesh(vertx, clock, registry);
    return mesh.refresher.refresh().map(s -> {
      mesh.timerId = vertx.setPeriodic(STEP.toMillis(), id -> mesh.refresher.refresh());
      return mesh;
    });
  }

  /** Forecast settings matching the compressed time: lead 2 trace minutes, 2 days of history. */
  public static PredictConfig predictConfig() {
    return PredictConfig.defaults()
        .withStep(STEP)
        .withLead(STEP.multipliedBy(2))
        .withHistoryPoints(BOOTSTRAP_POINTS)
        .withRefitEvery(STEP.multipliedBy(360));
  }

  /** The base metrics (observed golden signals). */
  public SnapshotMetricsProvider provider() {
    return provider;
  }

  /** The trace minute shown now (for logs). */
  public double traceMinute(long epochMillis) {
    return source.minuteAt(epochMillis);
  }

  public void close() {
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
    }
  }

  /** The demo's call graph (frontend calls backend and checkout), for {@code /debug/graph}. */
  public java.util.function.Supplier<io.meshcast.adapter.graph.MeshGraph> graph() {
    return graph;
  }

  @Override
  public Snapshot snapshot() {
    return snapshot.get();
  }

  @Override
  public void onSnapshot(java.util.function.Consumer<Snapshot> listener) {
    listeners.add(listener);
  }

  @Override
  public List<MetricDefinition> definitions() {
    return definitions;
  }

  @Override
  public Set<String> presets() {
    return presets;
  }

  @Override
  public Optional<String> pendingReason() {
    return Optional.empty();
  }

  @Override
  public ClusterView cluster() {
    return ClusterView.labelOnly();
  }

  @Override
  public PolicyConfig policyFor(String metric) {
    return metric.equals("kuma_error_ratio") ? errorRatioPolicy : policy;
  }

  @Override
  public Duration refreshInterval() {
    return STEP;
  }

  @Override
  public int historyPoints() {
    return HISTORY_POINTS;
  }

  @Override
  public Future<Map<String, List<SeriesHistory>>> bootstrapHistory() {
    return refresher.bootstrap(STEP.multipliedBy(BOOTSTRAP_POINTS - 1), STEP);
  }
}
