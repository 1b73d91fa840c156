package io.meshcast.adapter.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code meshcast serve} as a user runs it: a separate JVM, its exit code and its stderr. Every
 * startup failure must end the process with a non-zero code and one line naming the problem; a
 * SIGTERM must stop it cleanly with exit code 0. Limits are generous (a busy CI machine is slow);
 * the elapsed times are printed for the record, never asserted.
 */
class ServeProcessIT {
  private static final Duration LIMIT = Duration.ofSeconds(90);

  @TempDir
  Path dir;

  record Result(int exitCode, String stderr, Duration elapsed) {
    /** The lines meshcast itself printed as its verdict (not log records). */
    List<String> verdicts() {
      return stderr.lines().filter(l -> l.startsWith("meshcast")).toList();
    }
  }

  static Stream<Arguments> badConfigs() {
    return Stream.of(
        Arguments.of("prometheus:\n  url: http://127.0.0.1:1\n  timout: 5s\n",
            "prometheus.timout: unknown key (did you mean \"timeout\"?)"),
        Arguments.of("prometheus:\n  url: http://127.0.0.1:1\n  timeout: 5x\n",
            "prometheus.timeout: invalid duration \"5x\""),
        Arguments.of("prometeus: {}\n", "prometeus: unknown key (did you mean \"prometheus\"?)"),
        Arguments.of("prometheus: {url: \"http://127.0.0.1:1\"}\nrefresh: {intervall: 5s}\n",
            "refresh.intervall: unknown key (did you mean \"interval\"?)"),
        Arguments.of("prometheus: {url: \"http://127.0.0.1:1\"}\nkuma: {regime: v3}\n",
            "kuma.regime: invalid value \"v3\""),
        Arguments.of("prometheus: {url: \"http://127.0.0.1:1\"}\n"
            + "metrics: {kuma_rsp: {maxAge: 1m}}\n", "metrics.kuma_rsp: unknown metric"),
        Arguments.of("prometheus: {url: \"http://127.0.0.1:1\"}\nforecast: {leed: 2m}\n",
            "forecast.leed: unknown key"));
  }

  @ParameterizedTest
  @MethodSource("badConfigs")
  void badConfig_exitsNamingFileKeyAndValue(String yaml, String message) throws Exception {
    Path config = dir.resolve("meshcast.yaml");
    Files.writeString(config, yaml);
    Result r = serve(Map.of(), "--insecure-authn", "--secure-port=0", "--config=" + config);
    assertFailedWith(r, 1, config + ": " + message);
  }

  @Test
  void missingConfigFile_namesThePathOnceAndTheReason() throws Exception {
    Path missing = dir.resolve("nope.yaml");
    Result r = serve(Map.of(), "--insecure-authn", "--secure-port=0", "--config=" + missing);
    assertFailedWith(r, 1, "--config " + missing + ": cannot read: no such file");
    assertThat(r.verdicts().get(0).split(missing.toString(), -1)).hasSize(2);
  }

  @Test
  void configDirectory_saysItIsADirectory() throws Exception {
    Result r = serve(Map.of(), "--insecure-authn", "--secure-port=0", "--config=" + dir);
    assertFailedWith(r, 1, "--config " + dir + ": cannot read: is a directory");
  }

  @Test
  void unreadableConfig_saysPermissionDenied() throws Exception {
    Path config = dir.resolve("secret.yaml");
    Files.writeString(config, "prometheus: {url: \"http://127.0.0.1:1\"}\n");
    Files.setPosixFilePermissions(config, java.util.Set.of());
    org.junit.jupiter.api.Assumptions.assumeFalse(Files.isReadable(config),
        "running as root: every file is readable, permission denied cannot be produced");
    Result r = serve(Map.of(), "--insecure-authn", "--secure-port=0", "--config=" + config);
    assertFailedWith(r, 1, "--config " + config + ": cannot read: permission denied");
  }

  @Test
  void portInUse_namesPortAddressAndFlag() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      Path config = dir.resolve("ok.yaml");
      Files.writeString(config, "prometheus: {url: \"http://127.0.0.1:1\"}\n");
      for (String[] flags : List.of(new String[] {"--demo"}, new String[] {"--config=" + config})) {
        List<String> args = new ArrayList<>(List.of("--insecure-authn",
            "--secure-port=" + taken.getLocalPort()));
        args.addAll(List.of(flags));
        Result r = serve(Map.of(), args.toArray(String[]::new));
        assertFailedWith(r, 1, "port " + taken.getLocalPort()
            + " on 127.0.0.1 is already in use by another process (choose another port with "
            + "--secure-port");
        assertThat(r.stderr()).doesNotContain("rejected").doesNotContain("event=refresh");
      }
    }
  }

  @Test
  void badTlsFiles_nameFlagFileAndReason() throws Exception {
    Path key = dir.resolve("key.pem");
    Files.writeString(key, "not a key");
    Result r = serve(Map.of(), "--insecure-authn", "--secure-port=0",
        "--tls-cert-file=" + dir.resolve("cert.pem"), "--tls-private-key-file=" + key);
    assertFailedWith(r, 1, "--tls-cert-file " + dir.resolve("cert.pem")
        + " cannot be read: no such file");
    Files.writeString(dir.resolve("cert.pem"), "not a cert");
    r = serve(Map.of(), "--insecure-authn", "--secure-port=0",
        "--tls-cert-file=" + dir.resolve("cert.pem"), "--tls-private-key-file=" + key);
    assertFailedWith(r, 1, "--tls-private-key-file " + key + " contains no PEM private key");
  }

  @Test
  void badFlagValues_areOneLineUsageErrors() throws Exception {
    assertFailedWith(serve(Map.of(), "--secure-port=abc"), 2,
        "meshcast serve: Invalid value for option '--secure-port': 'abc' is not an int "
            + "(see 'meshcast serve --help')");
    assertFailedWith(serve(Map.of(), "--tls-reload-interval=5x"), 2,
        "--tls-reload-interval': invalid duration \"5x\"");
    assertFailedWith(serve(Map.of(), "--insecure-authn", "--secure-port=70000"), 1,
        "--secure-port 70000: must be between 0 and 65535");
    assertFailedWith(serve(Map.of(), "--insecure-authn", "--secure-port=0",
        "--bind-address=192.0.2.1"), 1, "--bind-address 192.0.2.1 is not an address of this "
            + "machine");
    assertFailedWith(serve(Map.of(), "--insecure-authn", "--secure-port=0",
        "--debug-access=everyone"), 1, "--debug-access: expected off, localhost or "
            + "authenticated, was \"everyone\"");
  }

  @Test
  void noCluster_withoutInsecureAuthn_saysWhatIsMissing() throws Exception {
    Result r = serve(Map.of("HOME", dir.toString()), "--secure-port=0", "--demo");
    assertFailedWith(r, 1, "no Kubernetes cluster to delegate authentication to: not in a pod "
        + "(KUBERNETES_SERVICE_HOST unset) and no kubeconfig at " + dir.resolve(".kube/config"));
  }

  /**
   * A failure after Vert.x is running (here the informers, refused by RBAC) used to be composed
   * after {@code vertx.close()} and was never delivered: the process hung. It must exit too.
   */
  @Test
  void failureAfterStartup_began_stillExits() throws Exception {
    WireMockServer api = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    api.start();
    try {
      api.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(403)
          .withHeader("Content-Type", "application/json")
          .withBody("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\","
              + "\"message\":\"forbidden by test\",\"reason\":\"Forbidden\",\"code\":403}")));
      Path kubeconfig = dir.resolve("kubeconfig");
      Files.writeString(kubeconfig, """
          apiVersion: v1
          kind: Config
          clusters: [{name: c, cluster: {server: "http://127.0.0.1:%d"}}]
          users: [{name: u, user: {token: t}}]
          contexts: [{name: x, context: {cluster: c, user: u}}]
          current-context: x
          """.formatted(api.port()));
      Path config = dir.resolve("cluster.yaml");
      Files.writeString(config,
          "prometheus: {url: \"http://127.0.0.1:1\"}\nkubernetes: {mode: cluster}\n");
      Result r = serve(Map.of("KUBECONFIG", kubeconfig.toString()), "--insecure-authn",
          "--secure-port=0", "--config=" + config);
      assertThat(r.exitCode()).as(r.stderr()).isEqualTo(1);
      assertThat(r.verdicts()).as(r.stderr()).hasSize(1);
      assertThat(r.verdicts().get(0)).startsWith("meshcast: cannot start: cannot list ")
          .contains(": 403 forbidden by test");
    } finally {
      api.stop();
    }
  }

  @Test
  void sharding_withoutTheKubernetesApi_exitsSayingWhy() throws Exception {
    Path config = dir.resolve("sharded.yaml");
    Files.writeString(config,
        "prometheus: {url: \"http://127.0.0.1:1\"}\nsharding: {enabled: true}\n");
    Result r = serve(Map.of(), "--insecure-authn", "--secure-port=0", "--config=" + config);
    assertThat(r.exitCode()).as(r.stderr()).isEqualTo(1);
    assertThat(r.verdicts()).as(r.stderr()).singleElement().asString()
        .contains("sharding.enabled: needs the Kubernetes API");
  }

  /**
   * Also checks the access log of the shipped logging set-up end to end: one request, one line in
   * the JUL format every other record has (written by the access log's batched console path).
   */
  @Test
  void sigterm_stopsCleanlyWithExitCodeZero() throws Exception {
    String err = sigtermAfter("event=listening", 100, port -> {
      HttpResponse<String> r = RunningAdapter.trustingClient().send(HttpRequest.newBuilder(
              URI.create("https://127.0.0.1:" + port + "/apis/custom.metrics.k8s.io/v1beta2"))
          .timeout(Duration.ofSeconds(60)).GET().build(), HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      awaitLog("path=\"/apis/custom.metrics.k8s.io/v1beta2\"");
    });
    assertThat(err).doesNotContain("rejected");
    assertThat(err.lines().filter(l -> l.contains(" io.meshcast.adapter.access ")))
        .singleElement().asString()
        .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z INFO    "
            + "io\\.meshcast\\.adapter\\.access method=GET "
            + "path=\"/apis/custom\\.metrics\\.k8s\\.io/v1beta2\" code=200 duration_ms=\\d+\\.\\d{3} "
            + "user=\"[^\"]*\" remote=127\\.0\\.0\\.1:\\d+");
  }

  /**
   * A SIGTERM while the server is still starting (here: as soon as it logs its certificate, before
   * it listens) stops it cleanly once started. The handlers used to be installed only after the
   * start, so such a signal met the JVM's default handler and the process died with 143.
   */
  @Test
  void sigtermDuringStartUp_stopsCleanlyOnceStarted() throws Exception {
    // polled often: the signal should beat listening
    sigtermAfter("event=tls_certificate", 5, null);
  }

  /**
   * Starts the demo server, sends SIGTERM once its log contains {@code logLine} (polled every
   * {@code pollMillis}), after running {@code before} (if given) with the port it listens on,
   * and asserts a clean stop: exit 0, the shutdown and stopped events, no exception. Returns the
   * log for further checks.
   */
  private String sigtermAfter(String logLine, long pollMillis, BeforeSignal before)
      throws Exception {
    Process p = start(Map.of(), "--insecure-authn", "--secure-port=0", "--demo");
    Path log = dir.resolve("serve.err");
    try {
      awaitLog(p, logLine, pollMillis);
      if (before != null) { // the server listens by now: logLine is event=listening
        Matcher m = Pattern.compile("event=listening address=\\S+ port=(\\d+)")
            .matcher(Files.readString(log));
        assertThat(m.find()).isTrue();
        before.run(Integer.parseInt(m.group(1)));
      }
      long t0 = System.nanoTime();
      p.destroy(); // SIGTERM
      assertThat(p.waitFor(LIMIT.toSeconds(), TimeUnit.SECONDS)).as("exited").isTrue();
      String err = Files.readString(log);
      System.out.println("[ServeProcessIT] SIGTERM after " + logLine + " to exit: "
          + Duration.ofNanos(System.nanoTime() - t0).toMillis() + " ms");
      assertThat(p.exitValue()).as(err).isZero();
      assertThat(err).contains("event=shutdown signal=SIGTERM").contains("event=stopped");
      assertThat(err).doesNotContain("Exception");
      return err;
    } finally {
      p.destroyForcibly();
    }
  }

  /** What a SIGTERM test does once the server listens, given its port. */
  private interface BeforeSignal {
    void run(int port) throws Exception;
  }

  private void awaitLog(String logLine) throws Exception {
    awaitLog(null, logLine, 100);
  }

  /** Waits (120 s at most) until the server's log contains {@code logLine}. */
  private void awaitLog(Process p, String logLine, long pollMillis) throws Exception {
    Path log = dir.resolve("serve.err");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (!Files.readString(log).contains(logLine)) {
      if (p != null) {
        assertThat(p.isAlive()).as(Files.readString(log)).isTrue();
      }
      assertThat(System.nanoTime()).as("%s within 120 s", logLine).isLessThan(deadline);
      Thread.sleep(pollMillis);
    }
  }

  private static void assertFailedWith(Result r, int code, String message) {
    assertThat(r.exitCode()).as(r.stderr()).isEqualTo(code);
    assertThat(r.verdicts()).as(r.stderr()).hasSize(1);
    assertThat(r.verdicts().get(0)).contains(message);
    assertThat(r.stderr()).as("no stack trace").doesNotContain("\tat ");
    assertThat(r.stderr()).doesNotContain("Usage:");
  }

  private Result serve(Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    long t0 = System.nanoTime();
    Process p = start(env, args);
    boolean done = p.waitFor(LIMIT.toSeconds(), TimeUnit.SECONDS);
    if (!done) {
      p.destroyForcibly();
    }
    Duration took = Duration.ofNanos(System.nanoTime() - t0);
    String err = Files.readString(dir.resolve("serve.err"), StandardCharsets.UTF_8);
    assertThat(done).as("exited within %s; stderr: %s", LIMIT, err).isTrue();
    System.out.println("[ServeProcessIT] " + String.join(" ", args) + " -> exit "
        + p.exitValue() + " in " + took.toMillis() + " ms");
    return new Result(p.exitValue(), err, took);
  }

  private Process start(Map<String, String> env, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "io.meshcast.adapter.Main", "serve"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd)
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(dir.resolve("serve.err").toFile());
    pb.environment().remove("KUBERNETES_SERVICE_HOST");
    pb.environment().remove("KUBECONFIG");
    pb.environment().put("HOME", dir.toString()); // no ~/.kube/config unless a test writes one
    pb.environment().putAll(env);
    return pb.start();
  }
}
