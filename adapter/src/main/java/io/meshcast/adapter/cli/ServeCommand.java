package io.meshcast.adapter.cli;

import io.meshcast.adapter.api.ApiServer;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.meshcast.adapter.config.AdapterConfig;
import io.meshcast.adapter.config.DebugAccess;
import io.meshcast.adapter.server.Adapter;
import io.meshcast.adapter.server.Shutdown;
import io.meshcast.adapter.server.StartupFailure;
import io.vertx.core.Future;
import io.meshcast.adapter.tls.ServingCertificate.CertFiles;
import io.vertx.core.Vertx;
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

  @Override
  public Integer call() throws InterruptedException {
    Shutdown.Signals signals = Shutdown.trapSignals();
    final Adapter.Running running;
    try {
      running = start().toCompletionStage().toCompletableFuture().join();
    } catch (RuntimeException e) {
      System.err.println("meshcast: cannot start: " + StartupFailure.describe(e));
      return 1;
    }
    String signal = signals.await();
    LOG.info("event=shutdown signal=" + signal);
    long t0 = System.nanoTime();
    running.stop().run();
    LOG.info("event=stopped duration_ms=" + (System.nanoTime() - t0) / 1_000_000);
    return 0;
  }

  /**
   * Checks the flags and the configuration (read once, here), then starts the {@link Adapter}.
   * Public so tests can run the real composition in-process (parse the flags with picocli first).
   */
  public Future<Adapter.Running> start() {
    return start(Vertx.vertx());
  }

  /**
   * As {@link #start()}, on a given Vert.x instance (the serving benchmark's target passes one with
   * a low blocked-thread threshold to measure event-loop stalls). The instance is closed on stop
   * and on a failed start, as the default one is.
   */
  public Future<Adapter.Running> start(Vertx vertx) {
    final Adapter.Settings settings;
    try {
      Optional<AdapterConfig> config = Preflight.check(this); // the one read of --config
      DebugAccess access = debugAccess != null ? DebugAccess.parse(debugAccess, "--debug-access")
          : config.flatMap(AdapterConfig::debugAccess).orElse(DebugAccess.LOCALHOST);
      Optional<CertFiles> certs =
          certFile == null ? Optional.empty() : Optional.of(new CertFiles(certFile, keyFile));
      settings = new Adapter.Settings(
          new ApiServer.Options(
              bindAddress, securePort, certs, tlsReloadInterval, selfSignedDnsNames, accessLog),
          Optional.ofNullable(configFile), config, Optional.ofNullable(prometheusUrl), access,
          insecureAuthn, authSyncTimeout, System.getenv("KUBERNETES_SERVICE_HOST") != null,
          System.getenv());
    } catch (ParameterException | IllegalStateException e) {
      vertx.close();
      return Future.failedFuture(e);
    } catch (RuntimeException e) { // ConfigException, IllegalArgumentException: a bad value
      vertx.close();
      return Future.failedFuture(new IllegalArgumentException(
          (configFile == null || e.getMessage().startsWith("--") ? "" : configFile + ": ")
              + e.getMessage(), e));
    }
    // in-cluster config or ~/.kube/config
    return Adapter.start(settings, vertx, Clock.systemUTC(),
        () -> new KubernetesClientBuilder().build());
  }
}
