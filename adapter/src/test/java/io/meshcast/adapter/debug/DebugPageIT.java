package io.meshcast.adapter.debug;

import io.meshcast.adapter.testing.Kubectl;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshcast.adapter.cli.RunningAdapter;
import java.util.Map;
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
  void graphEndpoint_inTheDemo_drawsItsCallTree_withEstimatedRatios() throws Exception {
    // The demo declares frontend -> backend (0.6 of its rate) and frontend -> checkout (0.1);
    // CallRatio estimates the ratios online and calls them stable after 5 refreshes (1 s each).
    JsonNode g = null;
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      HttpResponse<String> r = adapter.get("/debug/graph");
      assertThat(r.statusCode()).isEqualTo(200);
      g = JSON.readTree(r.body());
      boolean stable = g.get("edges").size() == 2;
      for (JsonNode e : g.get("edges")) {
        stable &= e.get("stable").asBoolean();
      }
      if (stable) {
        break;
      }
      Thread.sleep(500);
    }
    assertThat(g.get("stale").asBoolean()).isFalse();
    assertThat(g.get("nodes")).extracting(n -> n.get("service").asText())
        .containsExactlyInAnyOrder("frontend", "backend", "checkout");
    Map<String, Double> ratio = new java.util.HashMap<>();
    for (JsonNode e : g.get("edges")) {
      assertThat(e.get("source").asText()).isEqualTo("frontend");
      assertThat(e.get("stable").asBoolean()).as(e.toString()).isTrue();
      ratio.put(e.get("destination").asText(), e.get("ratio").asDouble());
    }
    // The callees get 0.6 and 0.1 of the frontend's rate, except during the demo's frontend
    // bursts (x2.5, not passed on), where the observed ratio drops to 0.24 and 0.04: the smoothed
    // ratio lies between, which still tells the two edges apart and catches a swapped or unit one.
    assertThat(ratio.get("backend")).isBetween(0.2, 0.65);
    assertThat(ratio.get("checkout")).isBetween(0.035, 0.11);
    assertThat(g.get("timestamp").asText()).isNotEmpty();
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
        "meshcast_source_queries_total",
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
        io.meshcast.adapter.config.PredictConfig.ALL_SIGNALS));
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
  void debugPage_cardsShowHistoryFanAxesUnitsAndRule() throws Exception {
    assertThat(CHROMIUM).as("Debian chromium (scripts/install-deps.sh installs it)").exists();
    String dom = chromium("--dump-dom");
    assertThat(dom).contains("data-loaded=\"true\"");
    // One card per service-level series (3 services x 7 signals), grouped by service.
    assertThat(count(dom, "<div class=\"card sev-[a-z]+\" data-series=")).isEqualTo(21);
    assertThat(count(dom, "<section class=\"group\" data-service=\"demo/")).isEqualTo(3);
    // History charts: an observed path drawn from many points, and the served step line.
    Matcher m = Pattern.compile("<svg class=\"chart history\"[^>]*data-rendered=\"(\\d+)\"")
        .matcher(dom);
    int charts = 0;
    while (m.find()) {
      charts++;
      assertThat(Integer.parseInt(m.group(1))).isGreaterThan(2);
    }
    assertThat(charts).isEqualTo(21); // 3 services x 7 signals

    String card = card(dom, "demo/frontend/kuma_rps");
    // The lead chart: the fan over the whole lead (2 steps) with its 80 % and 95 % bands, the
    // served value as a level, the observed floor, and ticks relative to now.
    String lead = between(card, "<svg class=\"chart lead\"", "</svg>");
    assertThat(lead).containsPattern("class=\"band95\" data-points=\"2\"")
        .containsPattern("class=\"band\" data-points=\"2\"")
        .containsPattern("class=\"fc\" data-points=\"2\"")
        .contains("class=\"served-level\"", "class=\"floor\"", ">now</text>", ">+2 s</text>",
            ">req/s</text>");
    assertThat(count(lead, "class=\"tick y\"")).isGreaterThanOrEqualTo(3);
    // The history chart: clock-time ticks (hh:mm:ss at this scale) and value ticks with units.
    String history = between(card, "<svg class=\"chart history\"", "</svg>");
    assertThat(history).contains("class=\"served\"", "class=\"obs\"", ">req/s</text>")
        .containsPattern("class=\"tick x\"[^>]*>\\d\\d:\\d\\d:\\d\\d</text>");
    assertThat(count(history, "class=\"tick y\"")).isGreaterThanOrEqualTo(3);
    // Which rule decided the served value, in words, and a readable model description.
    assertThat(card).containsPattern("<span class=\"rule rule-(forecast_quantile|forecast|"
        + "observed_floor|fallback)\">");
    assertThat(card).containsPattern("<p class=\"why\"><b>Why [0-9.]+: </b>(the [0-9]+ % "
        + "quantile of the forecast over the next 2 s|the mean forecast over the next 2 s stays "
        + "at or below|the model is not trusted|the highest mean forecast over the next 2 s)");
    assertThat(card).containsPattern("<p class=\"model\">model: (level|blend|seasonal|last|"
        + "same)");
    assertThat(dom).containsPattern("on the observed value \\([0-9.]+\\): <b>\\d+</b> replicas");

    // No graph on this adapter yet: the map says so instead of drawing nothing.
    HttpResponse<String> graph = adapter.get("/debug/graph");
    if (graph.statusCode() == 404) {
      assertThat(dom).contains("<p id=\"map-note\" class=\"note map-note\">no graph data: "
          + "this adapter serves no /debug/graph (HTTP 404)</p>");
    } else {
      assertThat(graph.statusCode()).isEqualTo(200);
      JsonNode g = JSON.readTree(graph.body());
      if (g.get("nodes").isEmpty()) {
        // The demo has no outbound traffic: the note gives the graph's own reason.
        assertThat(dom).contains("<p id=\"map-note\" class=\"note map-note\">no graph data: "
            + (g.hasNonNull("error") ? g.get("error").asText() : "/debug/graph has no services"));
      } else {
        assertThat(dom).contains("data-nodes=\"" + g.get("nodes").size() + "\"");
      }
    }
  }

  @Test
  void serviceMap_drawsNodesAndEdgesOfTheGraph_andOpensAServicesCards() throws Exception {
    JsonNode fixture;
    try (var in = DebugPageIT.class.getResourceAsStream("/debug/graph-fixture.json")) {
      fixture = JSON.readTree(in);
    }
    try (GraphFixtureProxy proxy = new GraphFixtureProxy(adapter)) {
      String dom = chromiumUrl(proxy.url("/debug/"), "--dump-dom");
      assertThat(dom).contains("data-loaded=\"true\"");
      String map = between(dom, "<svg class=\"map-svg\"", "</svg>");
      assertThat(map).contains("data-nodes=\"" + fixture.get("nodes").size() + "\"",
          "data-edges=\"" + fixture.get("edges").size() + "\"");
      for (JsonNode n : fixture.get("nodes")) {
        assertThat(map).contains("data-service=\"" + n.get("service").asText() + "\"");
      }
      for (JsonNode e : fixture.get("edges")) {
        assertThat(map).contains("data-source=\"" + e.get("source").asText()
            + "\" data-destination=\"" + e.get("destination").asText() + "\"");
      }
      // Labels: short service names, calls/s and call ratio on edges; styles for an unstable
      // ratio and for errors; the gateway has no modelled series, so it opens nothing.
      assertThat(map).contains(">frontend</text>", ">100/s ×2.50</text>",
          "class=\"edge unstable\"", "class=\"edge errors\"",
          "class=\"node unmodelled\" data-service=\"gateway_demo_svc_80\"");
      // Nodes are sized by load: backend (110 req/s) is larger than checkout (8 req/s).
      assertThat(radius(map, "backend_demo_svc_80"))
          .isGreaterThan(radius(map, "checkout_demo_svc_80"));
      assertThat(dom).contains("<p id=\"map-note\" class=\"note map-note\" hidden=\"\">");

      // A node opens its cards: the same focus as a click, through the page's link form.
      String focused = chromiumUrl(proxy.url("/debug/#service=demo%2Fcheckout"), "--dump-dom");
      assertThat(focused).contains("<section class=\"group\" data-service=\"demo/checkout\">",
          "<section class=\"group\" data-service=\"demo/frontend\" hidden=\"\">",
          "class=\"node selected\" data-service=\"checkout_demo_svc_80\"");

      // Screenshots, wide and narrow, after enough history for the charts to read.
      awaitHistory(40);
      for (String[] shot : List.of(new String[] {"debug-page-1400.png", "1400,2600", "/debug/"},
          new String[] {"debug-page-1400-top.png", "1400,900", "/debug/"},
          new String[] {"debug-page-420.png", "420,3000", "/debug/"},
          new String[] {"debug-page-420-top.png", "420,900", "/debug/"},
          new String[] {"debug-page-420-checkout.png", "420,3000",
              "/debug/#service=demo%2Fcheckout"})) {
        Path png = Path.of("target", shot[0]).toAbsolutePath();
        Files.deleteIfExists(png);
        chromiumUrl(proxy.url(shot[2]), "--screenshot=" + png, "--window-size=" + shot[1],
            "--hide-scrollbars");
        assertThat(png).exists();
        assertThat(Files.size(png)).as("a non-empty page").isGreaterThan(30_000);
      }
    }
  }

  /** Waits until the demo series has {@code points} observations (one per second). */
  private static void awaitHistory(int points) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(300).toNanos();
    while (JSON.readTree(adapter.get("/debug/metrics/demo/frontend/kuma_rps").body())
        .at("/history/t").size() < points) {
      assertThat(System.nanoTime()).as("%d history points within 300 s", points)
          .isLessThan(deadline);
      Thread.sleep(500);
    }
  }

  private static double radius(String map, String service) {
    Matcher m = Pattern.compile("data-service=\"" + Pattern.quote(service)
        + "\"[^>]*>\\s*<circle [^>]*r=\"([0-9.]+)\"").matcher(map);
    assertThat(m.find()).as("node " + service).isTrue();
    return Double.parseDouble(m.group(1));
  }

  private static int count(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }

  private static String between(String text, String from, String to) {
    int a = text.indexOf(from);
    assertThat(a).as("%s in the page", from).isNotNegative();
    int b = text.indexOf(to, a);
    return text.substring(a, b < 0 ? text.length() : b);
  }

  /** The card of series {@code id}: from its opening tag to the next card's. */
  private static String card(String dom, String id) {
    String from = "data-series=\"" + id + "\"";
    int a = dom.indexOf(from);
    assertThat(a).as("card %s", id).isNotNegative();
    int b = dom.indexOf("data-series=", a + from.length());
    return dom.substring(a, b < 0 ? dom.length() : b);
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
    return chromiumUrl(adapter.url(path), extra);
  }

  private static String chromiumUrl(String url, String... extra) throws Exception {
    Path profile = Files.createTempDirectory(tmp, "chromium-");
    List<String> cmd = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless",
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage", "--ignore-certificate-errors",
        "--user-data-dir=" + profile, "--virtual-time-budget=8000"));
    cmd.addAll(List.of(extra));
    cmd.add(url);
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
