package io.meshcast.adapter.predict;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshcast.adapter.cli.RunningAdapter;
import io.meshcast.adapter.kuma.Regime;
import io.meshcast.adapter.testing.HttpsTestClient;
import io.meshcast.adapter.testing.PrometheusServer;
import io.meshcast.adapter.testing.PrometheusServer.ScrapeJob;
import io.meshcast.adapter.testing.SyntheticKumaExporter;
import io.meshcast.adapter.testing.SyntheticKumaExporter.ServiceSpec;
import io.meshcast.adapter.testing.Traffic;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Benchmark, not a test (no assertion on time; run on demand, ~22 min of wall time, mostly
 * sleeping): the delay from a step in true demand to the value the adapter serves, with a real
 * Prometheus scraping every 15 s and the adapter refreshing every 15 s (production defaults), for
 * several {@code kuma.rateWindow}s side by side (one adapter each, same Prometheus, same traffic).
 *
 * <pre>
 * mvn -B -o -pl adapter -am -Dit.test=StepDelayBenchmark -Dtest=none \
 *     -Dsurefire.failIfNoSpecifiedTests=false verify
 * </pre>
 *
 * Traffic: two pods, Poisson-like arrivals (normal approximation, redrawn every second) at 40 req/s
 * per pod for 9 minutes (so the models have 32+ points and a fit), then steps 80 → 40 → 80 req/s
 * per pod, 4 minutes each. Per adapter and step, printed: the time from the step until the served
 * {@code kuma_rps} (observed) and {@code kuma_rps_forecast} (the serving decision) first cover
 * half and 90 % of the step; and the noise in steady state: the coefficient of variation of the
 * served values over the last 2 minutes before each step (truth is constant there).
 */
final class StepDelayBenchmark {

  static final ServiceSpec WEB = new ServiceSpec("shop", "web", 80, 8080, 2);
  static final String[] WINDOWS = {"2m", "1m", "45s"};
  static final String API = "/apis/custom.metrics.k8s.io/v1beta2/namespaces/shop/services/web/";
  @TempDir Path dir;

  private volatile double perPod = 40;

  @Test
  void stepToServedDelay() throws Exception {
    ScheduledExecutorService driver = Executors.newScheduledThreadPool(2);
    Random rnd = new Random(1);
    try (SyntheticKumaExporter kuma = SyntheticKumaExporter.start(Regime.LEGACY, List.of(WEB),
        Clock.systemUTC());
        PrometheusServer prom = PrometheusServer.start(
            List.of(new ScrapeJob("kuma-dataplanes", kuma.scrapeTargets())),
            Duration.ofSeconds(15))) {
      driver.scheduleAtFixedRate(() -> {
        for (var p : kuma.pods()) {
          double lambda = perPod;
          double n = Math.max(0, lambda + Math.sqrt(lambda) * rnd.nextGaussian());
          kuma.setTraffic(p, new Traffic(n, 0, 25, 100, 1));
        }
      }, 0, 1, TimeUnit.SECONDS);
      Map<String, RunningAdapter> adapters = new LinkedHashMap<>();
      for (String w : WINDOWS) {
        Path config = dir.resolve("w" + w + ".yaml");
        Files.writeString(config, """
            prometheus:
              url: %s
              timeout: 10s
            refresh:
              interval: 15s
              bootstrapWindow: 0s
            kuma:
              regime: legacy
              rateWindow: %s
              presets: [kuma_rps]
            kubernetes:
              mode: none
            forecast:
              signals: [kuma_rps]
            """.formatted(prom.url(), w));
        adapters.put(w, RunningAdapter.start("--config=" + config, "--insecure-authn"));
      }
      List<double[]> samples = new ArrayList<>(); // t, then (observed, served) per adapter
      long t0 = System.nanoTime();
      driver.scheduleAtFixedRate(() -> {
        double[] row = new double[1 + 2 * WINDOWS.length];
        row[0] = (System.nanoTime() - t0) / 1e9;
        int i = 1;
        for (RunningAdapter a : adapters.values()) {
          row[i++] = value(a, "kuma_rps");
          row[i++] = value(a, "kuma_rps_forecast");
        }
        synchronized (samples) {
          samples.add(row);
        }
      }, 1, 1, TimeUnit.SECONDS);
      double[] levels = {40, 80, 40, 80};
      double[] stepAt = new double[levels.length];
      Thread.sleep(Duration.ofMinutes(9).toMillis());
      for (int k = 1; k < levels.length; k++) {
        stepAt[k] = (System.nanoTime() - t0) / 1e9;
        perPod = levels[k];
        Thread.sleep(Duration.ofMinutes(4).toMillis());
      }
      driver.shutdownNow();
      adapters.values().forEach(RunningAdapter::close);
      report(samples, levels, stepAt);
    } finally {
      driver.shutdownNow();
    }
  }

  private static void report(List<double[]> samples, double[] levels, double[] stepAt) {
    System.out.println("window | step | signal | 50 % after (s) | 90 % after (s) | steady CV before");
    for (int w = 0; w < WINDOWS.length; w++) {
      for (int k = 1; k < levels.length; k++) {
        double from = 2 * levels[k - 1];
        double to = 2 * levels[k];
        for (int s = 0; s < 2; s++) {
          int col = 1 + 2 * w + s;
          double half = crossing(samples, stepAt[k], from, to, 0.5, col);
          double ninety = crossing(samples, stepAt[k], from, to, 0.9, col);
          double cv = cv(samples, stepAt[k] - 120, stepAt[k], col);
          System.out.printf(Locale.ROOT, "%s | %.0f->%.0f | %s | %.1f | %.1f | %.4f%n",
              WINDOWS[w], from, to, s == 0 ? "kuma_rps" : "kuma_rps_forecast", half, ninety, cv);
        }
      }
    }
  }

  /** Seconds from the step until the value first covers {@code share} of it (NaN: never). */
  private static double crossing(List<double[]> samples, double at, double from, double to,
      double share, int col) {
    double level = from + share * (to - from);
    for (double[] r : samples) {
      if (r[0] >= at && !Double.isNaN(r[col])
          && (to > from ? r[col] >= level : r[col] <= level)) {
        return r[0] - at;
      }
    }
    return Double.NaN;
  }

  private static double cv(List<double[]> samples, double from, double to, int col) {
    double sum = 0;
    double sq = 0;
    int n = 0;
    for (double[] r : samples) {
      if (r[0] >= from && r[0] < to && !Double.isNaN(r[col])) {
        sum += r[col];
        sq += r[col] * r[col];
        n++;
      }
    }
    double mean = sum / n;
    return Math.sqrt(Math.max(0, sq / n - mean * mean)) / mean;
  }

  private static double value(RunningAdapter a, String metric) {
    try {
      HttpResponse<String> r = a.get(API + metric);
      if (r.statusCode() != 200) {
        return Double.NaN;
      }
      JsonNode item = HttpsTestClient.json(r).path("items").path(0);
      return HttpsTestClient.quantity(item.path("value").asText());
    } catch (Exception e) {
      return Double.NaN;
    }
  }
}
