package io.meshcast.adapter.predict;

import io.meshcast.adapter.k8s.ClusterView;
import io.meshcast.adapter.kuma.KumaPipeline;
import io.meshcast.adapter.observability.ForecastMetrics;
import io.meshcast.adapter.pipeline.Level;
import io.meshcast.adapter.pipeline.MetricDefinition;
import io.meshcast.adapter.pipeline.PipelineMetrics;
import io.meshcast.adapter.pipeline.Policies;
import io.meshcast.adapter.pipeline.SeriesHistory;
import io.meshcast.adapter.pipeline.Snapshot;
import io.meshcast.adapter.provider.CustomMetricsProvider;
import io.meshcast.adapter.provider.ExternalMetricsProvider;
import io.meshcast.adapter.provider.snapshot.ServingState;
import io.meshcast.adapter.provider.snapshot.SnapshotMetricsProvider;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The forecast and anomaly layer over a metrics pipeline, as the server runs it: the pipeline
 * tells it about each published snapshot ({@link PipelineView#onSnapshot}), and it runs the
 * {@link ForecastPath} for that snapshot on a named shared worker executor ({@code
 * meshcast-forecast}), after bootstrapping the models from Prometheus history. The derived
 * metrics are served by {@link #provider} next to the base metrics.
 *
 * <p><b>Threads.</b> The listener only dispatches (a snapshot arriving while the previous one is
 * still being processed is skipped; the next one carries the same series). Feeding, bootstrap and
 * refits run on the worker executor. Requests read immutable snapshots (no I/O, no model access).
 */
public final class PredictiveLayer {

  private static final Logger LOG = Logger.getLogger(PredictiveLayer.class.getName());

  /** Bootstrap progress, shown on /debug and in error messages. */
  public enum BootstrapState {
    PENDING,
    RUNNING,
    DONE,
    FAILED,
    SKIPPED
  }

  private final PipelineView view;
  private final PredictConfig config;
  private final WorkerExecutor worker;
  private final ForecastMetrics metrics;
  private final ForecastPath path;
  private final SnapshotMetricsProvider derivedProvider;
  private final Set<String> derivedNames;
  private volatile BootstrapState bootstrap = BootstrapState.PENDING;
  private volatile String bootstrapDetail = "";
  private volatile Instant lastProcessed = Instant.EPOCH;
  private volatile Optional<String> lastError = Optional.empty();
  private volatile boolean processing;
  private volatile boolean closed;
  private long bootstrappedStepChanges;
  private Future<Void> bootstrapped = Future.succeededFuture();

  private PredictiveLayer(PipelineView view, PredictConfig config, Clock clock,
      WorkerExecutor worker, ForecastMetrics metrics) {
    this.view = view;
    this.config = config;
    this.worker = worker;
    this.metrics = metrics;
    this.path = new ForecastPath(config, view::definitions, view::refreshInterval,
        view.historyPoints(), clock, metrics,
        task -> worker.executeBlocking(() -> {
          task.run();
          return null;
        }, false));
    this.derivedNames = Set.copyOf(DerivedNames.all(config.signals()));
    Policies policies = new Policies(
        m -> view.policyFor(DerivedNames.base(m).orElse(m)), PipelineMetrics.unregistered(),
        clock);
    this.derivedProvider =
        new SnapshotMetricsProvider(path::derived, this::derivedState, policies);
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
        config.workers(), 5, TimeUnit.MINUTES);
    PredictiveLayer layer = new PredictiveLayer(view, config, clock, worker, metrics);
    layer.begin(true);
    return layer;
  }

  /** A layer that processes only when {@link #processNow()} is called (tests). */
  static PredictiveLayer startManual(Vertx vertx, PipelineView view, PredictConfig config,
      Clock clock, ForecastMetrics metrics) {
    WorkerExecutor worker = vertx.createSharedWorkerExecutor("meshcast-forecast-test",
        config.workers(), 5, TimeUnit.MINUTES);
    PredictiveLayer layer = new PredictiveLayer(view, config, clock, worker, metrics);
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
    return path.reports();
  }

  /** The pipeline this layer follows. */
  public PipelineView pipeline() {
    return view;
  }

  /** The derived metrics' snapshot (their recent history lives in its series). */
  public Snapshot derivedSnapshot() {
    return path.derived();
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
    return path.leadSteps();
  }

  public Duration step() {
    return path.step();
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
    closed = true;
    return worker.close();
  }

  private void begin(boolean follow) {
    bootstrapped = config.bootstrap() ? bootstrapModels() : skipBootstrap();
    if (follow) {
      bootstrapped.onComplete(v -> view.onSnapshot(this::onSnapshot));
    }
  }

  /** The pipeline's listener: runs on the publishing thread, so it only dispatches. */
  private void onSnapshot(Snapshot s) {
    if (closed || processing || s.results().isEmpty()) {
      return;
    }
    process(s);
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
    return view.bootstrapHistory(path::modelled)
        .compose(history -> {
          List<Future<Boolean>> fits = new ArrayList<>();
          Map<String, MetricDefinition> defs = new HashMap<>();
          for (MetricDefinition d : view.definitions()) {
            defs.put(d.key(), d);
          }
          for (Map.Entry<String, List<SeriesHistory>> e : history.entrySet()) {
            MetricDefinition d = defs.get(e.getKey());
            if (d == null || !path.modelled(d)) {
              continue;
            }
            for (SeriesHistory sh : e.getValue()) {
              fits.add(worker.executeBlocking(() -> path.load(d, sh), false));
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

  private Future<Snapshot> process(Snapshot base) {
    processing = true;
    return worker.executeBlocking(() -> path.accept(base), true)
        .andThen(ar -> {
          processing = false;
          lastProcessed = base.publishedAt();
          lastError = ar.failed() ? Optional.of(String.valueOf(ar.cause().getMessage()))
              : Optional.empty();
          if (ar.failed()) {
            LOG.warning("event=forecast_update_failed error=\"" + ar.cause() + "\"");
          }
          rebootstrapAfterStepChange();
        });
  }

  /** After a reload changed the model step, the new models learn from history again. */
  private void rebootstrapAfterStepChange() {
    long changes = path.stepChanges();
    if (changes != bootstrappedStepChanges && config.bootstrap() && !closed
        && bootstrap != BootstrapState.RUNNING) {
      bootstrappedStepChanges = changes;
      bootstrapped = bootstrapModels();
    }
  }

  /** The last {@link ServingState} and what it was built from. */
  private record StateKey(List<MetricDefinition> definitions, Set<String> basePresets,
      Optional<String> pending, ClusterView cluster) {}

  private volatile StateKey stateKey;
  private volatile ServingState state;

  /**
   * The derived provider's state, rebuilt only when its inputs change (a new derived snapshot's
   * definitions, a config reload, the cluster view): it was rebuilt for every request, sets and
   * all, which showed in the serving benchmark's blocked-thread stacks (issue 14).
   */
  private ServingState derivedState() {
    StateKey key = new StateKey(path.derivedDefinitions(), view.presets(), view.pendingReason(),
        view.cluster());
    StateKey k = stateKey;
    ServingState st = state;
    if (k != null && st != null && k.definitions() == key.definitions()
        && k.basePresets().equals(key.basePresets()) && k.pending().equals(key.pending())
        && k.cluster() == key.cluster()) {
      return st;
    }
    st = buildDerivedState(key.basePresets(), key.definitions(), key.pending(), key.cluster());
    state = st;
    stateKey = key;
    return st;
  }

  private ServingState buildDerivedState(Set<String> basePresets,
      List<MetricDefinition> definitions, Optional<String> pending, ClusterView cluster) {
    Set<String> presets = new LinkedHashSet<>();
    for (String n : derivedNames) {
      // The per-pod saturation is a Services-only (custom-level) metric, not a preset.
      if (basePresets.contains(DerivedNames.base(n).orElse(""))
          && !n.equals(DerivedNames.SATURATION_PER_POD_FORECAST)) {
        presets.add(n);
      }
    }
    for (MetricDefinition d : definitions) {
      if (d.level() != Level.CUSTOM) {
        presets.add(d.name());
      }
    }
    return new ServingState(presets, definitions, pending, cluster);
  }
}
