package io.meshcast.adapter.kuma;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshcast.adapter.api.ApiServer;
import io.meshcast.adapter.health.Health;
import io.meshcast.adapter.pipeline.Level;
import io.meshcast.adapter.pipeline.MetricDefinition;
import io.meshcast.adapter.provider.CustomMetricInfo;
import io.meshcast.adapter.provider.CustomMetricValue;
import io.meshcast.adapter.provider.ExternalMetricInfo;
import io.meshcast.adapter.provider.ExternalMetricValue;
import io.meshcast.adapter.provider.GroupResource;
import io.meshcast.adapter.provider.LabelSelector;
import io.meshcast.adapter.provider.MetricsException;
import io.meshcast.adapter.pipeline.SeriesHistory;
import io.meshcast.adapter.testing.HttpsTestClient;
import io.meshcast.adapter.testing.PrometheusServer;
import io.meshcast.adapter.testing.PrometheusServer.ScrapeJob;
import io.meshcast.adapter.testing.SyntheticKumaExporter;
import io.meshcast.adapter.testing.SyntheticKumaExporter.PodRef;
import io.meshcast.adapter.testing.SyntheticKumaExporter.ServiceSpec;
import io.meshcast.adapter.testing.Traffic;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * End to end against a real Prometheus: a synthetic Kuma fleet per regime is scraped every second,
 * and the adapter's answers through the provider SPI must match the exporter's ground truth.
 *
 * <p>Tolerances (stated once, used everywhere): request rate and in-flight sums within 3 %
 * relative; error ratio within 0.01 absolute; latency quantiles within 3 % relative. The latency
 * distributions are uniform between Envoy bucket bounds, where {@code histogram_quantile}'s linear
 * interpolation is exact, so the 3 % covers only counter rounding and scrape jitter.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
final class KumaGoldenSignalsIT {

  static final double RATE_TOLERANCE = 0.03;
  static final double RATIO_TOLERANCE = 0.01;
  static final double LATENCY_TOLERANCE = 0.03;
  static final Duration SCRAPE = Duration.ofSeconds(1);
  static final int WINDOW_SECONDS = 10;

  static final List<ServiceSpec> SERVICES = List.of(
      new ServiceSpec("kuma-demo", "backend", 3001, 8080, 3),
      new ServiceSpec("kuma-demo", "frontend", 80, 8080, 2),
      new ServiceSpec("shop", "cart", 8080, 8080, 2),
      new ServiceSpec("shop", "idle", 8080, 9090, 1));

  static Vertx vertx;
  static final Map<Regime, SyntheticKumaExporter> exporters = new EnumMap<>(Regime.class);
  static final Map<Regime, PrometheusServer> prometheus = new EnumMap<>(Regime.class);
  static final Map<Regime, KumaPipeline> pipelines = new EnumMap<>(Regime.class);
  @TempDir static Path dir;

  @BeforeAll
  static void startFleet() throws Exception {
    vertx = Vertx.vertx();
    for (Regime r : Regime.values()) {
      // Unified meshes get the `_xx_total` spelling the 2.14+ dashboards query (spec §4.2).
      SyntheticKumaExporter e = r == Regime.UNIFIED
          ? SyntheticKumaExporter.startWithXxTotal(r, SERVICES, Clock.systemUTC())
          : SyntheticKumaExporter.start(r, SERVICES, Clock.systemUTC());
      exporters.put(r, e);
      e.setTraffic("kuma-demo", "backend", new Traffic(20, 0.05, 25, 100, 4));
      e.setTraffic("kuma-demo", "frontend", new Traffic(10, 0, 100, 250, 2));
      List<PodRef> cart = e.pods("shop", "cart");
      e.setTraffic(cart.get(0), new Traffic(30, 0.10, 5, 25, 1));
      e.setTraffic(cart.get(1), new Traffic(10, 0.10, 5, 25, 3));
      prometheus.put(r, PrometheusServer.start(
          List.of(new ScrapeJob("kuma-dataplanes", e.scrapeTargets())), SCRAPE));
    }
    for (Regime r : Regime.values()) {
      Path cfg = dir.resolve(r + ".yaml");
      Files.writeString(cfg, config(prometheus.get(r), r.name().toLowerCase()));
      pipelines.put(r, await(KumaPipeline.start(vertx, cfg, Clock.systemUTC(), options())));
    }
    for (Regime r : Regime.values()) {
      prometheus.get(r).awaitSeries("envoy_http_downstream_rq_total", 8, Duration.ofSeconds(120));
    }
    // A full rate window of samples, plus two scrapes of margin.
    Thread.sleep((WINDOW_SECONDS + 3) * 1000L);
    awaitSamplesInWindow();
    for (KumaPipeline p : pipelines.values()) {
      await(p.refreshNow());
    }
  }

  @AfterAll
  static void stopFleet() throws Exception {
    worst.forEach((k, v) -> System.out.printf("measured max deviation %-45s %.5f%n", k, v));
    for (KumaPipeline p : pipelines.values()) {
      await(p.close());
    }
    prometheus.values().forEach(PrometheusServer::close);
    exporters.values().forEach(SyntheticKumaExporter::close);
    if (vertx != null) {
      await(vertx.close());
    }
  }

  static KumaPipeline.Options options() {
    return new KumaPipeline.Options(new PrometheusRegistry(), Optional.empty(),
        Duration.ofSeconds(1));
  }

  static String config(PrometheusServer p, String regime) {
    return """
        prometheus:
          url: %s
          timeout: 5s
        refresh:
          interval: 1s
          historyPoints: 30
          bootstrapWindow: 1m
          bootstrapStep: 5s
        kuma:
          regime: %s
          rateWindow: %ds
        kubernetes:
          mode: none
        """.formatted(p.url(), regime, WINDOW_SECONDS)
        + (regime.equals("legacy") ? LEGACY_RULES : "");
  }

  /** Custom rules: a pod-mapped gauge and a namespace-level external rate with placeholders. */
  static final String LEGACY_RULES = """
      rules:
        - name: kuma_app_active_requests
          query: sum by (namespace, pod) (envoy_cluster_upstream_rq_active{envoy_cluster_name=~"localhost_.*"})
          resources: {namespaces: namespace, pods: pod}
        - name: kuma_namespace_rps
          query: sum by (namespace) (rate(envoy_http_downstream_rq_total{ {{inbound}} }[{{window}}]))
          external: true
          resources: {namespaces: namespace}
          windowSeconds: 10
      """;

  /**
   * Waits until every counter has at least 3 samples in the last rate window: on a loaded machine
   * scrapes can be late, and a sleep alone would not guarantee them (generous limit).
   */
  static void awaitSamplesInWindow() throws InterruptedException {
    for (Regime r : Regime.values()) {
      prometheus.get(r).awaitSeries("count_over_time(envoy_http_downstream_rq_total["
          + WINDOW_SECONDS + "s]) >= 3", 8, Duration.ofSeconds(120));
    }
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  static CustomMetricValue object(Regime r, GroupResource gr, String ns, String name, String m) {
    return pipelines.get(r).customMetricsProvider()
        .metricByName(ns, name, new CustomMetricInfo(gr, true, m), LabelSelector.everything());
  }

  /** Largest observed deviation per regime and signal, printed at the end for RESULTS.md. */
  static final Map<String, Double> worst = new java.util.concurrent.ConcurrentSkipListMap<>();

  static void close(String key, double actual, double truth, double tol, boolean relative) {
    double dev = relative ? Math.abs(actual - truth) / truth : Math.abs(actual - truth);
    worst.merge(key, dev, Math::max);
    assertThat(actual).as(key + " (truth " + truth + ")")
        .isCloseTo(truth, within(relative ? truth * tol : tol));
  }

  static double service(Regime r, String ns, String name, String metric) {
    return object(r, GroupResource.SERVICES, ns, name, metric).value();
  }

  @Order(1)
  @ParameterizedTest
  @EnumSource(Regime.class)
  void serviceGoldenSignals_matchExporterGroundTruth(Regime r) {
    SyntheticKumaExporter e = exporters.get(r);
    for (String[] s : new String[][] {{"kuma-demo", "backend"}, {"kuma-demo", "frontend"},
        {"shop", "cart"}}) {
      String ns = s[0];
      String svc = s[1];
      close(r + " rps (relative)", service(r, ns, svc, "kuma_rps"), e.rps(ns, svc),
          RATE_TOLERANCE, true);
      close(r + " error_ratio (absolute)", service(r, ns, svc, "kuma_error_ratio"),
          e.errorRatio(ns, svc), RATIO_TOLERANCE, false);
      for (double q : new double[] {0.5, 0.9, 0.99}) {
        String m = "kuma_latency_p" + Math.round(q * 100) + "_ms";
        close(r + " " + m + " (relative)", service(r, ns, svc, m),
            e.latencyQuantile(ns, svc, q), LATENCY_TOLERANCE, true);
      }
      close(r + " inflight (relative)", service(r, ns, svc, "kuma_inflight"),
          e.inflight(ns, svc), RATE_TOLERANCE, true);
    }
  }

  @Order(2)
  @ParameterizedTest
  @EnumSource(Regime.class)
  void podsBySelector_answerOnlyMatchingPodsWithTheirOwnValues(Regime r) {
    SyntheticKumaExporter e = exporters.get(r);
    List<CustomMetricValue> values = pipelines.get(r).customMetricsProvider().metricsBySelector(
        "shop", LabelSelector.parse("app=cart"),
        new CustomMetricInfo(GroupResource.PODS, true, "kuma_rps"), LabelSelector.everything());
    List<PodRef> cart = e.pods("shop", "cart");
    assertThat(values).extracting(v -> v.describedObject().name())
        .containsExactlyInAnyOrderElementsOf(cart.stream().map(PodRef::name).toList());
    for (CustomMetricValue v : values) {
      PodRef pod = cart.stream().filter(p -> p.name().equals(v.describedObject().name()))
          .findFirst().orElseThrow();
      close(r + " pod rps (relative)", v.value(), e.traffic(pod).rps(), RATE_TOLERANCE, true);
      assertThat(v.windowSeconds()).hasValue(WINDOW_SECONDS);
    }
    CustomMetricValue inflight = object(r, GroupResource.PODS, "shop", cart.get(1).name(),
        "kuma_inflight");
    assertThat(inflight.value()).isEqualTo(3.0);
  }

  @Order(3)
  @ParameterizedTest
  @EnumSource(Regime.class)
  void deploymentsAndExternalMetrics_servePerKumaService(Regime r) {
    SyntheticKumaExporter e = exporters.get(r);
    double truth = e.rps("kuma-demo", "backend");
    assertThat(object(r, GroupResource.DEPLOYMENTS, "kuma-demo", "backend", "kuma_rps").value())
        .isCloseTo(truth, within(truth * RATE_TOLERANCE));
    List<ExternalMetricValue> ext = pipelines.get(r).externalMetricsProvider().externalMetric(
        "kuma-demo", LabelSelector.parse("service=backend"), new ExternalMetricInfo("kuma_rps"));
    assertThat(ext).hasSize(1);
    assertThat(ext.get(0).value()).isCloseTo(truth, within(truth * RATE_TOLERANCE));
    assertThat(ext.get(0).metricLabels())
        .containsEntry("service", "backend")
        .containsEntry("namespace", "kuma-demo")
        .containsKey("kuma_service");
  }

  @Order(4)
  @ParameterizedTest
  @EnumSource(Regime.class)
  void serviceWithoutTraffic_ratiosAreAnExplicitErrorNotZero(Regime r) {
    assertThat(service(r, "shop", "idle", "kuma_rps")).isZero();
    assertThatThrownBy(() -> service(r, "shop", "idle", "kuma_error_ratio"))
        .isInstanceOf(MetricsException.Unavailable.class)
        .hasMessageContaining("kuma_error_ratio").hasMessageContaining("NaN");
    assertThatThrownBy(() -> service(r, "shop", "idle", "kuma_latency_p99_ms"))
        .isInstanceOf(MetricsException.Unavailable.class);
    assertThatThrownBy(() -> service(r, "shop", "nosuch", "kuma_rps"))
        .isInstanceOf(MetricsException.NotFound.class).hasMessageContaining("nosuch");
  }

  @Order(5)
  @ParameterizedTest
  @EnumSource(Regime.class)
  void autoDetection_findsTheRegime(Regime r) throws Exception {
    Path cfg = dir.resolve(r + "-auto.yaml");
    Files.writeString(cfg, config(prometheus.get(r), "auto"));
    KumaPipeline p = await(KumaPipeline.start(vertx, cfg, Clock.systemUTC(), options()));
    try {
      assertThat(p.regime()).hasValue(r);
      assertThat(p.customMetricsProvider().metricByName("kuma-demo", "backend",
          new CustomMetricInfo(GroupResource.SERVICES, true, "kuma_rps"),
          LabelSelector.everything()).value()).isPositive();
    } finally {
      await(p.close());
    }
  }

  @Order(5)
  @Test
  void customRules_mapLabelsToObjects_andExpandPlaceholders() {
    SyntheticKumaExporter e = exporters.get(Regime.LEGACY);
    KumaPipeline p = pipelines.get(Regime.LEGACY);
    PodRef cart1 = e.pods("shop", "cart").get(1);
    assertThat(p.customMetricsProvider().metricByName("shop", cart1.name(),
        new CustomMetricInfo(GroupResource.PODS, true, "kuma_app_active_requests"),
        LabelSelector.everything()).value()).isEqualTo(3.0);
    double truth = e.rps("shop", "cart") + e.rps("shop", "idle");
    List<ExternalMetricValue> ext = p.externalMetricsProvider().externalMetric("shop",
        LabelSelector.everything(), new ExternalMetricInfo("kuma_namespace_rps"));
    assertThat(ext).singleElement().satisfies(v -> {
      close("LEGACY rule namespace rps (relative)", v.value(), truth, RATE_TOLERANCE, true);
      assertThat(v.metricLabels()).containsEntry("namespace", "shop");
    });
    assertThat(p.customMetricsProvider().metricByName("", "shop",
        new CustomMetricInfo(GroupResource.NAMESPACES, false, "kuma_namespace_rps"),
        LabelSelector.everything()).value()).isCloseTo(truth, within(truth * RATE_TOLERANCE));
    assertThat(p.definitions()).hasSize(15);
    assertThat(p.customMetricsProvider().listAllMetrics()).contains(
        new CustomMetricInfo(GroupResource.PODS, true, "kuma_app_active_requests"),
        new CustomMetricInfo(GroupResource.NAMESPACES, false, "kuma_namespace_rps"));
  }

  @Order(6)
  @Test
  void queriesPerRefresh_equalDefinitions_andBootstrapReturnsRanges() throws Exception {
    KumaPipeline p = pipelines.get(Regime.MESHMETRIC);
    List<MetricDefinition> defs = p.definitions();
    assertThat(defs).hasSize(13);
    assertThat(defs).allSatisfy(d -> assertThat(d.promql()).doesNotContain("=~\"backend"));
    Map<String, List<SeriesHistory>> ranges = await(p.bootstrapHistory(d -> true));
    assertThat(ranges).hasSize(13);
    List<SeriesHistory> rps = ranges.get(MetricDefinition.key("kuma_rps", Level.SERVICE));
    assertThat(rps).extracting(h -> h.identity().service())
        .contains("backend", "frontend", "cart", "idle");
    assertThat(rps).allSatisfy(h -> assertThat(h.history().size()).isGreaterThan(1));
    SeriesHistory cart = rps.stream().filter(h -> h.identity().service().equals("cart"))
        .findFirst().orElseThrow();
    // The last bootstrap points are the cart's steady 40 rps.
    assertThat(cart.history().value(cart.history().size() - 1))
        .isCloseTo(40.0, within(40 * RATE_TOLERANCE));
    assertThat(p.snapshot().result("kuma_rps", Level.POD).orElseThrow().series())
        .allSatisfy(s -> assertThat(s.history().size()).isGreaterThanOrEqualTo(1));
    assertThat(p.ready()).as(p.healthChecks().toString()).isTrue();
  }

  @Order(7)
  @Test
  void trafficStep_isFollowedWithinOneWindow() throws Exception {
    for (SyntheticKumaExporter e : exporters.values()) {
      e.setTraffic("kuma-demo", "backend", new Traffic(50, 0.20, 250, 500, 9));
    }
    // The sleep makes the window start after the step; the wait makes sure it holds samples.
    Thread.sleep((WINDOW_SECONDS + 3) * 1000L);
    awaitSamplesInWindow();
    for (Regime r : Regime.values()) {
      await(pipelines.get(r).refreshNow());
      SyntheticKumaExporter e = exporters.get(r);
      close(r + " step rps (relative)", service(r, "kuma-demo", "backend", "kuma_rps"), 150.0,
          RATE_TOLERANCE, true);
      close(r + " step error_ratio (absolute)",
          service(r, "kuma-demo", "backend", "kuma_error_ratio"), 0.20, RATIO_TOLERANCE, false);
      double p99 = e.latencyQuantile("kuma-demo", "backend", 0.99);
      assertThat(p99).isCloseTo(497.5, within(0.01));
      close(r + " step p99 (relative)", service(r, "kuma-demo", "backend", "kuma_latency_p99_ms"),
          p99, LATENCY_TOLERANCE, true);
      assertThat(service(r, "kuma-demo", "backend", "kuma_inflight")).isEqualTo(27.0);
    }
  }

  @Order(8)
  @ParameterizedTest
  @EnumSource(Regime.class)
  void throughTheHttpApi_valuesMatchGroundTruth(Regime r) throws Exception {
    KumaPipeline p = pipelines.get(r);
    SyntheticKumaExporter e = exporters.get(r);
    Health health = new Health();
    p.healthChecks().forEach(health::addReadiness);
    ApiServer server = ApiServer.builder(vertx)
        .options(ApiServer.Options.defaults().withPort(0))
        .customMetrics(p.customMetricsProvider())
        .externalMetrics(p.externalMetricsProvider())
        .health(health)
        .build();
    int port = await(server.start());
    try {
      HttpsTestClient http = new HttpsTestClient("https://127.0.0.1:" + port,
          server.certificate().certChainPem());
      String c = "/apis/custom.metrics.k8s.io/v1beta2/namespaces/";
      for (String[] sig : new String[][] {{"kuma_rps", "rps"}, {"kuma_error_ratio", "err"},
          {"kuma_latency_p99_ms", "p99"}, {"kuma_inflight", "inflight"}}) {
        HttpResponse<String> resp = http.get(c + "kuma-demo/services/backend/" + sig[0]);
        assertThat(resp.statusCode()).as(resp.body()).isEqualTo(200);
        JsonNode item = HttpsTestClient.json(resp).path("items").path(0);
        assertThat(item.path("describedObject").path("kind").asText()).isEqualTo("Service");
        double v = HttpsTestClient.quantity(item.path("value").asText());
        String key = r + " http " + sig[0];
        switch (sig[1]) {
          case "rps" -> close(key + " (relative)", v, e.rps("kuma-demo", "backend"),
              RATE_TOLERANCE, true);
          case "err" -> close(key + " (absolute)", v, e.errorRatio("kuma-demo", "backend"),
              RATIO_TOLERANCE, false);
          case "p99" -> close(key + " (relative)", v,
              e.latencyQuantile("kuma-demo", "backend", 0.99), LATENCY_TOLERANCE, true);
          default -> close(key + " (relative)", v, e.inflight("kuma-demo", "backend"),
              RATE_TOLERANCE, true);
        }
      }
      HttpResponse<String> pods = http.get(c + "shop/pods/*/kuma_rps?labelSelector=app%3Dcart");
      assertThat(pods.statusCode()).as(pods.body()).isEqualTo(200);
      JsonNode items = HttpsTestClient.json(pods).path("items");
      assertThat(items).hasSize(2);
      for (JsonNode item : items) {
        PodRef pod = e.pods("shop", "cart").stream()
            .filter(x -> x.name().equals(item.path("describedObject").path("name").asText()))
            .findFirst().orElseThrow();
        close(r + " http pod rps (relative)",
            HttpsTestClient.quantity(item.path("value").asText()), e.traffic(pod).rps(),
            RATE_TOLERANCE, true);
      }
      HttpResponse<String> ext = http.get("/apis/external.metrics.k8s.io/v1beta1/namespaces/"
          + "kuma-demo/kuma_rps?labelSelector=service%3Dbackend");
      assertThat(ext.statusCode()).as(ext.body()).isEqualTo(200);
      close(r + " http external rps (relative)", HttpsTestClient.quantity(
              HttpsTestClient.json(ext).path("items").path(0).path("value").asText()),
          e.rps("kuma-demo", "backend"), RATE_TOLERANCE, true);

      HttpResponse<String> idle = http.get(c + "shop/services/idle/kuma_error_ratio");
      assertThat(idle.statusCode()).isEqualTo(503);
      assertThat(HttpsTestClient.json(idle).path("kind").asText()).isEqualTo("Status");
      assertThat(idle.body()).contains("kuma_error_ratio").contains("NaN");
      HttpResponse<String> missing = http.get(c + "shop/services/nosuch/kuma_rps");
      assertThat(missing.statusCode()).isEqualTo(404);

      HttpResponse<String> ready = http.get("/readyz?verbose");
      assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
      assertThat(ready.body()).contains("[+]config ok").contains("[+]kuma-regime ok")
          .contains("[+]prometheus ok").contains("[+]kubernetes ok");
    } finally {
      await(server.close());
    }
  }
}
