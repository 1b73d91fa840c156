package io.meshcast.adapter.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A real Prometheus ({@code /usr/bin/prometheus}, Debian package) for tests: listens on a free
 * 127.0.0.1 port, stores its TSDB in a temp directory, scrapes the given static targets every
 * {@code scrapeInterval}, and is killed and cleaned up by {@link #close()}.
 *
 * <p>Installs nothing: if the binary is missing, {@link #start} fails with a message pointing at
 * {@code scripts/test.sh}, which installs the package.
 */
public final class PrometheusServer implements AutoCloseable {

  /** The binary used; override with {@code -Dmeshcast.prometheus=/path}. */
  public static final Path BINARY = Path.of(System.getProperty("meshcast.prometheus",
      "/usr/bin/prometheus"));

  /**
   * A scrape job: a name and its targets; {@code httpsInsecure} scrapes them over HTTPS without
   * verifying the certificate (meshcast's own self-signed /metrics).
   */
  public record ScrapeJob(String name, List<ScrapeTarget> targets, boolean httpsInsecure) {
    public ScrapeJob {
      targets = List.copyOf(targets);
    }

    public ScrapeJob(String name, List<ScrapeTarget> targets) {
      this(name, targets, false);
    }
  }

  private volatile Process process;
  private final Path dir;
  private final int port;
  private volatile Duration scrapeInterval;
  private final HttpClient http = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(30)).build();

  private PrometheusServer(Process process, Path dir, int port) {
    this.process = process;
    this.dir = dir;
    this.port = port;
  }

  /** Starts Prometheus and waits until it reports ready (at most 60 s). */
  public static PrometheusServer start(List<ScrapeJob> jobs, Duration scrapeInterval)
      throws IOException, InterruptedException {
    if (!Files.isExecutable(BINARY)) {
      throw new IllegalStateException(BINARY + " not found: the integration tests need Debian's"
          + " prometheus package (scripts/test.sh installs it: apt-get install prometheus)");
    }
    Path dir = Files.createTempDirectory("meshcast-prometheus-");
    Path config = dir.resolve("prometheus.yml");
    Files.writeString(config, config(jobs, scrapeInterval));
    IOException last = null;
    for (int attempt = 0; attempt < 3; attempt++) {
      int port = freePort();
      PrometheusServer s = new PrometheusServer(launch(dir, port), dir, port);
      s.scrapeInterval = scrapeInterval;
      if (s.awaitReady(Duration.ofSeconds(60))) {
        return s;
      }
      last = new IOException("Prometheus did not become ready on port " + port + ": "
          + s.logTail());
      s.stopProcess();
    }
    deleteTree(dir);
    throw last;
  }

  private static Process launch(Path dir, int port) throws IOException {
    return new ProcessBuilder(BINARY.toString(),
        "--config.file=" + dir.resolve("prometheus.yml"),
        "--storage.tsdb.path=" + dir.resolve("data"),
        "--storage.tsdb.retention.time=1h",
        "--web.listen-address=127.0.0.1:" + port,
        "--web.enable-lifecycle",
        "--log.level=warn")
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("prometheus.log").toFile()))
        .start();
  }

  /** Stops Prometheus (SIGTERM, a clean shutdown) and keeps its TSDB for {@link #restart()}. */
  public void stop() {
    stopProcess();
  }

  /**
   * Starts Prometheus again on the same port with the same TSDB and configuration, as after an
   * outage, and waits until it reports ready (at most 60 s; the port is retried meanwhile in case
   * the kernel has not released it yet).
   */
  public void restart() throws IOException, InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      process = launch(dir, port);
      if (awaitReady(Duration.ofSeconds(60))) {
        return;
      }
      stopProcess();
      Thread.sleep(500);
    }
    throw new IOException("Prometheus did not come back on port " + port + ": " + logTail());
  }

  /**
   * Replaces the scrape targets (pods added or removed) and reloads Prometheus' configuration
   * through {@code POST /-/reload}; returns when the reload succeeded.
   */
  public void updateTargets(List<ScrapeJob> jobs) throws IOException, InterruptedException {
    Files.writeString(dir.resolve("prometheus.yml"), config(jobs, scrapeInterval));
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(url().resolve("/-/reload"))
        .POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(60)).build(),
        HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IOException("Prometheus refused the new configuration: HTTP " + r.statusCode()
          + " " + r.body() + "\n" + logTail());
    }
  }

  /** The base URL, e.g. {@code http://127.0.0.1:40123}. */
  public URI url() {
    return URI.create("http://127.0.0.1:" + port);
  }

  public int port() {
    return port;
  }

  /**
   * Waits until the instant query returns at least {@code minSeries} series.
   *
   * @throws IllegalStateException on timeout, with the last answer
   */
  public void awaitSeries(String promql, int minSeries, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    String body = "";
    while (System.nanoTime() < deadline) {
      body = query(promql);
      if (countResults(body) >= minSeries) {
        return;
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException("Prometheus at " + url() + " has fewer than " + minSeries
        + " series for " + promql + " after " + timeout + "; last answer: "
        + body.substring(0, Math.min(500, body.length())));
  }

  /** Raw JSON of an instant query (for assertions in harness users). */
  public String query(String promql) throws InterruptedException {
    return query(promql, Instant.now());
  }

  /** The raw JSON answer of an instant query evaluated at {@code time} (millisecond precision). */
  public String query(String promql, Instant time) throws InterruptedException {
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(url().resolve(
              "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)
                  + "&time=" + String.format(java.util.Locale.ROOT, "%.3f",
                      time.toEpochMilli() / 1000.0)))
          .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
      return r.body();
    } catch (IOException e) {
      return "";
    }
  }

  /** The last lines of Prometheus' log, for failure messages. */
  public String logTail() {
    try {
      List<String> lines = Files.readAllLines(dir.resolve("prometheus.log"));
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() {
    stopProcess();
    deleteTree(dir);
  }

  private void stopProcess() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private boolean awaitReady(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline && process.isAlive()) {
      try {
        HttpResponse<Void> r = http.send(HttpRequest.newBuilder(url().resolve("/-/ready"))
            .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) {
          return true;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    return false;
  }

  static String config(List<ScrapeJob> jobs, Duration scrapeInterval) {
    String every = scrapeInterval.toMillis() + "ms";
    StringBuilder sb = new StringBuilder();
    sb.append("global:\n  scrape_interval: ").append(every)
        .append("\n  scrape_timeout: ").append(every)
        .append("\n  evaluation_interval: ").append(every).append("\nscrape_configs:\n");
    for (ScrapeJob j : jobs) {
      sb.append("- job_name: ").append(quote(j.name())).append('\n');
      if (j.httpsInsecure()) {
        sb.append("  scheme: https\n  tls_config:\n    insecure_skip_verify: true\n");
      }
      sb.append("  static_configs:\n");
      for (ScrapeTarget t : j.targets()) {
        sb.append("  - targets: [").append(quote(t.address())).append("]\n    labels:\n")
            .append("      __metrics_path__: ").append(quote(t.metricsPath())).append('\n');
        for (Map.Entry<String, String> e : t.labels().entrySet()) {
          sb.append("      ").append(e.getKey()).append(": ").append(quote(e.getValue()))
              .append('\n');
        }
      }
    }
    return sb.toString();
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  private static int countResults(String body) {
    int i = body.indexOf("\"result\":[");
    if (i < 0) {
      return 0;
    }
    Matcher m = Pattern.compile("\"metric\":").matcher(body);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // best effort: a temp directory
    }
  }
}
