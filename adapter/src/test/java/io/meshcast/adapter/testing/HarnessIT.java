package io.meshcast.adapter.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshcast.adapter.kuma.Regime;
import io.meshcast.adapter.testing.PrometheusServer.ScrapeJob;
import io.meshcast.adapter.testing.SyntheticKumaExporter.PodRef;
import io.meshcast.adapter.testing.SyntheticKumaExporter.ServiceSpec;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The harness against the real Prometheus: scaling the synthetic fleet up and down. */
final class HarnessIT {

  @Test
  void addedAndRemovedPods_reachPrometheusAfterUpdateTargets() throws Exception {
    ServiceSpec web = new ServiceSpec("shop", "web", 80, 8080, 1);
    try (SyntheticKumaExporter e = SyntheticKumaExporter.start(Regime.UNIFIED, List.of(web),
            Clock.systemUTC());
        PrometheusServer p = PrometheusServer.start(
            List.of(new ScrapeJob("kuma", e.scrapeTargets())), Duration.ofSeconds(1))) {
      p.awaitSeries("envoy_server_live == 1", 1, Duration.ofSeconds(120));
      PodRef added = e.addPod(web);
      assertThat(e.pods()).hasSize(2);
      p.updateTargets(List.of(new ScrapeJob("kuma", e.scrapeTargets())));
      p.awaitSeries("envoy_server_live == 1", 2, Duration.ofSeconds(120));
      assertThat(p.query("envoy_server_live{pod=\"" + added.name() + "\"}"))
          .contains(added.name());
      e.removePod(e.pods().get(0));
      p.updateTargets(List.of(new ScrapeJob("kuma", e.scrapeTargets())));
      // up{} of the removed target disappears with the target; count the live targets.
      long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
      String body = "";
      while (System.nanoTime() < deadline) {
        body = p.query("count(up{job=\"kuma\"})");
        if (body.contains("\"1\"]")) {
          break;
        }
        Thread.sleep(250);
      }
      assertThat(body).contains("\"1\"]");
    }
  }
}
