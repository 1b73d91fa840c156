package io.meshcast.adapter.kuma;

import io.meshcast.adapter.testing.PrometheusServer;
import io.meshcast.adapter.testing.PrometheusServer.ScrapeJob;
import io.meshcast.adapter.testing.SyntheticKumaExporter;
import io.meshcast.adapter.testing.SyntheticKumaExporter.ServiceSpec;
import io.meshcast.adapter.testing.Traffic;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Benchmark, not a test (no assertion; run on demand, issue 14's real-Prometheus point): the
 * shipped adapter jar ({@code adapter/target/meshcast.jar}, its own JVM at the manifest's heap,
 * {@code -Xmx384m} = 512Mi × 75 %) against Debian's Prometheus scraping a synthetic Kuma mesh of
 * {@code -Dscale.services} × {@code -Dscale.pods} pods (default 100 × 20 = 2,000 pods, legacy
 * regime, 15-s scrapes) for {@code -Dscale.minutes} (default 6).
 *
 * <pre>
 * mvn -B -o -pl adapter -am package -DskipTests    # the jar under test
 * mvn -B -o -pl adapter -am -Dit.test=RealPrometheusScaleBenchmark -Dtest=none \
 *     -Dsurefire.failIfNoSpecifiedTests=false verify
 * </pre>
 *
 * Printed every 15 s ({@code SCALE} lines): RSS of the adapter process, its CPU seconds, the
 * adapter's own {@code meshcast_refresh_last_duration_seconds} and series count; at the
 * end, heap after a full GC ({@code jcmd GC.run}, {@code GC.heap_info}) and the event-loop warnings
 * in its log. Prometheus starts empty, so the models only see the minutes of the run (the
 * bootstrap finds no history): the steady state with full histories is measured by the synthetic
 * {@code serving-target --mode pipeline} rows in RESULTS.md.
 */
final class RealPrometheusScaleBenchmark {

  @TempDir Path dir;

  @Test
  void realPrometheusPoint() throws Exception {
    int services = Integer.getInteger("scale.services", 100);
    int podsPer = Integer.getInteger("scale.pods", 20);
    int minutes = Integer.getInteger("scale.minutes", 6);
    String heap = System.getProperty("scale.heap", "384m");
    Path jar = Path.of(System.getProperty("scale.jar", "target/meshcast.jar")).toAbsolutePath();
    if (!Files.isReadable(jar)) {
      throw new IllegalStateException(jar + " not found: build it first with "
          + "mvn -B -o -pl adapter -am package -DskipTests");
    }
    List<ServiceSpec> specs = new ArrayList<>();
    for (int s = 0; s < services; s++) {
      specs.add(new ServiceSpec("ns" + (s % 5), "svc" + s, 80, 8080, podsPer));
    }
    try (SyntheticKumaExporter kuma = SyntheticKumaExporter.start(Regime.LEGACY, specs,
        Clock.systemUTC());
        PrometheusServer prom = PrometheusServer.start(
            List.of(new ScrapeJob("kuma-dataplanes", kuma.scrapeTargets())),
            Duration.ofSeconds(15))) {
      for (int s = 0; s < services; s++) {
        kuma.setTraffic("ns" + (s % 5), "svc" + s, new Traffic(5 + s % 17, 0.01, 25, 100, 2));
      }
      prom.awaitSeries("envoy_http_downstream_rq_total", services * podsPer,
          Duration.ofMinutes(3));
      int port = freePort();
      Path config = dir.resolve("meshcast.yaml");
      // The shipped ConfigMap (manifests/base/configmap.yaml) with the URL and no cluster.
      Files.writeString(config, """
          prometheus: {url: "%s", method: auto, timeout: 10s}
          refresh: {interval: 15s, historyPoints: 240, bootstrapWindow: 2d, bootstrapStep: 1m}
          kuma:
            regime: auto
            rateWindow: 2m
            podLabels: [app]
            presets: [kuma_rps, kuma_error_ratio, kuma_latency_p50_ms, kuma_latency_p90_ms,
                      kuma_latency_p99_ms, kuma_inflight]
          metrics:
            default: {maxAge: 1m, onEmpty: error, onNaN: error}
            kuma_error_ratio: {onNaN: {fallback: 0}}
          kubernetes: {mode: none}
          forecast: {lead: 2m, safety: maxWithObserved, step: 1m, historyPoints: 2880}
          debug: {access: localhost}
          """.formatted(prom.url()));
      Path log = dir.resolve("adapter.log");
      Process adapter = new ProcessBuilder("java", "-Xmx" + heap, "-XX:+UseG1GC",
          "-XX:+ExitOnOutOfMemoryError", "-Xlog:gc:file=" + dir.resolve("gc.log"),
          "-jar", jar.toString(), "serve", "--config", config.toString(),
          "--secure-port", Integer.toString(port), "--bind-address", "127.0.0.1",
          "--insecure-authn")
          .redirectErrorStream(true).redirectOutput(log.toFile()).start();
      long pid = adapter.pid();
      long t0 = System.nanoTime();
      long peakRss = 0;
      try {
        long end = t0 + TimeUnit.MINUTES.toNanos(minutes);
        int tick = 0;
        while (System.nanoTime() < end && adapter.isAlive()) {
          peakRss = Math.max(peakRss, rssKib(pid));
          if (tick++ % 15 == 0) {
            String metrics = curl(port, "/metrics");
            System.out.printf(Locale.ROOT, "SCALE t=%.0fs rss=%d MiB cpu=%.1fs refresh=%s s"
                    + " series=%.0f%n", (System.nanoTime() - t0) / 1e9, rssKib(pid) / 1024,
                cpuSeconds(pid), gauge(metrics, "meshcast_refresh_last_duration_seconds"),
                sum(metrics, "meshcast_snapshot_series"));
          }
          Thread.sleep(1000);
        }
        if (!adapter.isAlive()) {
          System.out.println("SCALE adapter exited with " + adapter.exitValue());
        } else {
          run("jcmd", Long.toString(pid), "GC.run");
          System.out.println("SCALE heap after full GC:\n"
              + run("jcmd", Long.toString(pid), "GC.heap_info"));
        }
        String text = Files.readString(log, StandardCharsets.UTF_8);
        System.out.printf(Locale.ROOT, "SCALE end: peak RSS %d MiB, cpu %.1f s, blocked-thread"
                + " warnings %d, OutOfMemoryError %s%n", peakRss / 1024, cpuSeconds(pid),
            count(text, "has been blocked for"), text.contains("OutOfMemoryError"));
        Files.copy(log, Path.of("target", "real-prometheus-scale-adapter.log"),
            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.copy(dir.resolve("gc.log"), Path.of("target", "real-prometheus-scale-gc.log"),
            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      } finally {
        adapter.destroy();
        if (!adapter.waitFor(20, TimeUnit.SECONDS)) {
          adapter.destroyForcibly();
        }
      }
    }
  }

  private static long rssKib(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | RuntimeException e) {
      return 0; // the process has gone; the caller sees it through isAlive()
    }
    return 0;
  }

  private static double cpuSeconds(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0; // utime + stime, USER_HZ
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  private static String curl(int port, String path) throws Exception {
    return run("curl", "-sk", "--max-time", "10", "https://127.0.0.1:" + port + path);
  }

  private static String run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
    }
    return new String(out, StandardCharsets.UTF_8);
  }

  private static String gauge(String metrics, String name) {
    Matcher m = Pattern.compile("(?m)^" + name + "(?:\\{[^}]*\\})? (\\S+)").matcher(metrics);
    return m.find() ? m.group(1) : "n/a";
  }

  private static double sum(String metrics, String name) {
    Matcher m = Pattern.compile("(?m)^" + name + "\\{[^}]*\\} (\\S+)").matcher(metrics);
    double s = 0;
    while (m.find()) {
      s += Double.parseDouble(m.group(1));
    }
    return s;
  }

  private static int count(String text, String needle) {
    int n = 0;
    for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
      n++;
    }
    return n;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
