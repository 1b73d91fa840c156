package io.meshcast.adapter.cli;

import io.meshcast.adapter.config.AdapterConfig;
import io.meshcast.adapter.config.ConfigLoader;
import io.meshcast.adapter.config.IoReasons;
import io.meshcast.adapter.config.KubernetesConfig;
import io.meshcast.adapter.server.StartupFailure;
import io.meshcast.adapter.tls.ServingCertificate;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.ParameterException;

/**
 * Checks at start, before anything is built, whatever can fail for a reason the user must fix:
 * flag values, the config file (readable and valid), the certificate files, the listen address
 * and port, and whether there is a cluster to delegate authentication to. Each failure is one
 * line naming the flag or key, the value and the reason. Without these checks the same mistakes
 * surface seconds later (after the first Prometheus refresh and the model bootstrap), or deep in
 * a stack trace.
 */
final class Preflight {
  private Preflight() {}

  /**
   * Runs the checks; returns the configuration file's content (read and validated once, here;
   * the rest of the start uses it), empty without {@code --config}.
   */
  static java.util.Optional<AdapterConfig> check(ServeCommand c) {
    if ((c.certFile == null) != (c.keyFile == null)) {
      throw new ParameterException(c.spec.commandLine(),
          "--tls-cert-file and --tls-private-key-file must be given together");
    }
    if (c.demo && c.configFile != null) {
      throw new ParameterException(c.spec.commandLine(),
          "--demo and --config are mutually exclusive");
    }
    if (c.securePort < 0 || c.securePort > 65_535) {
      throw new ParameterException(c.spec.commandLine(),
          "--secure-port " + c.securePort + ": must be between 0 and 65535");
    }
    java.util.Optional<AdapterConfig> config = java.util.Optional.empty();
    if (c.configFile != null) {
      readable(c.configFile, "--config");
      // With --prometheus-url the file may be a prometheus-adapter rules file: read it the same way.
      config = java.util.Optional.of(
          ConfigLoader.load(c.configFile, java.util.Optional.ofNullable(c.prometheusUrl)));
      KubernetesConfig.Mode mode = config.get().kubernetes().mode();
      if (mode == KubernetesConfig.Mode.CLUSTER) {
        requireCluster("for kubernetes.mode: cluster", "set KUBECONFIG, or use mode: none or auto");
      }
    }
    if (c.certFile != null) {
      ServingCertificate.load(new ServingCertificate.CertFiles(c.certFile, c.keyFile));
    }
    if (!c.insecureAuthn) {
      requireCluster("to delegate authentication to",
          "set KUBECONFIG, or for development only run without authentication: --insecure-authn");
    }
    probePort(c.bindAddress, c.securePort);
    return config;
  }

  /** Fails naming the path once and the operating system's reason. */
  static void readable(Path file, String flag) {
    try (var in = Files.newInputStream(file)) {
      in.read(); // a directory opens on Linux and fails here, with the reason
    } catch (IOException e) {
      throw new IllegalArgumentException(flag + " " + file + ": cannot read: " + IoReasons.of(e),
          e);
    }
  }

  /**
   * Binds and releases the listen address, so that a port in use fails now rather than after the
   * source's first refresh. The real listen can still lose a race; its failure is reported the
   * same way ({@link StartupFailure#listen}). Port 0 binds a free port: it still checks the
   * address.
   */
  static void probePort(String address, int port) {
    final InetAddress host;
    try {
      host = InetAddress.getByName(address);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("--bind-address " + address
          + ": unknown host (give an IP address of this machine, e.g. 127.0.0.1 or 0.0.0.0)", e);
    }
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(true); // as Vert.x does: a port in TIME_WAIT is free
      s.bind(new InetSocketAddress(host, port));
    } catch (IOException e) {
      throw StartupFailure.listen(e, address, port);
    }
  }

  /**
   * Delegated authentication needs a cluster. The Kubernetes client falls back to
   * https://kubernetes.default.svc when nothing configures it, which outside a pod fails only
   * after DNS and connection retries, with a stack trace; say what is missing instead.
   */
  private static void requireCluster(String purpose, String remedy) {
    if (System.getenv("KUBERNETES_SERVICE_HOST") != null
        || System.getenv("KUBERNETES_MASTER") != null
        || System.getProperty("kubernetes.master") != null) {
      return;
    }
    String env = System.getenv("KUBECONFIG");
    String home = System.getenv("HOME"); // the client looks there before user.home
    if (home == null || home.isBlank() || !Files.isDirectory(Path.of(home))) {
      home = System.getProperty("user.home");
    }
    String kubeconfig = System.getProperty("kubeconfig",
        env != null && !env.isBlank() ? env.split(java.io.File.pathSeparator)[0]
            : Path.of(home, ".kube", "config").toString());
    if (!Files.isReadable(Path.of(kubeconfig))) {
      throw new IllegalStateException("no Kubernetes cluster " + purpose + ": not in a pod "
          + "(KUBERNETES_SERVICE_HOST unset) and no kubeconfig at " + kubeconfig + " ("
          + remedy + ")");
    }
  }
}
