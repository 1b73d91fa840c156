package io.meshcast.adapter.kuma;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshcast.adapter.cli.RunningAdapter;
import io.meshcast.adapter.testing.HttpsTestClient;
import io.meshcast.adapter.testing.PrometheusServer;
import io.meshcast.adapter.testing.PrometheusServer.ScrapeJob;
import io.meshcast.adapter.testing.SyntheticKumaExporter;
import io.meshcast.adapter.testing.SyntheticKumaExporter.CallerPressure;
import io.meshcast.adapter.testing.SyntheticKumaExporter.ServiceSpec;
import io.meshcast.adapter.testing.Traffic;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Offered demand end to end (issue 11, part 3), per naming regime: a real Prometheus scrapes a
 * synthetic fleet every second in which {@code backend} is saturated — its pods serve a plateau
 * that includes retries, while its caller {@code frontend}'s sidecar rejects requests for it,
 * queues more and retries — and the adapter, started through its composition root, must serve
 * {@code kuma_demand_rps} equal to the exporter's ground truth (served - retries + rejected +
 * queue growth), {@code kuma_rps} equal to the plateau, and {@code kuma_demand_rps_forecast}
 * through the serving decision. Tolerance: 3 % relative, as for every rate in
 * {@link KumaGoldenSignalsIT}.
 */
final class KumaDemandIT {

  static final double TOLERANCE = 0.03;
  static final int WINDOW_SECONDS = 10;
  static final ServiceSpec BACKEND = new ServiceSpec("kuma-demo", "backend", 3001, 8080, 2);
  static final ServiceSpec FRONTEND = new ServiceSpec("kuma-demo", "frontend", 80, 8080, 1);
  static final String API = "/apis/custom.metrics.k8s.io/v1beta2/namespaces/kuma-demo/services/";

  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(Regime.class)
  void saturatedService_servesOfferedDemand_notThePlateau(Regime r) throws Exception {
    try (SyntheticKumaExporter kuma = SyntheticKumaExporter.start(r, List.of(BACKEND, FRONTEND),
        Clock.systemUTC())) {
      // 80 req/s served, of which 10 are retries; the caller rejects 25 and queues 3 more per s.
      kuma.setTraffic("kuma-demo", "backend", new Traffic(40, 0.1, 25, 100, 5));
      kuma.setTraffic("kuma-demo", "frontend", new Traffic(12, 0, 5, 25, 1));
      kuma.setPressure(kuma.pods("kuma-demo", "frontend").get(0), BACKEND,
          new CallerPressure(25, 3, 10, 4));
      double demand = kuma.demand("kuma-demo", "backend");
      assertThat(demand).isCloseTo(98, within(1e-9));
      try (PrometheusServer prom = PrometheusServer.start(
          List.of(new ScrapeJob("kuma-dataplanes", kuma.scrapeTargets())), Duration.ofSeconds(1))) {
        prom.awaitSeries("count_over_time(envoy_cluster_upstream_rq_pending_active["
            + WINDOW_SECONDS + "s]) >= " + (WINDOW_SECONDS - 2), 1, Duration.ofSeconds(120));
        Path config = dir.resolve(r + ".yaml");
        Files.writeString(config, """
            prometheus:
              url: %s
              timeout: 10s
            refresh:
              interval: 1s
              bootstrapWindow: 0s
            kuma:
              regime: %s
              rateWindow: %ds
            kubernetes:
              mode: none
            forecast:
              lead: 3s
            """.formatted(prom.url(), r.name().toLowerCase(), WINDOW_SECONDS));
        try (RunningAdapter adapter = RunningAdapter.start("--config=" + config,
            "--insecure-authn")) {
          double rps = awaitValue(adapter, "backend/kuma_rps");
          assertThat(rps).as(r + " kuma_rps (the plateau, retries included)")
              .isCloseTo(kuma.rps("kuma-demo", "backend"), within(80 * TOLERANCE));
          double served = awaitValue(adapter, "backend/kuma_demand_rps");
          assertThat(served).as(r + " kuma_demand_rps").isCloseTo(demand,
              within(demand * TOLERANCE));
          // An unsaturated service's demand is its served rate.
          assertThat(awaitValue(adapter, "frontend/kuma_demand_rps")).as(r + " frontend demand")
              .isCloseTo(12, within(12 * TOLERANCE));
          double forecast = awaitValue(adapter, "backend/kuma_demand_rps_forecast");
          // No model yet (insufficient history): the decision serves the observation, and says so.
          assertThat(forecast).as(r + " kuma_demand_rps_forecast")
              .isCloseTo(demand, within(demand * TOLERANCE));
          JsonNode debug = HttpsTestClient.json(adapter.get("/debug/metrics"));
          JsonNode s = null;
          for (JsonNode x : debug.get("series")) {
            if (x.get("id").asText().equals("kuma-demo/backend/kuma_demand_rps")) {
              s = x;
            }
          }
          assertThat(s).as("debug series for kuma_demand_rps").isNotNull();
          assertThat(s.path("servedBy").asText()).isNotEmpty();
          System.out.printf("%s demand: truth %.2f, served %.2f, kuma_rps %.2f, forecast %.2f (%s)%n",
              r, demand, served, rps, forecast, s.path("servedBy").asText());
        }
      }
    }
  }

  /** Waits (generously: a loaded machine) until the metric answers 200, and returns its value. */
  static double awaitValue(RunningAdapter adapter, String path) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (true) {
      HttpResponse<String> resp = adapter.get(API + path);
      if (resp.statusCode() == 200) {
        JsonNode item = HttpsTestClient.json(resp).path("items").path(0);
        return HttpsTestClient.quantity(item.path("value").asText());
      }
      assertThat(System.nanoTime()).as(path + ": " + resp.body()).isLessThan(deadline);
      Thread.sleep(500);
    }
  }
}
