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
}
