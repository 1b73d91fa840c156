package io.meshcast.adapter.cli;

import com.github.benmanes.caffeine.cache.Ticker;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.meshcast.adapter.api.ApiServer;
import io.meshcast.adapter.auth.AuthConfigWatcher;
import io.meshcast.adapter.auth.AuthHandler;
import io.meshcast.adapter.auth.Authenticator;
import io.meshcast.adapter.auth.Authorizer;
import io.meshcast.adapter.auth.InsecureAuthn;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.meshcast.adapter.debug.DebugAccess;
import io.meshcast.adapter.debug.DebugRoutes;
import io.meshcast.adapter.delegate.DelegateConfig;
import io.meshcast.adapter.delegate.Delegation;
import io.meshcast.adapter.demo.DemoMesh;
import io.meshcast.adapter.health.Health;
import io.meshcast.adapter.health.HealthCheck;
import io.meshcast.adapter.kuma.KumaPipeline;
import io.meshcast.adapter.observability.ForecastMetrics;
import io.meshcast.adapter.observability.SeriesGauges;
import io.meshcast.adapter.promadapter.NamespacelessExternal;
import io.meshcast.adapter.promadapter.RuleDiscovery;
import io.meshcast.adapter.observability.MetricsEndpoint;
import io.meshcast.adapter.predict.PipelineView;
import io.meshcast.adapter.predict.PredictConfig;
import io.meshcast.adapter.predict.PredictiveLayer;
import io.meshcast.adapter.predict.PredictiveProvider;
import io.meshcast.adapter.provider.CustomMetricsProvider;
import io.meshcast.adapter.provider.ExternalMetricsProvider;
import io.vertx.core.Future;
import io.meshcast.adapter.tls.ServingCertificate.CertFiles;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.TimeUnit;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.logging.Logger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code meshcast serve}: runs the metrics API server until stopped. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Serve custom.metrics.k8s.io (v1beta1, v1beta2) and external.metrics.k8s.io (v1beta1) over "
          + "HTTPS.",
      "Without --config, an embedded demo mesh is served (no cluster or Prometheus needed)."
    })
public final class ServeCommand implements Callable<Integer> {

  private static final Logger LOG = Logger.getLogger(ServeCommand.class.getName());

  @Spec CommandSpec spec;

  @Option(
      names = "--secure-port",
      defaultValue = "6443",
      description = "HTTPS port (default: ${DEFAULT-VALUE}; 0 picks a free port).")
  int securePort;

  @Option(
      names = "--bind-address",
      defaultValue = "127.0.0.1",
      description = "Address to listen on (default: ${DEFAULT-VALUE}; use 0.0.0.0 in a pod).")
  String bindAddress;

  @Option(
      names = "--tls-cert-file",
      description = "PEM certificate chain for HTTPS. Without it a self-signed certificate is "
          + "generated at start and its SHA-256 fingerprint logged.")
  Path certFile;

  @Option(names = "--tls-private-key-file", description = "PEM private key for --tls-cert-file.")
  Path keyFile;

  @Option(
      names = "--tls-reload-interval",
      defaultValue = "10s",
      converter = DurationConverter.class,
      description = "How often the certificate files are checked for changes (default: "
          + "${DEFAULT-VALUE}).")
  Duration tlsReloadInterval;

  @Option(
      names = "--self-signed-dns-name",
      split = ",",
      defaultValue = "localhost",
      description = "DNS names of the self-signed certificate (default: ${DEFAULT-VALUE}).")
  List<String> selfSignedDnsNames;

  @Option(
      names = "--demo",
      description = "Serve the embedded demo mesh (the default when --config is not given).")
  boolean demo;

  @Option(
      names = "--insecure-authn",
      description = "DEVELOPMENT ONLY: skip authentication and authorization (every caller is "
          + "treated as a member of system:masters). Needed to run without a Kubernetes cluster.")
  boolean insecureAuthn;

  @Option(
      names = "--auth-sync-timeout",
      defaultValue = "30s",
      converter = DurationConverter.class,
      description = "How long to wait at start for kube-system/extension-apiserver-authentication "
          + "(default: ${DEFAULT-VALUE}).")
  Duration authSyncTimeout;

  @Option(
      names = "--access-log",
      defaultValue = "true",
      negatable = true,
      fallbackValue = "true",
      description = "Log one line per request (default: ${DEFAULT-VALUE}).")
  boolean accessLog;

  @Option(
      names = "--config",
      description = "Adapter configuration file (YAML; see docs/configuration.md). Re-read when it "
          + "changes. Without it, the embedded demo mesh is served.")
  Path configFile;

  @Option(
      names = "--prometheus-url",
      description = "Prometheus URL (prometheus-adapter's flag). Required when --config is a "
          + "prometheus-adapter rules file; replaces prometheus.url of a meshcast config.")
  String prometheusUrl;

  @Option(
      names = "--debug-access",
      description = "Who may open /debug: off, localhost (default) or authenticated (same "
          + "authentication and authorization as the API). Overrides debug.access in --config.")
  String debugAccess;

  /** A started adapter: its port and how to stop it. */
  public record Running(int port, Vertx vertx, ApiServer server, PredictiveLayer layer,
      Runnable stop) {}

  @Override
  public Integer call() throws InterruptedException {
    final Running running;
    try {
      running = start().toCompletionStage().toCompletableFuture().join();
    } catch (RuntimeException e) {
      System.err.println("meshcast: cannot start: " + StartupFailure.describe(e));
      return 1;
    }
    String signal = Shutdown.awaitSignal();
    LOG.info("event=shutdown signal=" + signal);
    long t0 = System.nanoTime();
    running.stop().run();
    LOG.info("event=stopped duration_ms=" + (System.nanoTime() - t0) / 1_000_000);
    return 0;
  }

  /**
   * Builds and starts everything: the source (Kuma pipeline from --config, or the demo mesh), the
   * predictive layer, authentication, /debug, /metrics and the HTTPS server. Public so tests can
   * run the real composition in-process (parse the flags with picocli first).
   */
  public Future<Running> start() {
    return start(Vertx.vertx());
  }

  /**
   * As {@link #start()}, on a given Vert.x instance (the serving benchmark's target passes one with
   * a low blocked-thread threshold to measure event-loop stalls). The instance is closed on stop
   * and on a failed start, as the default one is.
   */
  public Future<Running> start(Vertx vertx) {
    final DebugAccess access;
    final PredictConfig predictConfig;
    final List<DelegateConfig> delegates;
    try {
      Preflight.check(this);
      access = debugAccess != null ? DebugAccess.parse(debugAccess, "--debug-access")
          : configFile == null ? DebugAccess.LOCALHOST
          : DebugAccess.load(configFile).orElse(DebugAccess.LOCALHOST);
      predictConfig = configFile == null ? DemoMesh.predictConfig()
          : PredictConfig.load(configFile);
      delegates = configFile == null ? List.of() : DelegateConfig.load(configFile);
    } catch (ParameterException | IllegalStateException e) {
      vertx.close();
      return Future.failedFuture(e);
    } catch (RuntimeException e) { // ConfigException, IllegalArgumentException: a bad value
      vertx.close();
      return Future.failedFuture(new IllegalArgumentException(
          (configFile == null || e.getMessage().startsWith("--") ? "" : configFile + ": ")
              + e.getMessage(), e));
    }
    Optional<CertFiles> certs =
        certFile == null ? Optional.empty() : Optional.of(new CertFiles(certFile, keyFile));
    ApiServer.Options options =
        new ApiServer.Options(
            bindAddress, securePort, certs, tlsReloadInterval, selfSignedDnsNames, accessLog);
    Clock clock = Clock.systemUTC();
    PrometheusRegistry registry = new PrometheusRegistry();
    Health health = new Health();
    final Handler<RoutingContext> auth;
    final KubernetesClient kube;
    try {
      if (insecureAuthn) {
        kube = null;
        auth = InsecureAuthn.handler();
      } else {
        kube = new KubernetesClientBuilder().build(); // in-cluster config or ~/.kube/config
        auth = delegatedAuth(vertx, kube, health);
      }
    } catch (RuntimeException e) {
      vertx.close();
      return Future.failedFuture(new IllegalStateException("cannot set up authentication: "
          + e.getMessage() + " (to run without a Kubernetes cluster, for development only: "
          + "--insecure-authn)", e));
    }
    Future<Source> source;
    if (configFile != null) {
      LOG.info("event=source kind=kuma config=\"" + configFile + "\"");
      source = KumaPipeline.start(vertx, configFile, clock, new KumaPipeline.Options(registry,
              Optional.ofNullable(kube), Duration.ofSeconds(5),
              Optional.ofNullable(prometheusUrl)))
          .map(p -> {
            for (String name : List.of("config", "kuma-regime", "prometheus", "kubernetes")) {
              health.addReadiness(HealthCheck.of(name, () -> pipelineCheck(p, name)));
            }
            return new Source(PredictiveLayer.view(p), p.customMetricsProvider(),
                p.externalMetricsProvider(), p::close, adapterRuleSignals(p),
                e -> new NamespacelessExternal(e, () -> p.adapterRules()
                    .map(RuleDiscovery::namespacelessExternal).orElse(java.util.Set.of())));
          });
    } else {
      LOG.info("event=source kind=demo detail=\"NASA-HTTP July 1995 trace replayed as namespace "
          + "demo, one trace minute per second\"");
      source = DemoMesh.start(vertx, clock, registry)
          .map(m -> new Source(m, m.provider(), m.provider(), () -> {
            m.close();
            return Future.succeededFuture();
          }, java.util.Set.of(), e -> e));
    }
    // Vert.x delivers a future's result on the context that created it. Once vertx.close() has
    // stopped the event loops nothing chained after it is delivered, so a failure composed after
    // close() (as this method once did) never reached the caller and the CLI hung in join(). The
    // result is a promise bound to no context, completed (its listeners run) before close().
    Promise<Running> result = Promise.promise();
    source.compose(src -> {
      ForecastMetrics forecastMetrics = new ForecastMetrics(registry,
          () -> Duration.between(src.view().snapshot().publishedAt(), clock.instant()).toMillis()
              / 1000.0);
      PredictiveLayer layer = PredictiveLayer.start(vertx, src.view(),
          src.extraSignals().isEmpty() ? predictConfig : predictConfig.withSignals(
              union(predictConfig.signals(), src.extraSignals())), clock,
          forecastMetrics);
      health.addReadiness(HealthCheck.of("forecast-models", () -> switch (layer.bootstrapState()) {
        case PENDING, RUNNING -> HealthCheck.Result.failed("models bootstrapping: "
            + layer.bootstrapDetail());
        default -> HealthCheck.Result.ok(layer.bootstrapDetail());
      }));
      SeriesGauges.register(registry, layer::reports);
      PredictiveProvider provider = layer.provider(src.custom(), src.external());
      ExternalMetricsProvider external = src.wrapExternal().apply(provider);
      Delegation delegation = Delegation.start(vertx, delegates, clock, registry);
      ApiServer.Builder b = ApiServer.builder(vertx)
          .options(options)
          .customMetrics(delegation.custom(provider))
          .externalMetrics(delegation.external(external))
          .health(health)
          .registry(registry)
          .filter(DebugRoutes.filter(auth, access))
          .mount("/metrics", MetricsEndpoint.create(registry));
      if (!delegates.isEmpty()) {
        b.filter(delegation.filter(provider, external)); // after authentication (filter order)
      }
      if (access != DebugAccess.OFF) {
        b.mount("/debug*", DebugRoutes.create(layer, access, clock));
      }
      ApiServer server = b.build();
      LOG.info("event=debug access=" + access.name().toLowerCase(java.util.Locale.ROOT));
      Runnable stop = () -> Shutdown.inOrder(List.of(
          new Shutdown.Step("https server", server::close),
          new Shutdown.Step("delegation", delegation::close),
          new Shutdown.Step("forecasting", layer::close),
          new Shutdown.Step("source", src.close()),
          new Shutdown.Step("kubernetes client", () -> closeKube(kube)),
          new Shutdown.Step("vert.x", vertx::close)));
      return server.start()
          .recover(e -> Future.failedFuture(StartupFailure.listen(e, bindAddress, securePort)))
          .map(port -> new Running(port, vertx, server, layer, stop))
          .recover(e -> layer.close().eventually(src.close()).transform(v -> Future.failedFuture(e)));
    }).onComplete(ar -> {
      if (ar.succeeded()) {
        result.complete(ar.result());
        return;
      }
      result.fail(ar.cause());
      closeKube(kube);
      vertx.close();
    });
    return result.future();
  }

  private static Future<Void> closeKube(KubernetesClient kube) {
    if (kube != null) {
      kube.close();
    }
    return Future.succeededFuture();
  }

  /** What the server serves from: a pipeline view and its base providers. */
  private record Source(PipelineView view, CustomMetricsProvider custom,
      ExternalMetricsProvider external, java.util.function.Supplier<Future<Void>> close,
      java.util.Set<String> extraSignals,
      java.util.function.UnaryOperator<ExternalMetricsProvider> wrapExternal) {}

  /**
   * The metrics of prometheus-adapter rules discovered at start: they get forecasts and anomaly
   * scores like the golden signals (metrics discovered later are served without, until restart).
   */
  private static java.util.Set<String> adapterRuleSignals(KumaPipeline p) {
    java.util.Set<String> names = new java.util.TreeSet<>();
    p.adapterRules().ifPresent(d -> d.definitions().forEach(x -> names.add(x.name())));
    if (p.adapterRules().isPresent()) {
      LOG.info("event=prometheus_adapter_forecasts metrics=" + names.size() + " names=" + names
          + " detail=\"metrics discovered after start are served without _forecast and"
          + " _anomaly_score until restart\"");
    }
    return names;
  }

  private static java.util.Set<String> union(java.util.Set<String> a, java.util.Set<String> b) {
    java.util.Set<String> out = new java.util.LinkedHashSet<>(a);
    out.addAll(b);
    return out;
  }

  private static HealthCheck.Result pipelineCheck(KumaPipeline p, String name) {
    for (KumaPipeline.HealthCheck c : p.healthChecks()) {
      if (c.name().equals(name)) {
        return c.ok() ? HealthCheck.Result.ok(c.reason()) : HealthCheck.Result.failed(c.reason());
      }
    }
    return HealthCheck.Result.failed("no such pipeline check");
  }

  /**
   * Authentication and authorization delegated to the cluster, as a k8s.io/apiserver-based
   * server does: waits for the extension-apiserver-authentication ConfigMap (watched afterwards,
   * so CA rotation needs no restart) and reports it on /readyz.
   */
  private Handler<RoutingContext> delegatedAuth(Vertx vertx, KubernetesClient kube, Health health) {
    AuthConfigWatcher watcher = AuthConfigWatcher.create(kube);
    try {
      watcher.start().toCompletableFuture().get(authSyncTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      watcher.close();
      throw new IllegalStateException(
          "cannot read kube-system/extension-apiserver-authentication: no answer from the "
              + "Kubernetes API within " + authSyncTimeout, e);
    } catch (Exception e) {
      watcher.close();
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new IllegalStateException(
          "cannot read kube-system/extension-apiserver-authentication: " + cause, e);
    }
    health.addReadiness(
        HealthCheck.of("authentication-config", () -> watcher.hasSynced()
            ? HealthCheck.Result.ok()
            : HealthCheck.Result.failed("extension-apiserver-authentication not synced")));
    WorkerExecutor worker = vertx.createSharedWorkerExecutor("meshcast-auth", 4);
    Ticker ticker = Ticker.systemTicker();
    Authenticator authn =
        Authenticator.delegating(watcher, kube, worker, Clock.systemUTC(), ticker);
    Authorizer authz = Authorizer.delegating(kube, worker, ticker);
    return AuthHandler.create(watcher, authn, authz);
  }
}
