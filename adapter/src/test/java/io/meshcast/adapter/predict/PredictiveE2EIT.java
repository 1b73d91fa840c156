package io.meshcast.adapter.predict;

import io.meshcast.adapter.testing.Kubectl;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshcast.adapter.cli.RunningAdapter;
import io.meshcast.adapter.kuma.Regime;
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
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end with a real Prometheus scraping a synthetic Kuma fleet every second and the adapter
 * started through its real composition root ({@code serve --config}), time-compressed: a "day" is
 * 30 s, the refresh and model step 1 s, the lead 3 s. One scenario, in order: a daily pattern
 * before start (the bootstrap reads it back with query_range), the same pattern live (anomaly
 * scores must stay low), a traffic ramp (the served forecast must lead the observed rate), a
 * latency spike (its anomaly score must rise), everything through kubectl in both custom-metrics
 * versions and as external metrics, and finally Prometheus stopped (forecast and base metrics
 * must turn into errors so the HPA holds, and /debug must say why).
 */
final class PredictiveE2EIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ServiceSpec WEB = new ServiceSpec("shop", "web", 80, 8080, 2);
  private static final String ID = "shop/web/kuma_rps";
  @TempDir Path dir;

  private volatile DoubleUnaryOperator rpsPerPod = t -> 20 + 10 * Math.sin(2 * Math.PI * t / 30);
  private volatile boolean slow;

  @Test
  void forecastsLeadAnomaliesScoreAndOutagesError() throws Exception {
    long t0 = System.nanoTime();
    ScheduledExecutorService driver = Executors.newSingleThreadScheduledExecutor();
    try (SyntheticKumaExporter kuma = SyntheticKumaExporter.start(Regime.LEGACY, List.of(WEB),
        Clock.systemUTC());
        PrometheusServer prom = PrometheusServer.start(
            List.of(new ScrapeJob("kuma-dataplanes", kuma.scrapeTargets())),
            Duration.ofSeconds(1))) {
      driver.scheduleAtFixedRate(() -> {
        double t = (System.nanoTime() - t0) / 1e9;
        double rps = Math.max(1, rpsPerPod.applyAsDouble(t));
        kuma.setTraffic("shop", "web", slow ? new Traffic(rps, 0, 250, 1000,
            (int) Math.round(rps * 0.6)) : new Traffic(rps, 0, 25, 100,
            (int) Math.round(rps * 0.06)));
      }, 0, 200, TimeUnit.MILLISECONDS);
      prom.awaitSeries("envoy_http_downstream_rq_total", 2, Duration.ofSeconds(120));
      Thread.sleep(40_000); // about 1.3 "days" of history for the bootstrap

      Path config = dir.resolve("meshcast.yaml");
      Files.writeString(config, """
          prometheus:
            url: %s
            timeout: 10s
          refresh:
            interval: 1s
            historyPoints: 120
            bootstrapWindow: 45s
            bootstrapStep: 1s
          kuma:
            regime: legacy
            rateWindow: 4s
          metrics:
            default:
              maxAge: 4s
          kubernetes:
            mode: none
          forecast:
            lead: 3s
            historyPoints: 200
            anomalyWarmupPoints: 3
            # The ramp check below compares the mean forecast with naive; the default risk (0.6)
            # serves a below-median quantile, whose headroom is measured by the replay instead.
            risk: mean
          """.formatted(prom.url()));
      try (RunningAdapter adapter = RunningAdapter.start("--config=" + config,
          "--insecure-authn")) {
        awaitBootstrap(adapter);

        // Normal daily pattern, live: anomaly scores stay low.
        double normalMax = 0;
        for (int i = 0; i < 10; i++) {
          Thread.sleep(1_000);
          JsonNode s = series(adapter, ID);
          normalMax = Math.max(normalMax, s.get("anomalyScore").asDouble());
          normalMax = Math.max(normalMax, series(adapter, "shop/web/kuma_latency_p99_ms")
              .get("anomalyScore").asDouble());
        }

        // A ramp: +4 req/s per pod per second.
        double rampStart = (System.nanoTime() - t0) / 1e9;
        double base = rpsPerPod.applyAsDouble(rampStart);
        rpsPerPod = t -> base + 4 * (t - rampStart);
        // The forecast must lead the observation while the ramp lasts: wait (generously, the
        // machine may be busy and refreshes late) for a sample whose served value comes from the
        // model and is above what is observed. Accuracy against naive is printed, not asserted:
        // a wall-clock comparison on a loaded machine measures the scheduler, not the forecaster
        // (accuracy is measured by the forecaster evaluation and the replay, RESULTS.md).
        List<double[]> samples = new ArrayList<>();
        String leadingRule = null;
        long rampDeadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < rampDeadline && (leadingRule == null || samples.size() < 20)) {
          Thread.sleep(1_000);
          JsonNode s = series(adapter, ID);
          double observed = s.get("observed").asDouble();
          double served = s.get("served").asDouble();
          samples.add(new double[] {observed, served});
          String rule = s.path("servedBy").asText();
          if (leadingRule == null && samples.size() > 3 && rule.startsWith("forecast")
              && served > observed * 1.01) {
            leadingRule = rule + " (served " + served + " > observed " + observed + ")";
          }
        }
        double fcErr = 0;
        double naiveErr = 0;
        for (int i = 5; i + 3 < samples.size(); i++) {
          double future = samples.get(i + 3)[0];
          fcErr += Math.abs(samples.get(i)[1] - future);
          naiveErr += Math.abs(samples.get(i)[0] - future);
        }
        System.out.printf("ramp: forecast abs error %.1f vs naive %.1f over %d samples; leading: %s;"
            + " normal anomaly max %.1f%n", fcErr, naiveErr, samples.size(), leadingRule, normalMax);
        assertThat(leadingRule).as("a served forecast above the observation during the ramp")
            .isNotNull();

        // A latency spike.
        double plateau = rpsPerPod.applyAsDouble((System.nanoTime() - t0) / 1e9);
        rpsPerPod = t -> plateau;
        slow = true;
        // Waits for the score to rise (generous limit) rather than sampling a fixed 6 s: on a
        // loaded machine refreshes lag and the spike reaches the scorer later (seen: 15.6 after
        // 6 s under stress-ng).
        // The trace (what the latency series reported at each poll) goes into the failure
        // message: a missed spike must say whether the value rose, was partial, or scored low.
        double spikeMax = 0;
        StringBuilder trace = new StringBuilder();
        long spikeBy = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (spikeMax < 25 && System.nanoTime() < spikeBy) {
          Thread.sleep(500);
          JsonNode p99 = series(adapter, "shop/web/kuma_latency_p99_ms");
          spikeMax = Math.max(spikeMax, p99.get("anomalyScore").asDouble());
          trace.append(String.format("%n  %s observed %.1f forecast %.1f score %.2f window %s"
              + " history %d refits %d", p99.path("observedAt").asText(),
              p99.path("observed").asDouble(), p99.path("forecast").asDouble(),
              p99.get("anomalyScore").asDouble(), p99.path("window"),
              p99.path("historySize").asInt(), p99.path("refits").asInt()));
        }
        slow = false;
        System.out.printf("spike anomaly max %.1f; trace:%s%n", spikeMax, trace);
        assertThat(normalMax).as("normal pattern").isLessThan(25);
        assertThat(spikeMax).as("latency spike; trace:%s", trace).isGreaterThanOrEqualTo(25);

        // Everything through kubectl, both versions and external.
        Path kc = adapter.kubeconfig(dir);
        for (String v : List.of("v1beta1", "v1beta2")) {
          JsonNode svc = JSON.readTree(Kubectl.get(kc, "get", "--raw",
              "/apis/custom.metrics.k8s.io/" + v + "/namespaces/shop/services/web/"
                  + "kuma_rps_forecast"));
          assertThat(svc.at("/items/0/describedObject/name").asText()).isEqualTo("web");
          JsonNode pods = JSON.readTree(Kubectl.get(kc, "get", "--raw",
              "/apis/custom.metrics.k8s.io/" + v + "/namespaces/shop/pods/*/"
                  + "kuma_saturation_forecast"));
          assertThat(pods.get("items").size()).isEqualTo(2);
          JsonNode anomaly = JSON.readTree(Kubectl.get(kc, "get", "--raw",
              "/apis/custom.metrics.k8s.io/" + v + "/namespaces/shop/deployments.apps/web/"
                  + "kuma_latency_p99_ms_anomaly_score"));
          assertThat(anomaly.at("/items/0/describedObject/kind").asText())
              .isEqualTo("Deployment");
        }
        JsonNode ext = JSON.readTree(Kubectl.get(kc, "get", "--raw",
            "/apis/external.metrics.k8s.io/v1beta1/namespaces/shop/kuma_rps_forecast"
                + "?labelSelector=service%3Dweb"));
        assertThat(ext.at("/items/0/metricLabels/service").asText()).isEqualTo("web");

        // Prometheus stopped: after maxAge (4 s) every metric errors; /debug says why. Waits
        // for that (generous limit) rather than sleeping a fixed time.
        prom.close();
        long staleBy = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        for (String metric : List.of("kuma_rps_forecast", "kuma_rps", "kuma_saturation_forecast")) {
          HttpResponse<String> r;
          while ((r = adapter.get("/apis/custom.metrics.k8s.io/v1beta2/namespaces/"
              + "shop/services/web/" + metric)).statusCode() == 200) {
            assertThat(System.nanoTime()).as(metric + " still served: " + r.body())
                .isLessThan(staleBy);
            Thread.sleep(200);
          }
          assertThat(r.statusCode()).as(metric + ": " + r.body()).isEqualTo(503);
          assertThat(r.body()).contains("stale");
        }
        JsonNode s = series(adapter, ID);
        assertThat(s.get("lastError").asText()).isNotEmpty();
        // Readiness stays up once Prometheus has answered (the pipeline's policy): dropping
        // every replica from the Service would make the APIService unavailable, while a 503
        // per metric lets each HPA hold.
        assertThat(adapter.get("/readyz").statusCode()).isEqualTo(200);
        // The pipeline's checks under the names docs/configuration.md lists, as serve wires them.
        String verbose = adapter.get("/readyz?verbose").body();
        assertThat(verbose).as(verbose).contains("[+]config ok").contains("[+]kuma-regime ok")
            .contains("[+]prometheus ok").contains("[+]kubernetes ok")
            .contains("[+]forecast-models ok");
      }
    } finally {
      driver.shutdownNow();
    }
  }

  private static void awaitBootstrap(RunningAdapter adapter) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
    while (true) {
      HttpResponse<String> r = adapter.get("/debug/metrics");
      if (r.statusCode() == 200) {
        JsonNode d = JSON.readTree(r.body());
        if (d.at("/bootstrap/state").asText().equals("DONE") && hasSeries(d, ID)) {
          assertThat(d.at("/bootstrap/detail").asText()).contains("series bootstrapped");
          JsonNode s = series(d, ID);
          assertThat(s.get("historySize").asInt()).as("bootstrapped history").isGreaterThan(30);
          return;
        }
      }
      assertThat(System.nanoTime()).as("bootstrap: %s", r.body()).isLessThan(deadline);
      Thread.sleep(300);
    }
  }

  private static JsonNode series(RunningAdapter adapter, String id) throws Exception {
    return series(JSON.readTree(adapter.get("/debug/metrics").body()), id);
  }

  private static boolean hasSeries(JsonNode d, String id) {
    for (JsonNode s : d.get("series")) {
      if (s.get("id").asText().equals(id)) {
        return true;
      }
    }
    return false;
  }

  private static JsonNode series(JsonNode d, String id) {
    for (JsonNode s : d.get("series")) {
      if (s.get("id").asText().equals(id)) {
        return s;
      }
    }
    throw new AssertionError("no series " + id);
  }

}
