package io.meshcast.adapter.predict;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshcast.adapter.cli.RunningAdapter;
import io.meshcast.adapter.kuma.Regime;
import io.meshcast.adapter.testing.HttpsTestClient;
import io.meshcast.adapter.testing.PrometheusServer;
import io.meshcast.adapter.testing.PrometheusServer.ScrapeJob;
import io.meshcast.adapter.testing.SyntheticKumaExporter;
import io.meshcast.adapter.testing.SyntheticKumaExporter.ServiceSpec;
import io.meshcast.adapter.testing.Traffic;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The serving decision's rules end to end (issue 11, parts 2 and 4), time-compressed like
 * {@link PredictiveE2EIT}: a real Prometheus scrapes every second, the adapter (its composition
 * root) refreshes every second and feeds its models at that step (the sub-minute path), with
 * {@code forecast.risk: 0.2}. Two services get the same mean traffic, one calm, one volatile:
 * the headroom the risk buys must be larger on the volatile one. Then the calm one steps up
 * threefold: the decision must report a surge while the rate window ramps. No timing is asserted;
 * waits are generous.
 */
final class ServingRulesIT {

  static final ServiceSpec CALM = new ServiceSpec("shop", "calm", 80, 8080, 2);
  static final ServiceSpec BUSY = new ServiceSpec("shop", "busy", 80, 8080, 2);
  @TempDir Path dir;

  private volatile double calmLevel = 50;

  @Test
  void riskHeadroomFollowsVolatility_andAStepIsServedAsASurge() throws Exception {
    ScheduledExecutorService driver = Executors.newSingleThreadScheduledExecutor();
    Random rnd = new Random(5);
    try (SyntheticKumaExporter kuma = SyntheticKumaExporter.start(Regime.LEGACY,
        List.of(CALM, BUSY), Clock.systemUTC());
        PrometheusServer prom = PrometheusServer.start(
            List.of(new ScrapeJob("kuma-dataplanes", kuma.scrapeTargets())),
            Duration.ofSeconds(1))) {
      driver.scheduleAtFixedRate(() -> {
        for (var p : kuma.pods("shop", "calm")) {
          kuma.setTraffic(p, new Traffic(calmLevel * (1 + 0.01 * rnd.nextGaussian()), 0, 25,
              100, 1));
        }
        for (var p : kuma.pods("shop", "busy")) {
          kuma.setTraffic(p, new Traffic(Math.max(0, 50 * (1 + 0.4 * rnd.nextGaussian())), 0, 25,
              100, 1));
        }
      }, 0, 1, TimeUnit.SECONDS);
      prom.awaitSeries("envoy_http_downstream_rq_total", 4, Duration.ofSeconds(120));
      Thread.sleep(45_000); // history for the bootstrap

      Path config = dir.resolve("meshcast.yaml");
      Files.writeString(config, """
          prometheus:
            url: %s
            timeout: 10s
          refresh:
            interval: 1s
            historyPoints: 120
            bootstrapWindow: 40s
            bootstrapStep: 1s
          kuma:
            regime: legacy
            rateWindow: 5s
            presets: [kuma_rps]
          kubernetes:
            mode: none
          forecast:
            lead: 3s
            historyPoints: 200
            signals: [kuma_rps]
            risk: 0.2
            surge: true
          """.formatted(prom.url()));
      try (RunningAdapter adapter = RunningAdapter.start("--config=" + config,
          "--insecure-authn")) {
        double calmHeadroom = 0;
        double busyHeadroom = 0;
        Set<String> busyRules = new HashSet<>();
        int n = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        while (n < 20) {
          assertThat(System.nanoTime()).as("models serving both series").isLessThan(deadline);
          Thread.sleep(1_000);
          JsonNode calm = series(adapter, "shop/calm/kuma_rps");
          JsonNode busy = series(adapter, "shop/busy/kuma_rps");
          if (calm == null || busy == null || calm.path("servedBy").asText().equals("fallback")
              || busy.path("servedBy").asText().equals("fallback")) {
            continue;
          }
          calmHeadroom += headroom(calm);
          busyHeadroom += headroom(busy);
          busyRules.add(busy.path("servedBy").asText());
          n++;
        }
        System.out.printf("mean headroom over the observation: calm %.3f, volatile %.3f; rules %s%n",
            calmHeadroom / n, busyHeadroom / n, busyRules);
        assertThat(busyHeadroom).as("risk headroom grows with volatility")
            .isGreaterThan(calmHeadroom);
        assertThat(busyRules).contains("forecast_quantile");

        calmLevel = 150;
        String surge = null;
        deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (surge == null) {
          assertThat(System.nanoTime()).as("a surge after the step").isLessThan(deadline);
          Thread.sleep(200);
          JsonNode calm = series(adapter, "shop/calm/kuma_rps");
          if (calm != null && calm.path("servedBy").asText().equals("surge")) {
            surge = "served " + calm.path("served").asDouble() + " while observing "
                + calm.path("observed").asDouble();
            assertThat(calm.path("served").asDouble())
                .isGreaterThan(calm.path("observed").asDouble());
          }
        }
        System.out.println("surge: " + surge);
      }
    } finally {
      driver.shutdownNow();
    }
  }

  private static double headroom(JsonNode s) {
    double observed = s.path("observed").asDouble();
    return (s.path("served").asDouble() - observed) / observed;
  }

  private static JsonNode series(RunningAdapter adapter, String id) throws Exception {
    JsonNode d = HttpsTestClient.json(adapter.get("/debug/metrics"));
    for (JsonNode s : d.path("series")) {
      if (s.path("id").asText().equals(id)) {
        return s;
      }
    }
    return null;
  }
}
