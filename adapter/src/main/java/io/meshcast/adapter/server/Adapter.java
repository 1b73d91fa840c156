package io.meshcast.adapter.server;

import com.github.benmanes.caffeine.cache.Ticker;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.meshcast.adapter.api.ApiServer;
import io.meshcast.adapter.auth.AuthConfigWatcher;
import io.meshcast.adapter.auth.AuthHandler;
import io.meshcast.adapter.auth.Authenticator;
import io.meshcast.adapter.auth.Authorizer;
import io.meshcast.adapter.auth.InsecureAuthn;
import io.meshcast.adapter.config.AdapterConfig;
import io.meshcast.adapter.config.DebugAccess;
import io.meshcast.adapter.config.DelegateConfig;
import io.meshcast.adapter.config.GraphConfig;
import io.meshcast.adapter.config.KubernetesConfig;
import io.meshcast.adapter.config.PredictConfig;
import io.meshcast.adapter.config.ShardingConfig;
import io.meshcast.adapter.debug.DebugRoutes;
import io.meshcast.adapter.delegate.Delegation;
import io.meshcast.adapter.demo.DemoMesh;
import io.meshcast.adapter.graph.GraphDemand;
import io.meshcast.adapter.graph.GraphRefresher;
import io.meshcast.adapter.graph.MeshGraph;
import io.meshcast.adapter.health.Health;
import io.meshcast.adapter.health.HealthCheck;
import io.meshcast.adapter.kuma.KumaPipeline;
import io.meshcast.adapter.observability.ForecastMetrics;
import io.meshcast.adapter.observability.MetricsEndpoint;
import io.meshcast.adapter.predict.PipelineView;
import io.meshcast.adapter.predict.PredictiveLayer;
import io.meshcast.adapter.predict.PredictiveProvider;
import io.meshcast.adapter.predict.SeriesGauges;
import io.meshcast.adapter.promadapter.NamespacelessExternal;
import io.meshcast.adapter.promadapter.RuleDiscovery;
import io.meshcast.adapter.provider.CustomMetricsProvider;
import io.meshcast.adapter.provider.ExternalMetricsProvider;
import io.meshcast.adapter.shard.Ownership;
import io.meshcast.adapter.shard.ShardCoordinator;
import io.meshcast.adapter.shard.ShardMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.ext.web.RoutingContext;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.logging.Logger;

/**
 * The composition root of {@code serve}: builds and starts everything from settings the command
 * line parsed and the configuration read once at start. In order: the Kubernetes client (built
 * on a worker thread, when authentication or the informers need one), authentication (waiting
 * for {@code extension-apiserver-authentication} without blocking), the source (the Kuma
 * pipeline from the configuration, or the demo mesh), the predictive layer, delegation, then the
 * HTTPS server with {@code /metrics} and the {@code /debug} sub-router. The executors, the clock
 * and the Kubernetes client factory are injected; nothing here reads the configuration file or
 * the environment.
 */
public final class Adapter {

  private static final Logger LOG = Logger.getLogger(Adapter.class.getName());

  /**
   * What {@code serve} was asked to run.
   *
   * @param server listening and TLS options
   * @param configFile the {@code --config} file (watched for changes by the pipeline)
   * @param config its content, read and validated once at start; empty serves the demo mesh
   * @param prometheusUrl {@code --prometheus-url}
   * @param debugAccess who may open {@code /debug} ({@code --debug-access}, else {@code
   *     debug.access}, else localhost)
   * @param insecureAuthn {@code --insecure-authn}
   * @param authSyncTimeout how long to wait for {@code extension-apiserver-authentication}
   * @param inCluster whether the process runs in a pod ({@code kubernetes.mode: auto} then uses
   *     the informers)
   * @param environment the process environment (the pod's identity for {@code sharding}, from
   *     the downward API)
   */
  public record Settings(
      ApiServer.Options server,
      Optional<Path> configFile,
      Optional<AdapterConfig> config,
      Optional<String> prometheusUrl,
      DebugAccess debugAccess,
      boolean insecureAuthn,
      Duration authSyncTimeout,
      boolean inCluster,
      java.util.Map<String, String> environment) {

    public Settings {
      Objects.requireNonNull(server, "server");
      Objects.requireNonNull(configFile, "configFile");
      Objects.requireNonNull(config, "config");
      Objects.requireNonNull(prometheusUrl, "prometheusUrl");
      Objects.requireNonNull(debugAccess, "debugAccess");
      Objects.requireNonNull(authSyncTimeout, "authSyncTimeout");
      environment = java.util.Map.copyOf(environment);
      if (configFile.isPresent() != config.isPresent()) {
        throw new IllegalArgumentException("configFile and config go together");
      }
    }
  }

  /** A started adapter: its port and how to stop it. */
  public record Running(int port, Vertx vertx, ApiServer server, PredictiveLayer layer,
      Runnable stop) {}

  /** What the server serves from: a pipeline view and its base providers. */
  private record Source(PipelineView view, CustomMetricsProvider custom,
      ExternalMetricsProvider external, Supplier<Future<Void>> close, Set<String> extraSignals,
      UnaryOperator<ExternalMetricsProvider> wrapExternal, Optional<ShardCoordinator> shard,
      Optional<Supplier<MeshGraph>> graph) {}

  private final Settings settings;
  private final Vertx vertx;
  private final Clock clock;
  private final Supplier<KubernetesClient> kubernetes;
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Health health = new Health();
  private volatile KubernetesClient kube;

  private Adapter(Settings settings, Vertx vertx, Clock clock,
      Supplier<KubernetesClient> kubernetes) {
    this.settings = settings;
    this.vertx = vertx;
    this.clock = clock;
    this.kubernetes = kubernetes;
  }

  /**
   * Builds and starts everything on {@code vertx}; on failure everything started is stopped,
   * {@code vertx} closed, and the future fails with the reason.
   *
   * @param kubernetes builds the Kubernetes client (in-cluster or kubeconfig); called at most once,
   *     on a worker thread, and only when authentication or the informers need a cluster
   */
  public static Future<Running> start(Settings settings, Vertx vertx, Clock clock,
      Supplier<KubernetesClient> kubernetes) {
    Adapter a = new Adapter(settings, vertx, clock, kubernetes);
    // Vert.x delivers a future's result on the context that created it. Once vertx.close() has
    // stopped the event loops nothing chained after it is delivered, so a failure composed after
    // close() never reached the caller and the CLI hung in join(). The result is a promise bound
    // to no context, completed (its listeners run) before close().
    Promise<Running> result = Promise.promise();
    a.start().onComplete(ar -> {
      if (ar.succeeded()) {
        result.complete(ar.result());
        return;
      }
      result.fail(ar.cause());
      a.closeKube();
      vertx.close();
    });
    return result.future();
  }

  private Future<Running> start() {
    Future<Handler<RoutingContext>> auth = client().compose(c -> settings.insecureAuthn()
        ? Future.succeededFuture(InsecureAuthn.handler()) : delegatedAuth(c.orElseThrow()));
    return auth.compose(a -> source().compose(src -> serve(a, src)));
  }

  /** The client, built off the event loop, if authentication or the informers need one. */
  private Future<Optional<KubernetesClient>> client() {
    KubernetesConfig.Mode mode = settings.config().map(c -> c.kubernetes().mode())
        .orElse(KubernetesConfig.Mode.NONE);
    boolean needed = !settings.insecureAuthn() || mode == KubernetesConfig.Mode.CLUSTER
        || (mode == KubernetesConfig.Mode.AUTO && settings.inCluster());
    if (!needed) {
      return Future.succeededFuture(Optional.empty());
    }
    // Building a client reads kubeconfig, token and certificate files: never on the event loop.
    return vertx.executeBlocking(() -> {
      kube = kubernetes.get();
      return Optional.of(kube);
    }, false).recover(e -> Future.failedFuture(settings.insecureAuthn()
        ? new IllegalStateException("cannot build the Kubernetes client: " + e.getMessage(), e)
        : new IllegalStateException("cannot set up authentication: " + e.getMessage()
            + " (to run without a Kubernetes cluster, for development only: --insecure-authn)",
            e)));
  }

  private Future<Source> source() {
    if (settings.config().isEmpty()) {
      LOG.info("event=source kind=demo detail=\"NASA-HTTP July 1995 trace replayed as namespace "
          + "demo, one trace minute per second\"");
      return DemoMesh.start(vertx, clock, registry)
          .map(m -> new Source(m, m.provider(), m.provider(), () -> {
            m.close();
            return Future.succeededFuture();
          }, Set.of(), e -> e, Optional.empty(), Optional.of(m.graph())));
    }
    Path file = settings.configFile().orElseThrow();
    AdapterConfig config = settings.config().get();
    GraphConfig graphConfig = config.graph();
    LOG.info("event=source kind=kuma config=\"" + file + "\"");
    return KumaPipeline.start(vertx, file, config, clock,
            new KumaPipeline.Options(registry, Optional.ofNullable(kube), Duration.ofSeconds(5),
                settings.prometheusUrl()))
        .compose(p -> startSharding(config.sharding())
            .recover(e -> p.close().transform(v -> Future.failedFuture(e)))
            .map(shard -> {
              p.healthChecks().forEach(health::addReadiness);
              Optional<GraphRefresher> graph = graphConfig.enabled()
                  ? Optional.of(GraphRefresher.start(vertx, p, clock, graphConfig.callRatio(),
                      registry))
                  : Optional.empty();
              return new Source(PredictiveLayer.view(p), p.customMetricsProvider(),
                  p.externalMetricsProvider(), () -> {
                    graph.ifPresent(GraphRefresher::close);
                    return p.close();
                  }, adapterRuleSignals(p),
                  e -> new NamespacelessExternal(e, () -> p.adapterRules()
                      .map(RuleDiscovery::namespacelessExternal).orElse(Set.of())),
                  shard, graph.map(g -> g::current));
            }));
  }

  /**
   * Takes this replica's Lease when {@code sharding.enabled} (before the models bootstrap, so
   * they fit only the series this replica owns); empty otherwise.
   */
  private Future<Optional<ShardCoordinator>> startSharding(ShardingConfig config) {
    if (!config.enabled()) {
      return Future.succeededFuture(Optional.empty());
    }
    KubernetesClient k = kube;
    if (k == null) {
      return Future.failedFuture(new IllegalArgumentException("sharding.enabled: needs the"
          + " Kubernetes API for its Leases, which --insecure-authn runs without"));
    }
    final ShardCoordinator c;
    try {
      c = new ShardCoordinator(k, ShardCoordinator.Settings.resolve(config, settings.environment(),
          Optional.ofNullable(k.getNamespace())), clock);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    return Future.fromCompletionStage(c.start(), vertx.getOrCreateContext())
        .recover(e -> Future.failedFuture(
            e instanceof java.util.concurrent.CompletionException && e.getCause() != null
                ? e.getCause() : e))
        .map(members -> Optional.of(c));
  }

  private Future<Running> serve(Handler<RoutingContext> auth, Source src) {
    PredictConfig predict = settings.config().map(AdapterConfig::forecast)
        .orElseGet(DemoMesh::predictConfig);
    List<DelegateConfig> delegates = settings.config().map(AdapterConfig::delegates)
        .orElse(List.of());
    ForecastMetrics forecastMetrics = new ForecastMetrics(registry,
        () -> Duration.between(src.view().snapshot().publishedAt(), clock.instant()).toMillis()
            / 1000.0);
    PredictiveLayer layer = PredictiveLayer.start(vertx, src.view(),
        src.extraSignals().isEmpty() ? predict : predict.withSignals(
            union(predict.signals(), src.extraSignals())), clock, forecastMetrics,
        src.shard().<Ownership>map(c -> c).orElse(Ownership.all()));
    src.shard().ifPresent(c -> {
      c.attach(layer.sharedModels());
      ShardMetrics.register(registry, c);
    });
    health.addReadiness(HealthCheck.of("forecast-models", () -> switch (layer.bootstrapState()) {
      case PENDING, RUNNING -> HealthCheck.Result.failed("models bootstrapping: "
          + layer.bootstrapDetail());
      default -> HealthCheck.Result.ok(layer.bootstrapDetail());
    }));
    SeriesGauges.register(registry, layer::reports);
    // The callers' demand raises a service's served kuma_rps_forecast (docs/graph.md).
    Optional<GraphDemand> demand = src.graph().map(g -> new GraphDemand(g,
        settings.config().map(AdapterConfig::graph).orElseGet(GraphConfig::defaults)
            .propagate()));
    demand.ifPresent(layer::propagation);
    PredictiveProvider provider = layer.provider(src.custom(), src.external());
    ExternalMetricsProvider external = src.wrapExternal().apply(provider);
    Delegation delegation = Delegation.start(vertx, delegates, clock, registry);
    ApiServer.Builder b = ApiServer.builder(vertx)
        .options(settings.server())
        .customMetrics(delegation.custom(provider))
        .externalMetrics(delegation.external(external))
        .health(health)
        .registry(registry)
        .clock(clock)
        .filter(auth)
        .mount("/metrics", MetricsEndpoint.create(registry));
    if (!delegates.isEmpty()) {
      b.filter(delegation.filter(provider, external)); // after authentication (filter order)
    }
    DebugAccess access = settings.debugAccess();
    if (access != DebugAccess.OFF) {
      b.subRouter("/debug/*", DebugRoutes.create(layer, demand, access, clock).router(vertx, auth));
    }
    ApiServer server = b.build();
    LOG.info("event=debug access=" + access.name().toLowerCase(java.util.Locale.ROOT));
    Runnable stop = () -> Shutdown.inOrder(List.of(
        new Shutdown.Step("https server", server::close),
        new Shutdown.Step("delegation", delegation::close),
        new Shutdown.Step("sharding", () -> src.shard()
            .map(c -> Future.fromCompletionStage(c.close())).orElse(Future.succeededFuture())),
        new Shutdown.Step("forecasting", layer::close),
        new Shutdown.Step("source", src.close()),
        new Shutdown.Step("kubernetes client", this::closeKube),
        new Shutdown.Step("vert.x", vertx::close)));
    return server.start()
        .recover(e -> Future.failedFuture(StartupFailure.listen(e,
            settings.server().bindAddress(), settings.server().securePort())))
        .map(port -> new Running(port, vertx, server, layer, stop))
        .recover(e -> layer.close().eventually(src.close())
            .transform(v -> Future.failedFuture(e)));
  }

  private Future<Void> closeKube() {
    KubernetesClient k = kube;
    if (k != null) {
      k.close();
    }
    return Future.succeededFuture();
  }

  /**
   * The metrics of prometheus-adapter rules discovered at start: they get forecasts and anomaly
   * scores like the golden signals (metrics discovered later are served without, until restart).
   */
  private static Set<String> adapterRuleSignals(KumaPipeline p) {
    Set<String> names = new TreeSet<>();
    p.adapterRules().ifPresent(d -> d.definitions().forEach(x -> names.add(x.name())));
    if (p.adapterRules().isPresent()) {
      LOG.info("event=prometheus_adapter_forecasts metrics=" + names.size() + " names=" + names
          + " detail=\"metrics discovered after start are served without _forecast and"
          + " _anomaly_score until restart\"");
    }
    return names;
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> out = new LinkedHashSet<>(a);
    out.addAll(b);
    return out;
  }

  /**
   * Authentication and authorization delegated to the cluster, as a k8s.io/apiserver-based
   * server does: waits (without blocking a thread) for the extension-apiserver-authentication
   * ConfigMap, watched afterwards so CA rotation needs no restart, and reports it on /readyz.
   */
  private Future<Handler<RoutingContext>> delegatedAuth(KubernetesClient client) {
    AuthConfigWatcher watcher = AuthConfigWatcher.create(client);
    Duration timeout = settings.authSyncTimeout();
    java.util.concurrent.CompletableFuture<Void> synced =
        watcher.start().toCompletableFuture();
    return Future.fromCompletionStage(synced)
        .timeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .recover(e -> {
          watcher.close();
          return Future.failedFuture(new IllegalStateException(
              "cannot read kube-system/extension-apiserver-authentication: " + (synced.isDone()
                  ? String.valueOf(e.getCause() == null ? e : e.getCause())
                  : "no answer from the Kubernetes API within " + timeout), e));
        })
        .map(v -> {
          health.addReadiness(HealthCheck.of("authentication-config", () -> watcher.hasSynced()
              ? HealthCheck.Result.ok()
              : HealthCheck.Result.failed("extension-apiserver-authentication not synced")));
          WorkerExecutor worker = vertx.createSharedWorkerExecutor("meshcast-auth", 4);
          Ticker ticker = Ticker.systemTicker();
          Authenticator authn = Authenticator.delegating(watcher, client, worker, clock, ticker);
          Authorizer authz = Authorizer.delegating(client, worker, ticker);
          return AuthHandler.create(watcher, authn, authz);
        });
  }
}
