package io.meshcast.adapter.kuma;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.meshcast.adapter.config.AdapterConfig;
import io.meshcast.adapter.config.ConfigLoader;
import io.meshcast.adapter.config.ConfigWatcher;
import io.meshcast.adapter.config.KubernetesConfig;
import io.meshcast.adapter.config.KumaConfig.RegimeSetting;
import io.meshcast.adapter.config.RuleConfig;
import io.meshcast.adapter.health.HealthCheck;
import io.meshcast.adapter.k8s.ClusterView;
import io.meshcast.adapter.k8s.InformerClusterView;
import io.meshcast.adapter.pipeline.MetricDefinition;
import io.meshcast.adapter.pipeline.PipelineMetrics;
import io.meshcast.adapter.pipeline.Policies;
import io.meshcast.adapter.pipeline.Refresher;
import io.meshcast.adapter.pipeline.SnapshotListeners;
import io.meshcast.adapter.pipeline.SeriesHistory;
import io.meshcast.adapter.pipeline.Snapshot;
import io.meshcast.adapter.provider.CustomMetricsProvider;
import io.meshcast.adapter.provider.ExternalMetricsProvider;
import io.meshcast.adapter.promadapter.RuleDiscovery;
import io.meshcast.adapter.provider.snapshot.ServingState;
import io.meshcast.adapter.provider.snapshot.SnapshotMetricsProvider;
import io.meshcast.adapter.source.MetricSource;
import io.meshcast.adapter.source.prometheus.PrometheusSource;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * Composition root of the Kuma metrics pipeline: config file → Prometheus source → regime → one
 * query per metric definition per refresh → immutable snapshot → providers. The HTTP layer wires it
 * with:
 *
 * <pre>{@code
 * KumaPipeline.start(vertx, configFile, Clock.systemUTC(), options).compose(p ->
 *     ApiServer.start(vertx, p.customMetricsProvider(), p.externalMetricsProvider(), ...));
 * }</pre>
 *
 * <p>The config file is re-read on change; a valid file is applied without dropping requests
 * (providers keep answering from the previous snapshot until the new queries complete), an invalid
 * one keeps the old config and shows up in {@link #healthChecks()} as "config reload failed: ...".
 * Thread-safe.
 */
public final class KumaPipeline {

  private static final Logger LOG = Logger.getLogger(KumaPipeline.class.getName());

  /**
   * Optional collaborators.
   *
   * @param registry where the pipeline's own metrics are registered
   * @param kubernetesClient the client of the informers (none: label-only object mapping)
   * @param configPollInterval how often the config file is checked for changes
   * @param prometheusUrl replaces {@code prometheus.url}; required for a prometheus-adapter file
   */
  public record Options(
      PrometheusRegistry registry,
      Optional<KubernetesClient> kubernetesClient,
      Duration configPollInterval,
      Optional<String> prometheusUrl) {

    public Options(PrometheusRegistry registry, Optional<KubernetesClient> kubernetesClient,
        Duration configPollInterval) {
      this(registry, kubernetesClient, configPollInterval, Optional.empty());
    }

    /** The same options with the registry the pipeline's metrics are registered in. */
    public Options withRegistry(PrometheusRegistry r) {
      return new Options(r, kubernetesClient, configPollInterval, prometheusUrl);
    }
  }

  private final Vertx vertx;
  private final Clock clock;
  private final Path configFile;
  private final Options options;
  private final PipelineMetrics metrics;
  private final AtomicReference<Snapshot> snapshot;
  private final SnapshotListeners listeners = new SnapshotListeners();
  private final SnapshotMetricsProvider provider;
  private volatile AdapterConfig config;
  private volatile MetricSource source;
  private volatile ServingState state;
  private volatile Optional<Regime> regime = Optional.empty();
  private volatile String regimeStatus = "not detected yet";
  private volatile Refresher refresher;
  private volatile long timerId = -1;
  private volatile ConfigWatcher watcher;
  private volatile ClusterView cluster = ClusterView.labelOnly();
  private final PipelineHealth health = new PipelineHealth(this::healthView);
  private volatile Optional<RuleDiscovery> discovery = Optional.empty();
  private volatile long discoveryTimer = -1;

  private KumaPipeline(Vertx vertx, Path configFile, Clock clock, Options options,
      AdapterConfig config) {
    this.vertx = vertx;
    this.clock = clock;
    this.configFile = configFile;
    this.options = options;
    this.metrics = new PipelineMetrics(options.registry());
    this.snapshot = new AtomicReference<>(Snapshot.empty(clock.instant()));
    this.config = config;
    Function<String, io.meshcast.adapter.config.PolicyConfig> policy =
        m -> this.config.policyFor(m);
    this.provider = new SnapshotMetricsProvider(
        snapshot::get, () -> state, new Policies(policy, metrics, clock));
  }

  /** Loads the config, starts informers (if configured), detects the regime, refreshes once. */
  public static Future<KumaPipeline> start(
      Vertx vertx, Path configFile, Clock clock, Options options) {
    return vertx.executeBlocking(() -> ConfigLoader.load(configFile, options.prometheusUrl()))
        .compose(cfg -> start(vertx, configFile, cfg, clock, options));
  }

  /**
   * Starts from a configuration already read from {@code configFile} (the composition root reads
   * it once, with the rest of the start checks); the file is watched for changes afterwards.
   */
  public static Future<KumaPipeline> start(
      Vertx vertx, Path configFile, AdapterConfig cfg, Clock clock, Options options) {
    KumaPipeline p = new KumaPipeline(vertx, configFile, clock, options, cfg);
    return p.startCluster(cfg.kubernetes())
        .compose(v -> p.apply(cfg))
        .map(v -> {
          p.watcher = ConfigWatcher.start(vertx, configFile, clock, options.configPollInterval(),
              f -> ConfigLoader.load(f, options.prometheusUrl()), p::reload);
          return p;
        });
  }

  public CustomMetricsProvider customMetricsProvider() {
    return provider;
  }

  public ExternalMetricsProvider externalMetricsProvider() {
    return provider;
  }

  /** The latest snapshot (series with their last {@code refresh.historyPoints} points). */
  public Snapshot snapshot() {
    return snapshot.get();
  }

  /** Calls {@code listener} with every snapshot published from now on (across reloads). */
  public void onSnapshot(java.util.function.Consumer<Snapshot> listener) {
    listeners.add(listener);
  }

  /**
   * The source queries go to (replaced when a reload changes the prometheus section), for
   * background consumers of the same Prometheus such as the mesh graph.
   */
  public MetricSource source() {
    return source;
  }

  /** The config in force. */
  public AdapterConfig config() {
    return config;
  }

  /** The regime in use, once known. */
  public Optional<Regime> regime() {
    return regime;
  }

  /** Object lookups in use: informers, or label-only mapping without a cluster. */
  public ClusterView clusterView() {
    return cluster;
  }

  /** The metric definitions queried each refresh. */
  public List<MetricDefinition> definitions() {
    return state.definitions();
  }

  /** Discovery of the prometheus-adapter rules in force, if any. */
  public Optional<RuleDiscovery> adapterRules() {
    return discovery;
  }

  /** Checks the config file for changes now (tests, tools); the watcher keeps polling. */
  public Future<Void> checkConfigNow() {
    return watcher.check();
  }

  /** Runs one refresh now (tests, tools); the timer keeps running. */
  public Future<Snapshot> refreshNow() {
    return tick();
  }

  /**
   * Range-queries definitions over {@code refresh.bootstrapWindow} at {@code
   * refresh.bootstrapStep}, to bootstrap forecasting models: one query per definition, series
   * identified like refreshed ones, keyed by {@link MetricDefinition#key()}; only the definitions
   * {@code wanted}.
   */
  public Future<Map<String, List<SeriesHistory>>> bootstrapHistory(
      java.util.function.Predicate<MetricDefinition> wanted) {
    return refresher.bootstrap(config.refresh().bootstrapWindow(), config.refresh().bootstrapStep(),
        wanted);
  }

  /**
   * The readiness checks of each part, for the HTTP layer's registry ({@code /readyz}), computed
   * at each probe. Only "prometheus" can fail, and only until Prometheus has answered once:
   * afterwards problems are per metric (503 with the reason) and a whole-adapter failure would
   * take discovery of the aggregated API down with it. The others pass with a detail worth
   * showing: "config" after a rejected reload ("config reload failed: ..."), "kuma-regime" while
   * not detected, "kubernetes" with the informer state.
   */
  public List<HealthCheck> healthChecks() {
    return health.checks();
  }

  /** Whether every health check passes. */
  public boolean ready() {
    return health.checks().stream().allMatch(c -> c.check().healthy());
  }

  private PipelineHealth.View healthView() {
    return new PipelineHealth.View(watcher == null ? Optional.empty() : watcher.lastError(),
        regime, regimeStatus, cluster, snapshot.get(), state.definitions());
  }

  public Future<Void> close() {
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
    }
    if (discoveryTimer >= 0) {
      vertx.cancelTimer(discoveryTimer);
    }
    if (refresher != null) {
      refresher.stop();
    }
    if (watcher != null) {
      watcher.close();
    }
    return cluster.close().compose(v -> source.close());
  }

  /**
   * Starts the informers when the configuration asks for them: {@code cluster} always (the
   * composition root must pass a client), {@code auto} when a client was passed (it passes one
   * in a pod or when authentication uses the cluster anyway).
   */
  private Future<Void> startCluster(KubernetesConfig k) {
    Optional<KubernetesClient> client = options.kubernetesClient();
    if (k.mode() == KubernetesConfig.Mode.NONE || client.isEmpty()) {
      return k.mode() == KubernetesConfig.Mode.CLUSTER
          ? Future.failedFuture(new IllegalStateException(
              "kubernetes.mode: cluster, but no Kubernetes client was given"))
          : Future.succeededFuture();
    }
    return InformerClusterView.start(vertx, client.get(), k.resync()).map(v -> {
      cluster = v;
      return null;
    });
  }

  /** Applies a config: new source if needed, definitions, refresh timer; then refreshes once. */
  private Future<Void> apply(AdapterConfig cfg) {
    AdapterConfig old = this.config;
    MetricSource previousSource = this.source;
    if (previousSource == null || !old.prometheus().equals(cfg.prometheus())) {
      this.source = PrometheusSource.create(vertx, cfg.prometheus());
    }
    this.config = cfg;
    boolean regimeChanged = old.kuma().regime() != cfg.kuma().regime();
    if (cfg.kuma().regime() != RegimeSetting.AUTO) {
      regime = Optional.of(Regime.valueOf(cfg.kuma().regime().name()));
      regimeStatus = "configured";
    } else if (regimeChanged) {
      regime = Optional.empty();
    }
    rebuildState();
    MetricSource src = this.source;
    if (this.refresher != null) {
      this.refresher.stop();
    }
    this.refresher = new Refresher(vertx, src, clock, () -> state.definitions(),
        cfg.refresh().historyPoints(), metrics, snapshot, listeners);
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
    }
    timerId = vertx.setPeriodic(cfg.refresh().interval().toMillis(), id -> tick());
    if (previousSource != null && previousSource != src) {
      previousSource.close();
    }
    return discover(cfg, src).compose(v -> tick()).mapEmpty();
  }

  /**
   * (Re)starts discovery of the prometheus-adapter rules: once now, so their metrics exist from
   * the first refresh, then every relist interval in the background.
   */
  private Future<Void> discover(AdapterConfig cfg, MetricSource src) {
    if (discoveryTimer >= 0) {
      vertx.cancelTimer(discoveryTimer);
      discoveryTimer = -1;
    }
    if (cfg.prometheusAdapterRules().isEmpty()) {
      discovery = Optional.empty();
      rebuildState();
      return Future.succeededFuture();
    }
    java.util.Set<String> reserved = new java.util.HashSet<>(ConfigLoader.PRESET_NAMES);
    cfg.rules().forEach(r -> reserved.add(r.name()));
    RuleDiscovery d = new RuleDiscovery(cfg.prometheusAdapterRules().get(), reserved);
    discoveryTimer = vertx.setPeriodic(d.rules().relistInterval().toMillis(),
        id -> d.refresh(src, clock.instant()).onComplete(x -> rebuildState()));
    return d.refresh(src, clock.instant()).map(defs -> {
      discovery = Optional.of(d);
      if (d.discovered()) {
        health.answered();
      }
      rebuildState();
      LOG.info("event=prometheus_adapter_rules rules=" + d.rules().rules().size() + " metrics="
          + defs.size() + d.lastError().map(e -> " error=\"" + e + "\"").orElse(""));
      return null;
    });
  }

  private void reload(AdapterConfig cfg) {
    if (!cfg.kubernetes().equals(config.kubernetes())) {
      LOG.warning("event=config-reload detail=\"the kubernetes section changed; informers are"
          + " set up at start only, restart to apply it\"");
    }
    if (!cfg.sharding().equals(config.sharding())) {
      LOG.warning("event=config-reload detail=\"the sharding section changed; Leases are set"
          + " up at start only, restart to apply it\"");
    }
    vertx.runOnContext(v -> apply(cfg).onFailure(e ->
        LOG.warning("applying the reloaded configuration failed: " + e.getMessage())));
  }

  private void rebuildState() {
    AdapterConfig cfg = config;
    List<MetricDefinition> defs = new ArrayList<>();
    Optional<String> pending = Optional.empty();
    Regime forRules = regime.orElse(Regime.LEGACY);
    KumaQueries q = new KumaQueries(forRules, cfg.kuma(), new KumaQueries.WindowThresholds(
        cfg.refresh().minWindowCoverage(), cfg.refresh().minWindowSamples(),
        cfg.refresh().minQuantileObservations(), cfg.refresh().minServedCoverage()));
    if (regime.isPresent()) {
      defs.addAll(q.definitions());
    } else {
      pending = Optional.of("Kuma regime not detected yet: " + regimeStatus);
    }
    for (RuleConfig r : cfg.rules()) {
      // {{inbound}} needs the regime; such rules wait for detection like the presets.
      if (regime.isPresent() || !r.query().contains("{{inbound}}")) {
        defs.add(CustomRules.definition(r, q));
      }
    }
    discovery.ifPresent(d -> defs.addAll(d.definitions()));
    state = new ServingState(cfg.kuma().presets(), defs, pending, cluster);
  }

  private Future<Snapshot> tick() {
    // Without presets and {{inbound}} rules (a prometheus-adapter file) the regime is not needed.
    boolean needRegime = !config.kuma().presets().isEmpty()
        || config.rules().stream().anyMatch(r -> r.query().contains("{{inbound}}"));
    Future<Void> detect = regime.isPresent() || !needRegime ? Future.succeededFuture()
        : RegimeDetector.detect(source, clock.instant())
            .map(d -> {
              health.answered();
              regimeStatus = d.describe();
              if (d.regime().isPresent()) {
                LOG.info("Kuma regime " + d.describe());
                regime = d.regime();
              }
              rebuildState();
              return (Void) null;
            })
            .recover(e -> {
              regimeStatus = "detection query failed: " + e.getMessage();
              rebuildState();
              return Future.succeededFuture();
            });
    return detect.compose(v -> refresher.refresh());
  }
}
