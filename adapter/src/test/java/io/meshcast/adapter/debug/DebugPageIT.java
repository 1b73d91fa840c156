package io.meshcast.adapter.debug;

import io.meshcast.adapter.testing.Kubectl;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshcast.adapter.cli.RunningAdapter;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The adapter in demo mode (NASA trace, the real composition root), its /debug JSON and HTML page
 * opened in headless Chromium, /metrics, and the predicted metrics through the real kubectl.
 */
final class DebugPageIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static RunningAdapter adapter;
  @TempDir static Path tmp;

  @BeforeAll
  static void start() throws Exception {
    adapter = RunningAdapter.start("--demo", "--insecure-authn");
    // Models bootstrap from two trace days; wait until forecasts are served.
    // Generous limits (a loaded CI machine): reached only when something is broken.
    long deadline = System.nanoTime() + Duration.ofSeconds(300).toNanos();
    String bootstrapped = null;
    int liveRefreshes = 0;
    while (liveRefreshes < 2) { // a couple of live refreshes on top of the bootstrap
      HttpResponse<String> r = adapter.get("/debug/metrics");
      JsonNode d = r.statusCode() == 200 ? JSON.readTree(r.body()) : null;
      if (d != null && d.at("/bootstrap/state").asText().equals("DONE")
          && d.get("series").size() > 0) {
        String last = d.get("lastRefresh").asText();
        if (bootstrapped == null) {
          bootstrapped = last;
        } else if (!last.equals(bootstrapped)) {
          bootstrapped = last;
          liveRefreshes++;
        }
      }
      assertThat(System.nanoTime()).as("bootstrap and 2 refreshes within 300 s: %s", r.body())
          .isLessThan(deadline);
      Thread.sleep(200);
    }
  }

  @AfterAll
  static void stop() {
    if (adapter != null) {
      adapter.close();
    }
  }

  @Test
  void debugJson_listsEverySeriesWithForecastModelAndAge() throws Exception {
    JsonNode d = JSON.readTree(adapter.get("/debug/metrics").body());
    assertThat(d.get("leadSteps").asInt()).isEqualTo(2);
    assertThat(d.get("derivedMetrics").toString()).contains("kuma_rps_forecast",
        "kuma_saturation_forecast", "kuma_latency_p99_ms_anomaly_score");
    // 3 services with 7 signals (kuma_demand_rps is per service) and 5 pods with 6 each.
    assertThat(d.get("series").size()).isEqualTo(51);
    JsonNode rps = find(d, "demo/frontend/kuma_rps");
    for (String field : List.of("observed", "forecast", "served", "anomalyScore", "severity",
        "model", "relativeError", "trustworthy", "dataAgeSeconds", "lastRefresh", "historySize")) {
      assertThat(rps.has(field)).as(field).isTrue();
    }
    assertThat(rps.get("observed").asDouble()).isPositive();
    assertThat(rps.get("served").asDouble()).isGreaterThanOrEqualTo(rps.get("observed")
        .asDouble());
    assertThat(rps.get("historySize").asInt()).isGreaterThanOrEqualTo(2880);
    // How fresh is up to the machine's load (not asserted); it is a number of seconds, not absent.
    assertThat(rps.get("dataAgeSeconds").isNumber()).isTrue();
    assertThat(rps.get("dataAgeSeconds").asDouble()).isNotNegative();

    JsonNode detail = JSON.readTree(adapter.get("/debug/metrics/demo/frontend/kuma_rps").body());
    assertThat(detail.at("/history/t").size()).isGreaterThan(2);
    assertThat(detail.get("forecastPath").size()).isEqualTo(2);
    assertThat(detail.at("/anomalyScores/v").size()).isGreaterThan(0);
    assertThat(adapter.get("/debug/metrics/demo/nope/kuma_rps").statusCode()).isEqualTo(404);
  }

  @Test
  void hpaEndpoint_computesReplicasForObservedAndPredicted() throws Exception {
    JsonNode r = JSON.readTree(adapter.get("/debug/hpa?id=demo/frontend/kuma_rps"
        + "&kind=object-average-value&target=1&current=2&min=1&max=1000").body());
    double observed = r.at("/observed/usage").asDouble();
    // AverageValue on an Object metric: ceil(usage / target), here within the 2x scale-up limit
    // only if small; the limit is max(2 * 2, 4) = 4.
    assertThat(r.at("/observed/desired").asLong()).isEqualTo(Math.min(4,
        (long) Math.ceil(observed)));
    assertThat(r.at("/predicted/desired").asLong()).isGreaterThanOrEqualTo(
        r.at("/observed/desired").asLong());
    assertThat(adapter.get("/debug/hpa?id=demo/frontend/kuma_rps&kind=sideways&target=1"
        + "&current=2&min=1&max=3").statusCode()).isEqualTo(400);
  }

  @Test
  void ownMetrics_exposeForecastAndApiMetrics() throws Exception {
    adapter.get("/apis/custom.metrics.k8s.io/v1beta2/namespaces/demo/services/frontend/"
        + "kuma_rps_forecast");
    HttpResponse<String> r = adapter.get("/metrics");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains(
        "meshcast_forecast_series{level=\"service\",signal=\"kuma_rps\"} 3.0",
        "meshcast_forecast_fit_duration_seconds_count",
        "meshcast_anomaly_score_bucket",
        "meshcast_forecast_relative_error_ratio",
        "meshcast_forecast_fallback_series",
        "meshcast_snapshot_age_seconds",
        "meshcast_adapter_source_queries_total",
        "meshcast_api_requests_total");
  }

  @Test
  void kubectl_getsPredictedMetricsInBothVersionsAndAsExternal() throws Exception {
    Path kc = adapter.kubeconfig(tmp);
    for (String v : List.of("v1beta1", "v1beta2")) {
      String list = Kubectl.get(kc, "get", "--raw",
          "/apis/custom.metrics.k8s.io/" + v);
      assertThat(list).contains("services/kuma_rps_forecast", "pods/kuma_saturation_forecast",
          "deployments.apps/kuma_latency_p99_ms_forecast", "pods/kuma_rps_anomaly_score");
      JsonNode svc = JSON.readTree(Kubectl.get(kc, "get", "--raw",
          "/apis/custom.metrics.k8s.io/" + v + "/namespaces/demo/services/frontend/"
              + "kuma_rps_forecast"));
      assertThat(svc.at("/items/0/describedObject/name").asText()).isEqualTo("frontend");
      JsonNode pods = JSON.readTree(Kubectl.get(kc, "get", "--raw",
          "/apis/custom.metrics.k8s.io/" + v + "/namespaces/demo/pods/*/"
              + "kuma_saturation_forecast?labelSelector=app%3Dbackend"));
      assertThat(pods.get("items").size()).isEqualTo(2);
      JsonNode dep = JSON.readTree(Kubectl.get(kc, "get", "--raw",
          "/apis/custom.metrics.k8s.io/" + v + "/namespaces/demo/deployments.apps/checkout/"
              + "kuma_latency_p99_ms_forecast"));
      assertThat(dep.at("/items/0/describedObject/kind").asText()).isEqualTo("Deployment");
    }
    // Every served name, observed and derived, on a Service in both versions and as external.
    List<String> names = new ArrayList<>(io.meshcast.adapter.config.ConfigLoader.PRESET_NAMES);
    names.addAll(io.meshcast.adapter.predict.DerivedNames.all(
        io.meshcast.adapter.predict.PredictConfig.ALL_SIGNALS));
    for (String name : names) {
      for (String v : List.of("v1beta1", "v1beta2")) {
        JsonNode one = JSON.readTree(Kubectl.get(kc, "get", "--raw",
            "/apis/custom.metrics.k8s.io/" + v + "/namespaces/demo/services/backend/" + name));
        assertThat(one.get("items").size()).as(name + " " + v).isEqualTo(1);
      }
      JsonNode e = JSON.readTree(Kubectl.get(kc, "get", "--raw",
          "/apis/external.metrics.k8s.io/v1beta1/namespaces/demo/" + name
              + "?labelSelector=service%3Dbackend"));
      assertThat(e.get("items").size()).as("external " + name).isEqualTo(1);
    }
    String ext = Kubectl.get(kc, "get", "--raw", "/apis/external.metrics.k8s.io/"
        + "v1beta1");
    assertThat(ext).contains("kuma_rps_forecast", "kuma_saturation_forecast");
    JsonNode e = JSON.readTree(Kubectl.get(kc, "get", "--raw",
        "/apis/external.metrics.k8s.io/v1beta1/namespaces/demo/kuma_rps_forecast"
            + "?labelSelector=service%3Dfrontend"));
    assertThat(e.at("/items/0/metricLabels/service").asText()).isEqualTo("frontend");
  }

  @Test
  void debugWithoutSlash_redirectsToThePage_whoseAssetsLoad() throws Exception {
    HttpResponse<String> r = adapter.get("/debug");
    assertThat(r.statusCode()).isEqualTo(301);
    String location = r.headers().firstValue("Location").orElseThrow();
    URI page = URI.create(adapter.url("/debug")).resolve(location);
    assertThat(page.getPath()).isEqualTo("/debug/");
    for (String asset : List.of("style.css", "app.js")) {
      HttpResponse<String> a = adapter.get(page.resolve(asset).getPath());
      assertThat(a.statusCode()).as(asset).isEqualTo(200);
      assertThat(a.body()).isNotBlank();
    }
    assertThat(adapter.get("/debug?x=1").headers().firstValue("Location")).hasValue("debug/?x=1");
    // And in a real browser, /debug renders like /debug/.
    assertThat(chromiumAt("/debug", "--dump-dom")).contains("data-loaded=\"true\"");
  }

  @Test
  void debugPage_rendersChartsWithDataInHeadlessChromium() throws Exception {
    assertThat(CHROMIUM).as("Debian chromium (scripts/install-deps.sh installs it)").exists();
    String dom = chromium("--dump-dom");
    assertThat(dom).contains("data-loaded=\"true\"");
    // One chart per service-level series, each with an observed path drawn from many points.
    Matcher m = Pattern.compile("<path d=\"(M[^\"]+)\" class=\"obs\" data-points=\"(\\d+)\"")
        .matcher(dom);
    int charts = 0;
    while (m.find()) {
      charts++;
      assertThat(Integer.parseInt(m.group(2))).isGreaterThan(2);
      assertThat(m.group(1).split("L").length).isGreaterThan(2);
    }
    assertThat(charts).isEqualTo(21); // 3 services x 7 signals
    assertThat(dom).contains("class=\"fc\"", "class=\"band\"");
    assertThat(dom).containsPattern("on the observed value \\([0-9.]+\\): <b>\\d+</b> replicas");

    Path shot = Path.of("target", "debug-page.png").toAbsolutePath();
    Files.deleteIfExists(shot);
    chromium("--screenshot=" + shot, "--window-size=1400,2000");
    assertThat(shot).exists();
    assertThat(Files.size(shot)).as("a non-empty page").isGreaterThan(30_000);
  }

  @Test
  void debugAccessOff_hasNoDebugRoutes() throws Exception {
    try (RunningAdapter off = RunningAdapter.start("--demo", "--insecure-authn",
        "--debug-access=off")) {
      assertThat(off.get("/debug/").statusCode()).isEqualTo(404);
      assertThat(off.get("/debug/metrics").statusCode()).isEqualTo(404);
      assertThat(off.get("/apis/custom.metrics.k8s.io/v1beta2").statusCode()).isEqualTo(200);
    }
  }

  private static String chromium(String... extra) throws Exception {
    return chromiumAt("/debug/", extra);
  }

  private static String chromiumAt(String path, String... extra) throws Exception {
    Path profile = Files.createTempDirectory(tmp, "chromium-");
    List<String> cmd = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless",
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage", "--ignore-certificate-errors",
        "--user-data-dir=" + profile, "--virtual-time-budget=8000"));
    cmd.addAll(List.of(extra));
    cmd.add(adapter.url(path));
    Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(
        new java.io.File("/dev/null"))).redirectError(tmp.resolve("chromium.err").toFile())
        .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    boolean done = p.waitFor(90, TimeUnit.SECONDS);
    if (!done) {
      p.destroyForcibly();
    }
    assertThat(done).as("chromium finished; stderr: %s",
        Files.readString(tmp.resolve("chromium.err"))).isTrue();
    return out;
  }

  private static JsonNode find(JsonNode d, String id) {
    for (JsonNode s : d.get("series")) {
      if (s.get("id").asText().equals(id)) {
        return s;
      }
    }
    throw new AssertionError("no series " + id + " in " + d);
  }
}
