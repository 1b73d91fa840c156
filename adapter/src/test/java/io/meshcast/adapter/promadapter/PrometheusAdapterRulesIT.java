package io.meshcast.adapter.promadapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshcast.adapter.cli.RunningAdapter;
import io.meshcast.adapter.testing.HttpsTestClient;
import io.meshcast.adapter.testing.PrometheusServer;
import io.meshcast.adapter.testing.PrometheusServer.ScrapeJob;
import io.meshcast.adapter.testing.ScrapeTarget;
import io.meshcast.adapter.testing.TextExporter;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * prometheus-adapter's documented rule examples, written out as a prometheus-adapter config file
 * and served by {@code meshcast serve --config rules.yaml --prometheus-url URL} against a real
 * Prometheus: every served value is compared with the query prometheus-adapter itself would send
 * for that request (its per-request rendering of the same metricsQuery), evaluated directly at
 * the served value's timestamp. Forecast and anomaly metrics are served for each rule's metrics.
 */
final class PrometheusAdapterRulesIT {

  /** The examples of prometheus-adapter's docs/config.md, walkthrough and externalmetrics.md. */
  static final String RULES = AdapterRulesTest.WALKTHROUGH + """
      # config.md: cAdvisor counters that are not measured in seconds
      - seriesQuery: '{__name__=~"^container_.*_total",container!="POD",namespace!="",pod!=""}'
        seriesFilters:
        - isNot: "^container_.*_seconds_total$"
        resources:
          overrides:
            namespace: {resource: "namespace"}
            pod: {resource: "pod"}
        name:
          matches: "^container_(.*)_total$"
          as: "${1}_per_second"
        metricsQuery: 'sum(rate(<<.Series>>{<<.LabelMatchers>>,container!="POD"}[2m])) by (<<.GroupBy>>)'
      # config.md: resources through a template (label name = resource name)
      - seriesQuery: 'memory_working_set_bytes{namespace!="",pod!=""}'
        resources:
          template: "<<.Resource>>"
        metricsQuery: 'max(<<.Series>>{<<.LabelMatchers>>}) by (<<.GroupBy>>)'
      externalRules:
      # externalmetrics.md: a queue per namespace
      - seriesQuery: '{__name__="queue_consumer_lag",name!=""}'
        metricsQuery: sum(<<.Series>>{<<.LabelMatchers>>}) by (name)
        resources:
          overrides: { namespace: {resource: "namespace"} }
      # externalmetrics.md: namespaced: false, selected by labels from any namespace
      - seriesQuery: '{__name__="queue_depth",name!=""}'
        metricsQuery: sum(<<.Series>>{<<.LabelMatchers>>}) by (name)
        resources:
          namespaced: false
      resourceRules:
        cpu:
          containerQuery: sum(rate(container_cpu_usage_seconds_total{<<.LabelMatchers>>}[3m])) by (<<.GroupBy>>)
          nodeQuery: sum(rate(container_cpu_usage_seconds_total{<<.LabelMatchers>>, id='/'}[3m])) by (<<.GroupBy>>)
          resources:
            overrides:
              node: {resource: "node"}
              namespace: {resource: "namespace"}
              pod: {resource: "pod"}
          containerLabel: container
      """;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static TextExporter exporter;
  private static PrometheusServer prometheus;
  private static RunningAdapter adapter;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start(@TempDir Path dir) throws Exception {
    exporter = TextExporter.start();
    List<ScrapeTarget> targets = new ArrayList<>();
    pod("shop", "web-1", 5, 2, 100, 3e8, targets);
    pod("shop", "web-2", 3, 0, 40, 2e8, targets);
    pod("ops", "api-1", 1, 1, 7, 1e8, targets);
    exporter.gauge("queues", "queue_consumer_lag", "name=\"orders\"", 42)
        .gauge("queues", "queue_consumer_lag", "name=\"emails\"", 7)
        .gauge("batch", "queue_depth", "name=\"jobs\"", 12)
        .gauge("batch", "queue_depth", "name=\"reports\"", 3);
    targets.add(exporter.target("queues", Map.of("namespace", "shop")));
    targets.add(exporter.target("batch", Map.of("namespace", "batch")));
    prometheus = PrometheusServer.start(List.of(new ScrapeJob("apps", targets)),
        Duration.ofSeconds(1));
    // rate() needs two samples in its window.
    prometheus.awaitSeries("rate(http_requests_total[2m]) > 0", 4, Duration.ofSeconds(60));
    prometheus.awaitSeries("queue_depth", 2, Duration.ofSeconds(60));
    Path rules = dir.resolve("rules.yaml");
    Files.writeString(rules, RULES);
    adapter = RunningAdapter.start("--config", rules.toString(), "--prometheus-url",
        prometheus.url().toString(), "--insecure-authn");
  }

  private static void pod(String ns, String pod, double get, double post, double packets,
      double memory, List<ScrapeTarget> targets) {
    exporter.counter(pod, "http_requests_total", "method=\"GET\"", get)
        .counter(pod, "http_requests_total", "method=\"POST\"", post)
        .counter(pod, "container_network_receive_packets_total", "container=\"app\"", packets)
        .counter(pod, "container_cpu_usage_seconds_total", "container=\"app\"", 0.5)
        .gauge(pod, "memory_working_set_bytes", "container=\"app\"", memory);
    targets.add(exporter.target(pod, Map.of("namespace", ns, "pod", pod)));
  }

  @AfterAll
  static void stop() {
    if (adapter != null) {
      adapter.close();
    }
    if (prometheus != null) {
      prometheus.close();
    }
    if (exporter != null) {
      exporter.close();
    }
  }

  @Test
  void discoveryListsTheRenamedMetricsAndHonoursSeriesFilters() throws Exception {
    String custom = adapter.get("/apis/custom.metrics.k8s.io/v1beta2").body();
    assertThat(custom).contains("\"pods/http_requests_per_second\"",
        "\"namespaces/http_requests_per_second\"", "\"pods/network_receive_packets_per_second\"",
        "\"pods/memory_working_set_bytes\"", "\"pods/http_requests_per_second_forecast\"",
        "\"pods/http_requests_per_second_anomaly_score\"");
    assertThat(custom).doesNotContain("cpu_usage", "http_requests_total\"");
    String external = adapter.get("/apis/external.metrics.k8s.io/v1beta1").body();
    assertThat(external).contains("\"queue_consumer_lag\"", "\"queue_depth\"",
        "\"queue_consumer_lag_forecast\"");
    HttpResponse<String> filtered = adapter.get(
        "/apis/custom.metrics.k8s.io/v1beta2/namespaces/shop/pods/web-1/cpu_usage_seconds_per_second");
    assertThat(filtered.statusCode()).isEqualTo(404);
  }

  @Test
  void podValuesEqualPrometheusAdaptersOwnQuery() throws Exception {
    for (String[] p : new String[][] {{"shop", "web-1"}, {"shop", "web-2"}, {"ops", "api-1"}}) {
      Served rps = served("/apis/custom.metrics.k8s.io/v1beta2/namespaces/" + p[0]
          + "/pods/" + p[1] + "/http_requests_per_second",
          p[0] + "/" + p[1] + "/http_requests_per_second");
      double direct = direct("sum(rate(http_requests_total{namespace=\"" + p[0]
          + "\",pod=\"" + p[1] + "\"}[2m])) by (pod)", rps.at(), null);
      show(p[1] + " http_requests_per_second", rps.item(), direct);
      assertThat(value(rps.item())).as(p[1]).isCloseTo(direct, within(direct * 0.01 + 0.001));
      assertThat(direct).isGreaterThan(0);

      Served net = served("/apis/custom.metrics.k8s.io/v1beta2/namespaces/" + p[0]
          + "/pods/" + p[1] + "/network_receive_packets_per_second",
          p[0] + "/" + p[1] + "/network_receive_packets_per_second");
      double netDirect = direct("sum(rate(container_network_receive_packets_total{namespace=\""
          + p[0] + "\",pod=\"" + p[1] + "\",container!=\"POD\"}[2m])) by (pod)", net.at(),
          null);
      show(p[1] + " network_receive_packets_per_second", net.item(), netDirect);
      assertThat(value(net.item())).isCloseTo(netDirect, within(netDirect * 0.01 + 0.001));

      JsonNode mem = item(adapter.get("/apis/custom.metrics.k8s.io/v1beta2/namespaces/" + p[0]
          + "/pods/" + p[1] + "/memory_working_set_bytes"));
      double memDirect = direct("max(memory_working_set_bytes{namespace=\"" + p[0]
          + "\",pod=\"" + p[1] + "\"}) by (pod)", at(mem), null);
      show(p[1] + " memory_working_set_bytes", mem, memDirect);
      assertThat(value(mem)).isCloseTo(memDirect, within(memDirect * 0.01));
    }
  }

  @Test
  void selectorAndNamespaceRoutesEqualPrometheusAdaptersOwnQuery() throws Exception {
    HttpResponse<String> list = adapter.get(
        "/apis/custom.metrics.k8s.io/v1beta2/namespaces/shop/pods/*/http_requests_per_second"
            + "?labelSelector=");
    assertThat(list.statusCode()).as(list.body()).isEqualTo(200);
    JsonNode items = JSON.readTree(list.body()).get("items");
    assertThat(items).hasSize(2);
    Instant at = observedAt("shop/web-1/http_requests_per_second").orElseThrow();
    for (JsonNode item : items) {
      String pod = item.at("/describedObject/name").asText();
      assertThat(Instant.parse(item.get("timestamp").asText()).getEpochSecond())
          .as("refreshed in between; the test reads both within one refresh interval")
          .isEqualTo(at.getEpochSecond());
      double direct = direct("sum(rate(http_requests_total{namespace=\"shop\",pod=~\"web-1|web-2\"}"
          + "[2m])) by (pod)", at, pod);
      show("pods/* " + pod + " http_requests_per_second", item, direct);
      assertThat(value(item)).isCloseTo(direct, within(direct * 0.01));
    }
    Served ns = served(
        "/apis/custom.metrics.k8s.io/v1beta2/namespaces/shop/metrics/http_requests_per_second",
        "shop/{namespace=shop}/http_requests_per_second");
    double direct = direct("sum(rate(http_requests_total{namespace=\"shop\"}[2m]))"
        + " by (namespace)", ns.at(), null);
    show("namespaces/shop http_requests_per_second", ns.item(), direct);
    assertThat(value(ns.item())).isCloseTo(direct, within(direct * 0.01));
    assertThat(direct).isGreaterThan(0);
  }

  @Test
  void externalRulesNamespacedAndNot() throws Exception {
    JsonNode orders = item(adapter.get("/apis/external.metrics.k8s.io/v1beta1/namespaces/shop/"
        + "queue_consumer_lag?labelSelector=name%3Dorders"));
    assertThat(value(orders)).isEqualTo(direct(
        "sum(queue_consumer_lag{name=\"orders\",namespace=\"shop\"}) by (name)", at(orders),
        null));
    assertThat(orders.at("/metricLabels/name").asText()).isEqualTo("orders");
    // Namespaced: another namespace has no queue_consumer_lag.
    HttpResponse<String> other = adapter.get("/apis/external.metrics.k8s.io/v1beta1/namespaces/"
        + "ops/queue_consumer_lag?labelSelector=name%3Dorders");
    assertThat(other.statusCode()).as(other.body()).isNotEqualTo(200);
    // namespaced: false: the HPA's namespace does not matter, the selector does.
    JsonNode jobs = item(adapter.get("/apis/external.metrics.k8s.io/v1beta1/namespaces/default/"
        + "queue_depth?labelSelector=name%3Djobs"));
    assertThat(value(jobs)).isEqualTo(12.0);
  }

  @Test
  void everyRuleMetricHasForecastAndAnomalyScore() throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    HttpResponse<String> fc;
    HttpResponse<String> an;
    do {
      fc = adapter.get("/apis/custom.metrics.k8s.io/v1beta2/namespaces/shop/pods/web-1/"
          + "http_requests_per_second_forecast");
      an = adapter.get("/apis/external.metrics.k8s.io/v1beta1/namespaces/shop/"
          + "queue_consumer_lag_anomaly_score?labelSelector=name%3Dorders");
      if (fc.statusCode() == 200 && an.statusCode() == 200) {
        break;
      }
      Thread.sleep(500);
    } while (System.nanoTime() < deadline);
    assertThat(fc.statusCode()).as(fc.body()).isEqualTo(200);
    assertThat(an.statusCode()).as(an.body()).isEqualTo(200);
    // Too little history for a trusted model: the forecast serves the observed value (documented
    // fallback), never less than it (maxWithObserved).
    JsonNode observed = item(adapter.get("/apis/custom.metrics.k8s.io/v1beta2/namespaces/shop/"
        + "pods/web-1/http_requests_per_second"));
    assertThat(value(item(fc))).isGreaterThanOrEqualTo(value(observed) * 0.99);
    assertThat(value(item(an))).isBetween(0.0, 100.0);
  }

  @Test
  void theSameRulesInMeshcastsOwnConfig_andMetricsFoundByALaterRelist(@TempDir Path dir)
      throws Exception {
    Path cfg = dir.resolve("meshcast.yaml");
    Files.writeString(cfg, """
        prometheus: {url: "%s"}
        refresh: {interval: 1s}
        kuma: {presets: []}
        kubernetes: {mode: none}
        prometheusAdapterRules:
          relistInterval: 2s
        """.formatted(prometheus.url()) + AdapterRulesTest.WALKTHROUGH
            .replace("_total$", "_(?:total|count)$")
            .replace("'http_requests_total{",
                "'{__name__=~\"http_(requests_total|errors_count)\",")
            .replaceAll("(?m)^", "  "));
    try (RunningAdapter own = RunningAdapter.start("--config", cfg.toString(), "--insecure-authn")) {
      HttpResponse<String> r = own.get("/apis/custom.metrics.k8s.io/v1beta2/namespaces/shop/pods/"
          + "web-1/http_requests_per_second");
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      assertThat(own.get("/apis/custom.metrics.k8s.io/v1beta2").body())
          .doesNotContain("http_errors_per_second");
      // A metric family that appears later is found by the background relist, not per request.
      exporter.counter("web-1", "http_errors_count", "code=\"500\"", 0.5);
      prometheus.awaitSeries("rate(http_errors_count[2m]) > 0", 1, Duration.ofSeconds(60));
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      HttpResponse<String> errors;
      do {
        Thread.sleep(500);
        errors = own.get("/apis/custom.metrics.k8s.io/v1beta2/namespaces/shop/pods/web-1/"
            + "http_errors_per_second");
      } while (errors.statusCode() != 200 && System.nanoTime() < deadline);
      assertThat(errors.statusCode()).as(errors.body()).isEqualTo(200);
      assertThat(value(item(errors))).isGreaterThan(0);
    }
  }

  private static JsonNode item(HttpResponse<String> r) throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode items = JSON.readTree(r.body()).get("items");
    assertThat(items).as(r.body()).hasSize(1);
    return items.get(0);
  }

  /** Served and direct values, printed for the test report. */
  private static void show(String what, JsonNode item, double direct) {
    System.out.printf(java.util.Locale.ROOT, "compare %-70s served=%.4f direct=%.4f diff=%.3f%%%n",
        what, value(item), direct, direct == 0 ? 0 : 100 * Math.abs(value(item) - direct) / direct);
  }

  private static double value(JsonNode item) {
    return HttpsTestClient.quantity(item.get("value").asText());
  }

  private static Instant at(JsonNode item) {
    return Instant.parse(item.get("timestamp").asText());
  }

  /** A served item and the exact evaluation time of its query (the API shows seconds only). */
  private record Served(JsonNode item, Instant at) {}

  /**
   * GETs {@code path} and the exact time its value was evaluated, from /debug/metrics' {@code
   * observedAt} of series {@code id}; retried when a refresh lands between the two reads.
   */
  private static Served served(String path, String id) throws Exception {
    for (int i = 0; i < 20; i++) {
      JsonNode item = item(adapter.get(path));
      java.util.Optional<Instant> exact = observedAt(id);
      if (exact.isPresent() && exact.get().getEpochSecond() == at(item).getEpochSecond()) {
        return new Served(item, exact.get());
      }
      Thread.sleep(500);
    }
    throw new AssertionError("series " + id + " not on /debug/metrics with the served time");
  }

  private static java.util.Optional<Instant> observedAt(String id) throws Exception {
    JsonNode debug = JSON.readTree(adapter.get("/debug/metrics").body());
    for (JsonNode s : debug.get("series")) {
      if (s.get("id").asText().equals(id)) {
        return java.util.Optional.of(Instant.parse(s.get("observedAt").asText()));
      }
    }
    return java.util.Optional.empty();
  }

  /**
   * The query evaluated by Prometheus at {@code at}: the only result's value, or with {@code pod}
   * the value of that pod's row.
   */
  private static double direct(String promql, Instant at, String pod) throws Exception {
    String url = prometheus.url() + "/api/v1/query?query="
        + URLEncoder.encode(promql, StandardCharsets.UTF_8) + "&time="
        + String.format(java.util.Locale.ROOT, "%.3f", at.toEpochMilli() / 1000.0);
    JsonNode r = JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(),
        HttpResponse.BodyHandlers.ofString()).body());
    JsonNode result = r.at("/data/result");
    for (JsonNode row : result) {
      if (pod == null || pod.equals(row.at("/metric/pod").asText())) {
        if (pod == null) {
          assertThat(result).as(promql + " -> " + r).hasSize(1);
        }
        return Double.parseDouble(row.at("/value/1").asText());
      }
    }
    throw new AssertionError("no result for " + promql + ": " + r);
  }
}
