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
import io.meshcast.adapter.demo.DemoMesh;
import io.meshcast.adapter.health.Health;
import io.meshcast.adapter.health.HealthCheck;
import io.meshcast.adapter.provider.memory.InMemoryMetricsProvider;
import io.meshcast.adapter.tls.ServingCertificate.CertFiles;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.TimeUnit;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
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
      converter = Durations.class,
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
      converter = Durations.class,
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

  @Override
  public Integer call() throws InterruptedException {
    if ((certFile == null) != (keyFile == null)) {
      throw new ParameterException(
          spec.commandLine(), "--tls-cert-file and --tls-private-key-file must be given together");
    }
    Optional<CertFiles> certs =
        certFile == null ? Optional.empty() : Optional.of(new CertFiles(certFile, keyFile));
    ApiServer.Options options =
        new ApiServer.Options(
            bindAddress, securePort, certs, tlsReloadInterval, selfSignedDnsNames, accessLog);
    Clock clock = Clock.systemUTC();
    Vertx vertx = Vertx.vertx();
    InMemoryMetricsProvider provider = new InMemoryMetricsProvider();
    LOG.info("event=source kind=demo detail=\"embedded demo mesh in namespace demo\"");
    DemoMesh mesh = new DemoMesh(provider, clock);
    mesh.refresh();
    vertx.setPeriodic(5_000, id -> mesh.refresh());
    Health health = new Health();
    health.addReadiness(HealthCheck.of("demo-source", HealthCheck.Result::ok));
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
      System.err.println("meshcast: cannot set up authentication: " + e.getMessage()
          + "\n  (to run without a Kubernetes cluster, for development only: --insecure-authn)");
      vertx.close();
      return 1;
    }
    ApiServer server =
        ApiServer.builder(vertx)
            .options(options)
            .customMetrics(provider)
            .externalMetrics(provider)
            .health(health)
            .registry(new PrometheusRegistry())
            .filter(auth)
            .build();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  LOG.info("event=shutdown");
                  server.close().eventually(vertx::close).onComplete(v -> stopped.countDown());
                  if (kube != null) {
                    kube.close();
                  }
                  try {
                    stopped.await();
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                }));
    try {
      server.start().toCompletionStage().toCompletableFuture().join();
    } catch (RuntimeException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      System.err.println("meshcast: cannot start: " + cause.getMessage());
      vertx.close();
      return 1;
    }
    stopped.await();
    return 0;
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
