package io.meshcast.adapter.predict;

import io.meshcast.adapter.config.PredictConfig;
import io.meshcast.adapter.k8s.ClusterView;
import io.meshcast.adapter.kuma.KumaPipeline;
import io.meshcast.adapter.observability.ForecastMetrics;
import io.meshcast.adapter.pipeline.Level;
import io.meshcast.adapter.pipeline.MetricDefinition;
import io.meshcast.adapter.pipeline.PipelineMetrics;
import io.meshcast.adapter.pipeline.Policies;
import io.meshcast.adapter.pipeline.Snapshot;
import io.meshcast.adapter.provider.CustomMetricsProvider;
import io.meshcast.adapter.provider.ExternalMetricsProvider;
import io.meshcast.adapter.provider.snapshot.ServingState;
import io.meshcast.adapter.provider.snapshot.SnapshotMetricsProvider;
import io.meshcast.adapter.shard.Ownership;
import io.meshcast.adapter.shard.ShardedModels;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.logging.Logger;

/**
 * The forecast and anomaly layer over a metrics pipeline, as the server runs it: the pipeline
 * tells it about each published snapshot ({@link PipelineView#onSnapshot}), and it runs the
 * {@link ForecastPath} for that snapshot on a named shared worker executor ({@code
 * meshcast-forecast}), after bootstrapping the models from Prometheus history. The derived
 * metrics are served by {@link #provider} next to the base metrics.
 *
 * <p><b>Replicas.</b> With sharding, the layer refits only the series its {@link Ownership}
 * names; {@link #sharedModels} exchanges fits with the other replicas, and series taken over from
 * a replica that died are refitted from Prometheus history ({@link #rebuild}), by the bootstrap
 * path restricted to them.
 *
 * <p><b>Threads.</b> The listener only dispatches (a snapshot arriving while the previous one is
 * still being processed is skipped; the next one carries the same series). Feeding, bootstrap and
 * refits run on the worker executor. Requests read immutable snapshots (no I/O, no model access).
 */
public final class PredictiveLayer {

  private static final Logger LOG = Logger.getLogger(PredictiveLayer.class.getName());

  /** Bootstrap progress, shown on /debug and in error messages. */
  public enum BootstrapState { PENDING, RUNNING, DONE, FAILED, SKIPPED }

  private final PipelineView view;
  private final PredictConfig config;
  private final ForecastTasks tasks;
  private final ForecastMetrics metrics;
  private final ForecastPath path;
  private final SnapshotMetricsProvider derivedProvider;
  private final Set<String> derivedNames;
  private final FitExchange exchange;
  private volatile Future<Long> lastRebuild = Future.succeededFuture(0L);
  private volatile BootstrapState bootstrap = BootstrapState.PENDING;
  private volatile String bootstrapDetail = "";
  private volatile Instant lastProcessed = Instant.EPOCH;
  private volatile Optional<String> lastError = Optional.empty();
  private volatile boolean processing;
  private volatile boolean closed;
  private long bootstrappedStepChanges;
  private Future<Void> bootstrapped = Future.succeededFuture();

  private PredictiveLayer(PipelineView view, PredictConfig config, Clock clock,
      WorkerExecutor worker, ForecastMetrics metrics, Ownership ownership) {
    this.view = view;
    this.config = config;
    this.tasks = new ForecastTasks(worker);
    this.metrics = metrics;
    this.path = new ForecastPath(config, view::definitions, view::refreshInterval,
        view.historyPoints(), clock, metrics,
        task -> tasks.submit(() -> {
          task.run();
          return null;
        }, false), ownership);
    this.exchange = new FitExchange(path::models, ownership, this::rebuild);
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
    return start(vertx, view, config, clock, metrics, Ownership.all());
  }

  /** Starts the layer refitting only the series {@code ownership} names (sharding). */
  public static PredictiveLayer start(Vertx vertx, PipelineView view, PredictConfig config,
      Clock clock, ForecastMetrics metrics, Ownership ownership) {
    WorkerExecutor worker = vertx.createSharedWorkerExecutor("meshcast-forecast",
        config.workers(), 5, TimeUnit.MINUTES);
    PredictiveLayer layer = new PredictiveLayer(view, config, clock, worker, metrics, ownership);
    layer.begin(true);
    return layer;
  }

  /** A layer that processes only when {@link #processNow()} is called (tests). */
  static PredictiveLayer startManual(Vertx vertx, PipelineView view, PredictConfig config,
      Clock clock, ForecastMetrics metrics) {
    return startManual(vertx, view, config, clock, metrics, Ownership.all(),
        "meshcast-forecast-test");
  }

  static PredictiveLayer startManual(Vertx vertx, PipelineView view, PredictConfig config,
      Clock clock, ForecastMetrics metrics, Ownership ownership, String pool) {
    WorkerExecutor worker = vertx.createSharedWorkerExecutor(pool, config.workers(), 5,
        TimeUnit.MINUTES);
    PredictiveLayer layer = new PredictiveLayer(view, config, clock, worker, metrics, ownership);
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

  /** The models as the shard layer sees them: fits to publish, adopt, and take over. */
  public ShardedModels sharedModels() {
    return exchange;
  }

  /** The latest report of every modelled series, by id. */
  public Map<String, SeriesReport> reports() {
    return path.reports();
  }

  /**
   * Lets a service's served {@code kuma_demand_rps_forecast} include its callers' demand (issue 15)
   * from the next processed snapshot on; see {@link DemandPropagation}.
   */
  public void propagation(DemandPropagation p) {
    path.propagation(p);
  }

  /** The propagated demand of the latest processed snapshot, by series id. */
  public Map<String, DemandPropagation.Upstream> upstream() {
    return path.upstream();
  }

  /**
   * The value the HPA receives for a series' {@code _forecast}: its own served value, raised to
   * the propagated demand for the service-level {@value DemandPropagation#SIGNAL}.
   */
  public double servedValue(SeriesReport r) {
    return r.level() == Level.SERVICE && r.signal().equals(DemandPropagation.SIGNAL)
        ? DemandPropagation.served(r.served(), path.upstream().get(r.id())) : r.served();
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

  /** Stops following the pipeline, waits for forecast work in flight, closes the pool. */
  public Future<Void> close() {
    closed = true;
    return tasks.close();
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
    return fitFromHistory(id -> true)
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
          if (!tasks.closing()) {
            LOG.warning("event=forecast_bootstrap_failed error=\"" + e.getMessage() + "\"");
          }
          return Future.succeededFuture();
        });
  }

  /**
   * Refits series this replica has just taken over from Prometheus history: the bootstrap path,
   * restricted to them. It does not touch the bootstrap state (readiness): the replica keeps
   * serving, from the adopted fits, while it runs. When it fails, the models refit from the
   * history they hold when next due.
   */
  void rebuild(Set<String> ids) {
    if (closed || !config.bootstrap() || bootstrap == BootstrapState.PENDING
        || bootstrap == BootstrapState.RUNNING) {
      return; // the (initial) bootstrap fits everything this replica owns anyway
    }
    long t0 = System.nanoTime();
    lastRebuild = fitFromHistory(ids::contains)
        .onSuccess(n -> LOG.info("event=shard_rebuild series=" + n + " of=" + ids.size()
            + " duration_ms=" + Duration.ofNanos(System.nanoTime() - t0).toMillis()))
        .onFailure(e -> LOG.warning("event=shard_rebuild_failed series=" + ids.size()
            + " error=\"" + e.getMessage() + "\" detail=\"the models refit from the history"
            + " they hold when next due\""));
  }

  /** Completes when the last {@link #rebuild} has (with the number of series refitted). */
  Future<Long> lastRebuild() {
    return lastRebuild;
  }

  private Future<Long> fitFromHistory(Predicate<String> wanted) {
    return HistoryFit.run(view, path, tasks, wanted, n -> {
      if (bootstrap == BootstrapState.RUNNING) {
        bootstrapDetail = "fitting " + n + " series";
      }
    });
  }

  private Future<Snapshot> process(Snapshot base) {
    processing = true;
    return tasks.submit(() -> path.accept(base), true)
        .andThen(ar -> {
          processing = false;
          lastProcessed = base.publishedAt();
          lastError = ar.failed() ? Optional.of(String.valueOf(ar.cause().getMessage()))
              : Optional.empty();
          if (ar.failed() && !tasks.closing()) {
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
