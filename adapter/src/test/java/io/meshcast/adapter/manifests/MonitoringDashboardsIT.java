package io.meshcast.adapter.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshcast.adapter.cli.RunningAdapter;
import io.meshcast.adapter.testing.PrometheusServer;
import io.meshcast.adapter.testing.PrometheusServer.ScrapeJob;
import io.meshcast.adapter.testing.ScrapeTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every query of the Grafana dashboards in manifests/monitoring (panels and template variables)
 * returns data from a real Prometheus scraping a running meshcast's /metrics over HTTPS (the demo
 * mesh, authentication off). Fails naming every query without data.
 */
final class MonitoringDashboardsIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern LABEL_VALUES =
      Pattern.compile("^label_values\\((.*),\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\)$");
  /** What Grafana would substitute: one service of the demo mesh, a short rate window. */
  private static final Map<String, String> VARIABLES = Map.of(
      "$__rate_interval", "20s", "$job", "meshcast", "$namespace", "demo",
      "$object", "frontend", "$signal", "kuma_rps");

  @Test
  void everyPanelAndVariableQueryReturnsData() throws Exception {
    Map<String, String> queries = queries();
    assertThat(queries).hasSizeGreaterThan(15);
    try (RunningAdapter meshcast = RunningAdapter.start("--demo", "--insecure-authn");
        PrometheusServer prometheus = PrometheusServer.start(List.of(new ScrapeJob("meshcast",
            List.of(new ScrapeTarget("127.0.0.1:" + meshcast.port(), "/metrics", Map.of())),
            true)), Duration.ofSeconds(1))) {
      long deadline = System.nanoTime() + Duration.ofSeconds(150).toNanos();
      Map<String, String> missing = new LinkedHashMap<>(queries);
      while (!missing.isEmpty() && System.nanoTime() < deadline) {
        // API traffic by route and code for the request panels (200s, 404s and a 400).
        for (String path : List.of("/apis/custom.metrics.k8s.io/v1beta2",
            "/apis/custom.metrics.k8s.io/v1beta2/namespaces/demo/services/frontend/kuma_rps",
            "/apis/custom.metrics.k8s.io/v1beta2/namespaces/demo/services/frontend/nope",
            "/apis/external.metrics.k8s.io/v1beta1/namespaces/demo/kuma_rps_forecast",
            "/apis/custom.metrics.k8s.io/v1beta2/namespaces/demo/pods/*/kuma_rps?labelSelector=%3D")) {
          meshcast.get(path);
        }
        missing.entrySet().removeIf(e -> hasData(prometheus, e.getValue()));
        if (!missing.isEmpty()) {
          Thread.sleep(2_000);
        }
      }
      assertThat(missing).as("dashboard queries without data (panel -> PromQL)").isEmpty();
      System.out.println("dashboard queries with data: " + queries.size());
    }
  }

  private static boolean hasData(PrometheusServer p, String promql) {
    try {
      JsonNode r = JSON.readTree(p.query(promql));
      return "success".equals(r.path("status").asText())
          && r.at("/data/result").size() > 0;
    } catch (Exception e) {
      return false;
    }
  }

  /** Panel title (or variable name) to its PromQL with Grafana's variables substituted. */
  static Map<String, String> queries() throws Exception {
    Map<String, String> out = new LinkedHashMap<>();
    Path dir = ManifestsTest.repoRoot().resolve("manifests/monitoring/dashboards");
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(f -> f.toString().endsWith(".json")).sorted().toList();
    }
    assertThat(files).hasSize(2);
    for (Path f : files) {
      JsonNode d = JSON.readTree(Files.readString(f));
      for (JsonNode v : d.at("/templating/list")) {
        if (v.path("type").asText().equals("query")) {
          Matcher m = LABEL_VALUES.matcher(v.get("query").asText());
          assertThat(m.matches()).as("variable %s", v.get("name")).isTrue();
          out.put(f.getFileName() + " variable " + v.get("name").asText(),
              substitute("count by (" + m.group(2) + ") (" + m.group(1) + ")"));
        }
      }
      for (JsonNode panel : d.get("panels")) {
        List<String> exprs = new ArrayList<>();
        panel.get("targets").forEach(t -> exprs.add(t.get("expr").asText()));
        for (int i = 0; i < exprs.size(); i++) {
          out.put(f.getFileName() + " panel \"" + panel.get("title").asText() + "\" #" + i,
              substitute(exprs.get(i)));
        }
      }
    }
    return out;
  }

  private static String substitute(String q) {
    String s = q;
    for (Map.Entry<String, String> e : VARIABLES.entrySet()) {
      s = s.replace(e.getKey(), e.getValue());
    }
    assertThat(s).as("unsubstituted variable in %s", q).doesNotContain("$");
    return s;
  }
}
