package io.meshcast.adapter.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.meshcast.adapter.kuma.Regime;
import io.meshcast.adapter.testing.SyntheticKumaExporter.PodRef;
import io.meshcast.adapter.testing.SyntheticKumaExporter.ServiceSpec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The harness itself: exposition format per regime and counters that follow the traffic. */
final class SyntheticKumaExporterTest {

  private static final List<ServiceSpec> ONE = List.of(
      new ServiceSpec("kuma-demo", "backend", 3001, 8080, 2));

  static String scrape(SyntheticKumaExporter e, ScrapeTarget t) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://"
        + t.address() + t.metricsPath())).build(), HttpResponse.BodyHandlers.ofString()).body();
  }

  static double value(String text, String linePrefix) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(linePrefix) + ".*\\} (\\d+)$")
        .matcher(text);
    assertThat(m.find()).as(linePrefix + " in\n" + text).isTrue();
    return Double.parseDouble(m.group(1));
  }

  @ParameterizedTest
  @EnumSource(Regime.class)
  void exposition_followsTheRegime(Regime r) throws Exception {
    MutableClock clock = new MutableClock(Instant.parse("2026-11-21T10:00:00Z"));
    try (SyntheticKumaExporter e = SyntheticKumaExporter.start(r, ONE, clock)) {
      e.setTraffic("kuma-demo", "backend", new Traffic(10, 0, 25, 100, 2));
      clock.advance(Duration.ofSeconds(100));
      ScrapeTarget t = e.scrapeTargets().get(0);
      String text = scrape(e, t);
      assertThat(text).contains("# TYPE envoy_http_downstream_rq_total counter")
          .contains("le=\"1.8e+06\"").contains("le=\"+Inf\"")
          .doesNotContain("_xx_total").doesNotContain("# HELP");
      switch (r) {
        case LEGACY -> {
          assertThat(text).contains("envoy_http_conn_manager_prefix=\"localhost_8080\"")
              .contains("kuma_io_mesh_traffic=\"true\"").doesNotContain("otel_scope_name")
              .contains("envoy_response_code_class=\"5\"");
          assertThat(t.labels()).containsEntry("kuma_io_service", "backend_kuma-demo_svc_3001")
              .containsEntry("kuma_io_services", ",backend_kuma-demo_svc_3001,")
              .containsKeys("pod", "namespace", "dataplane", "k8s_kuma_io_name");
        }
        case MESHMETRIC -> {
          assertThat(text).contains("k8s_kuma_io_name=\"").contains("otel_scope_name=\"kuma\"")
              .doesNotContain("kuma_io_mesh_traffic")
              // usedonly: no 5xx series before the first 5xx
              .doesNotContain("envoy_response_code_class=\"5\"");
          assertThat(t.labels()).doesNotContainKeys("pod", "kuma_io_service");
        }
        case UNIFIED -> {
          assertThat(text).contains("self_inbound_dp_http").contains("kuma_workload=\"backend\"")
              .doesNotContain("kuma_io_service").doesNotContain("localhost_");
          assertThat(t.labels()).containsKeys("pod", "namespace");
        }
        default -> throw new AssertionError(r);
      }
      // 10 rps for 100 s; uniform on [25, 100]: a third at most 50 ms.
      String p = "envoy_http_downstream_rq_time_bucket{";
      assertThat(value(text, "envoy_http_downstream_rq_total{")).isEqualTo(1000);
      assertThat(text).containsPattern(
          Pattern.compile("rq_time_bucket\\{[^}]*le=\"50\"[^}]*\\} 333"));
      assertThat(text).containsPattern(
          Pattern.compile("rq_time_bucket\\{[^}]*le=\"25\"[^}]*\\} 0"));
      assertThat(value(text, p)).isZero(); // le="0.5" comes first
    }
  }

  @Test
  void trafficChanges_foldCounts_soCountersNeverGoBack() throws Exception {
    MutableClock clock = new MutableClock(Instant.parse("2026-11-21T10:00:00Z"));
    try (SyntheticKumaExporter e = SyntheticKumaExporter.start(Regime.LEGACY, ONE, clock)) {
      PodRef pod = e.pods().get(0);
      e.setTraffic(pod, new Traffic(10, 0.5, 1, 5, 0));
      clock.advance(Duration.ofSeconds(10));
      e.setTraffic(pod, new Traffic(1, 0, 1, 5, 0));
      clock.advance(Duration.ofSeconds(10));
      String text = scrape(e, e.scrapeTargets().get(0));
      assertThat(value(text, "envoy_http_downstream_rq_total{")).isEqualTo(110);
      Matcher m = Pattern.compile("envoy_response_code_class=\"5\"[^}]*\\} (\\d+)").matcher(text);
      assertThat(m.find()).isTrue();
      assertThat(Double.parseDouble(m.group(1))).isEqualTo(50);
    }
  }

  @Test
  void groundTruth_mixesPodsByRequestWeight() throws Exception {
    try (SyntheticKumaExporter e = SyntheticKumaExporter.start(Regime.LEGACY, ONE,
        new MutableClock(Instant.EPOCH))) {
      List<PodRef> pods = e.pods();
      e.setTraffic(pods.get(0), new Traffic(30, 0.1, 0, 100, 1));
      e.setTraffic(pods.get(1), new Traffic(10, 0.5, 0, 100, 3));
      assertThat(e.rps("kuma-demo", "backend")).isEqualTo(40);
      assertThat(e.errorRatio("kuma-demo", "backend")).isCloseTo(0.2, within(1e-12));
      assertThat(e.inflight("kuma-demo", "backend")).isEqualTo(4);
      assertThat(e.latencyQuantile("kuma-demo", "backend", 0.99)).isCloseTo(99, within(1e-6));
    }
  }

  @ParameterizedTest
  @EnumSource(Regime.class)
  void callGraph_exportsOutboundClustersWithGroundTruth(Regime r) throws Exception {
    ServiceSpec front = new ServiceSpec("shop", "frontend", 80, 8080, 2);
    ServiceSpec cart = new ServiceSpec("shop", "cart", 8080, 8080, 1);
    MutableClock clock = new MutableClock(Instant.parse("2026-11-21T10:00:00Z"));
    try (SyntheticKumaExporter e = SyntheticKumaExporter.start(r, List.of(front, cart), clock)) {
      e.setCalls(List.of(Call.of(front, cart, 2.5).withRetries(0.2).withErrors(0.1)
          .withLatency(25, 100)));
      e.setTrafficFromCalls(java.util.Map.of(front, 10.0), new Traffic(0, 0, 5, 25, 1));
      assertThat(e.rps("shop", "frontend")).isEqualTo(10);
      assertThat(e.rps("shop", "cart")).isCloseTo(30, within(1e-9)); // 10 * 2.5 * 1.2
      clock.advance(Duration.ofSeconds(100));
      ScrapeTarget t = e.scrapeTargets().stream()
          .filter(x -> x.metricsPath().contains("/frontend-")).findFirst().orElseThrow();
      String text = scrape(e, t);
      String cluster = e.clusterName(cart);
      assertThat(cluster).isEqualTo(switch (r) {
        case LEGACY -> "cart_shop_svc_8080";
        case MESHMETRIC -> "default_cart_shop_default_msvc_8080";
        case UNIFIED -> "kri_msvc_default_zone-1_shop_cart_8080";
      });
      // One frontend pod: 5 rps for 100 s -> 1250 logical calls, 250 retries, 1500 attempts.
      String sel = "envoy_cluster_name=\"" + cluster + "\"";
      assertThat(text).containsPattern("envoy_cluster_upstream_rq_total\\{[^}]*" + sel
          + "[^}]*\\} 1500\n");
      assertThat(text).containsPattern("envoy_cluster_upstream_rq_retry\\{[^}]*" + sel
          + "[^}]*\\} 250\n");
      assertThat(text).containsPattern("envoy_cluster_upstream_rq_xx\\{[^}]*" + sel
          + "[^}]*envoy_response_code_class=\"5\"[^}]*\\} 150\n");
      assertThat(text).containsPattern("envoy_cluster_upstream_rq_time_bucket\\{[^}]*" + sel
          + "[^}]*le=\"50\"[^}]*\\} 500\n");
      assertThat(text).doesNotContain("ratings");
      SyntheticKumaExporter.EdgeTruth truth = e.edgeTruth(front, cart);
      assertThat(truth.rps()).isCloseTo(30, within(1e-9));
      assertThat(truth.ratio()).isEqualTo(2.5);
      assertThat(truth.errorRatio()).isEqualTo(0.1);
      assertThat(truth.p99Ms()).isCloseTo(99.25, within(1e-9));
      // The callee exports no outbound families of its own.
      String calleeText = scrape(e, e.scrapeTargets().stream()
          .filter(x -> x.metricsPath().contains("/cart-")).findFirst().orElseThrow());
      assertThat(calleeText).doesNotContain("envoy_cluster_upstream_rq_retry");
    }
  }
}
