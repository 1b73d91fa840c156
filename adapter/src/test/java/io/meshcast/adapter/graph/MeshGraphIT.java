package io.meshcast.adapter.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshcast.adapter.cli.RunningAdapter;
import io.meshcast.adapter.kuma.Regime;
import io.meshcast.adapter.testing.Call;
import io.meshcast.adapter.testing.PrometheusServer;
import io.meshcast.adapter.testing.PrometheusServer.ScrapeJob;
import io.meshcast.adapter.testing.ScrapeTarget;
import io.meshcast.adapter.testing.SyntheticKumaExporter;
import io.meshcast.adapter.testing.SyntheticKumaExporter.EdgeTruth;
import io.meshcast.adapter.testing.SyntheticKumaExporter.ServiceSpec;
import io.meshcast.adapter.testing.Traffic;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code GET /debug/graph} against the exporter's ground truth, through the real composition
 * ({@code meshcast serve}) and a real Prometheus, in all three Kuma regimes. One Prometheus scrapes
 * three synthetic fleets, one per regime, each in its own mesh; each adapter reads its mesh only
 * ({@code kuma.mesh}).
 *
 * <p>The call graph: gateway → frontend (fan-out 1.0) → catalog (2.5, caller-side latency uniform
 * on [25, 100] ms, 10 % of attempts answered 5xx) and cart (0.3); catalog → backend (1.0, plus
 * 0.2 retries per call, latency on [10, 50] ms), cart → backend (2.0); 40 rps enter at the
 * gateway. The smallest edge (frontend → cart) carries 12 rps: counters are integers, as Envoy
 * prints them, so a much smaller rate would measure its own rounding.
 *
 * <p>Tolerances, the same as the golden signals' where they measure the same thing: edge rate
 * within 3 % relative; error ratio within 0.01 absolute; caller-side p99 within 3 % relative
 * (uniform latency between Envoy bucket bounds, where {@code histogram_quantile} is exact); call
 * ratio within 5 % relative (a quotient of two windowed rates, each within ~2 %); every edge
 * stable; the propagated upstream demand of the callees within 15 % of the traffic their callers
 * send (steady traffic, so the callers' demand forecasts are close to what they observe, but the
 * forecasts are model output, not ground truth).
 */
final class MeshGraphIT {

  static final double RATE_TOLERANCE = 0.03;
  static final double ERROR_TOLERANCE = 0.01;
  static final double P99_TOLERANCE = 0.03;
  static final double RATIO_TOLERANCE = 0.05;
  static final double DEMAND_TOLERANCE = 0.15;
  static final int WINDOW_SECONDS = 20;
  static final ObjectMapper JSON = new ObjectMapper();

  static final ServiceSpec GATEWAY = new ServiceSpec("edge", "gateway", 80, 8080, 1);
  static final ServiceSpec FRONTEND = new ServiceSpec("shop", "frontend", 80, 8080, 2);
  static final ServiceSpec CATALOG = new ServiceSpec("shop", "catalog", 8080, 8080, 2);
  static final ServiceSpec CART = new ServiceSpec("shop", "cart", 8080, 8080, 1);
  static final ServiceSpec BACKEND = new ServiceSpec("data", "backend", 3001, 9090, 3);
  static final List<ServiceSpec> SERVICES = List.of(GATEWAY, FRONTEND, CATALOG, CART, BACKEND);
  static final List<Call> CALLS = List.of(
      Call.of(GATEWAY, FRONTEND, 1.0),
      Call.of(FRONTEND, CATALOG, 2.5).withLatency(25, 100).withErrors(0.1),
      Call.of(FRONTEND, CART, 0.3),
      Call.of(CATALOG, BACKEND, 1.0).withRetries(0.2).withLatency(10, 50),
      Call.of(CART, BACKEND, 2.0));

  static final Map<Regime, SyntheticKumaExporter> exporters = new EnumMap<>(Regime.class);
  static final Map<Regime, RunningAdapter> adapters = new EnumMap<>(Regime.class);
  static PrometheusServer prometheus;
  @TempDir static Path dir;

  @BeforeAll
  static void start() throws Exception {
    List<ScrapeTarget> targets = new ArrayList<>();
    for (Regime r : Regime.values()) {
      SyntheticKumaExporter e = SyntheticKumaExporter.start(r, SERVICES, Clock.systemUTC(),
          mesh(r));
      e.setCalls(CALLS);
      e.setTrafficFromCalls(Map.of(GATEWAY, 40.0), new Traffic(0, 0, 5, 25, 2));
      exporters.put(r, e);
      targets.addAll(e.scrapeTargets());
    }
    prometheus = PrometheusServer.start(List.of(new ScrapeJob("kuma-dataplanes", targets)),
        Duration.ofSeconds(1));
    prometheus.awaitSeries("envoy_cluster_upstream_rq_total{envoy_cluster_name=~\".*svc.*\"}",
        3 * 7, Duration.ofSeconds(120));
    for (Regime r : Regime.values()) {
      Path cfg = dir.resolve(r + ".yaml");
      Files.writeString(cfg, """
          prometheus:
            url: %s
            timeout: 10s
          refresh:
            interval: 1s
            historyPoints: 60
            bootstrapWindow: 30s
            bootstrapStep: 1s
          kuma:
            regime: %s
            mesh: %s
            rateWindow: %ds
          kubernetes:
            mode: none
          forecast:
            lead: 3s
          """.formatted(prometheus.url(), r.name().toLowerCase(Locale.ROOT), mesh(r),
          WINDOW_SECONDS));
      adapters.put(r, RunningAdapter.start("--config=" + cfg, "--insecure-authn"));
    }
    // A full rate window of samples (counters need W of history for exact rates).
    prometheus.awaitSeries("count_over_time(envoy_cluster_upstream_rq_total{envoy_cluster_name=~"
        + "\".*svc.*\"}[" + WINDOW_SECONDS + "s]) >= " + (WINDOW_SECONDS - 1), 3 * 7,
        Duration.ofSeconds(180));
  }

  @AfterAll
  static void stop() throws Exception {
    worst.forEach((k, v) -> System.out.printf("measured max deviation %-40s %.5f%n", k, v));
    for (RunningAdapter a : adapters.values()) {
      a.close();
    }
    if (prometheus != null) {
      prometheus.close();
    }
    exporters.values().forEach(SyntheticKumaExporter::close);
  }

  static String mesh(Regime r) {
    return "m-" + r.name().toLowerCase(Locale.ROOT);
  }

  /** Largest deviation per regime and quantity, printed at the end for the docs. */
  static final Map<String, Double> worst = new java.util.concurrent.ConcurrentSkipListMap<>();

  static void close(String key, double actual, double truth, double tol, boolean relative) {
    double dev = relative ? Math.abs(actual - truth) / truth : Math.abs(actual - truth);
    worst.merge(key, dev, Math::max);
    assertThat(actual).as(key + " (truth " + truth + ")")
        .isCloseTo(truth, within(relative ? truth * tol : tol));
  }

  /** Waits (generously) for a graph whose five edges all have a stable ratio. */
  static JsonNode stableGraph(Regime r) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
    String last = "";
    while (System.nanoTime() < deadline) {
      HttpResponse<String> resp = adapters.get(r).get("/debug/graph");
      last = resp.body();
      if (resp.statusCode() == 200) {
        JsonNode g = JSON.readTree(last);
        boolean ready = g.get("edges").size() == CALLS.size();
        for (JsonNode e : g.get("edges")) {
          ready &= e.get("stable").asBoolean();
        }
        if (ready && !g.get("stale").asBoolean()) {
          return g;
        }
      }
      Thread.sleep(500);
    }
    throw new AssertionError("no stable graph within 180 s for " + r + "; last: " + last);
  }

  static JsonNode edge(JsonNode g, ServiceSpec from, ServiceSpec to) {
    for (JsonNode e : g.get("edges")) {
      if (e.get("sourceId").asText().equals(from.namespace() + "/" + from.name())
          && e.get("destinationId").asText().equals(to.namespace() + "/" + to.name())) {
        return e;
      }
    }
    throw new AssertionError("no edge " + from.name() + " -> " + to.name() + " in " + g);
  }

  static JsonNode node(JsonNode g, ServiceSpec s) {
    for (JsonNode n : g.get("nodes")) {
      if (n.get("id").asText().equals(s.namespace() + "/" + s.name())) {
        return n;
      }
    }
    throw new AssertionError("no node " + s.name() + " in " + g);
  }

  @ParameterizedTest
  @EnumSource(Regime.class)
  void debugGraph_matchesExporterGroundTruth(Regime r) throws Exception {
    JsonNode g = stableGraph(r);
    SyntheticKumaExporter e = exporters.get(r);
    assertThat(g.get("regime").asText()).isEqualTo(r.name().toLowerCase(Locale.ROOT));
    assertThat(g.get("timestamp").asText()).isNotEmpty();
    assertThat(g.get("nodes")).hasSize(SERVICES.size());
    for (ServiceSpec s : SERVICES) {
      JsonNode n = node(g, s);
      assertThat(n.get("service").asText()).isEqualTo(s.name());
      assertThat(n.get("namespace").asText()).isEqualTo(s.namespace());
      close(r + " node rps", n.get("rps").asDouble(), e.rps(s.namespace(), s.name()),
          RATE_TOLERANCE, true);
    }
    for (Call c : CALLS) {
      JsonNode j = edge(g, c.caller(), c.callee());
      EdgeTruth t = e.edgeTruth(c.caller(), c.callee());
      String k = r + " " + c.caller().name() + "->" + c.callee().name() + " ";
      assertThat(j.get("source").asText()).isEqualTo(c.caller().name());
      assertThat(j.get("destination").asText()).isEqualTo(c.callee().name());
      assertThat(j.get("clusters").get(0).asText()).isEqualTo(e.clusterName(c.callee()));
      close(r + " edge rps", j.get("rps").asDouble(), t.rps(), RATE_TOLERANCE, true);
      close(r + " edge ratio", j.get("ratio").asDouble(), t.ratio(), RATIO_TOLERANCE, true);
      close(r + " edge errorRatio", j.get("errorRatio").asDouble(), t.errorRatio(),
          ERROR_TOLERANCE, false);
      close(r + " edge p99Ms", j.get("p99Ms").asDouble(), t.p99Ms(), P99_TOLERANCE, true);
      if (t.retryRps() > 0) {
        close(r + " edge retryRps", j.get("retryRps").asDouble(), t.retryRps(), RATE_TOLERANCE,
            true);
      }
      assertThat(j.get("stable").asBoolean()).as(k + "stable").isTrue();
    }
    // Nothing but the graph's edges: the inbound and system clusters are not edges.
    assertThat(g.get("skippedClusters")).isEmpty();
    assertThat(adapters.get(r).get("/metrics").body())
        .contains("meshcast_graph_edges{ratio=\"stable\"} 5.0")
        .contains("meshcast_graph_refreshes_total{outcome=\"ok\"}");
  }

  static boolean propagatedOn(JsonNode g, Instant since) {
    return g.at("/propagation/detail").isNull()
        && !Instant.parse(g.at("/propagation/graphTimestamp").asText()).isBefore(since);
  }

  @ParameterizedTest
  @EnumSource(Regime.class)
  void propagatedDemand_isTheCallersTrafficTimesTheRatio(Regime r) throws Exception {
    SyntheticKumaExporter e = exporters.get(r);
    long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
    JsonNode g = stableGraph(r);
    Instant stableSince = Instant.parse(g.get("timestamp").asText());
    // The forecast worker propagates on the graph it found when it ran: wait until that graph is
    // one whose edges are all stable.
    while (!propagatedOn(g, stableSince) && System.nanoTime() < deadline) {
      Thread.sleep(500);
      g = stableGraph(r);
    }
    assertThat(propagatedOn(g, stableSince)).as("propagation ran on a stable graph: "
        + g.get("propagation")).isTrue();
    for (ServiceSpec callee : List.of(FRONTEND, CATALOG, CART, BACKEND)) {
      double truth = 0; // what the callers send, first attempts only (retries are not demand)
      for (Call c : CALLS) {
        if (c.callee().equals(callee)) {
          truth += e.rps(c.caller().namespace(), c.caller().name()) * c.ratio();
        }
      }
      JsonNode n = node(g, callee);
      close(r + " upstreamDemand", n.get("upstreamDemand").asDouble(), truth, DEMAND_TOLERANCE,
          true);
      assertThat(n.get("ingressShare").asDouble()).as(callee.name() + " ingress share")
          .isLessThan(0.2);
    }
    // The gateway has no callers: all of its demand is its own.
    assertThat(node(g, GATEWAY).get("upstreamDemand").asDouble()).isZero();
    // The per-series debug data says how much came from upstream.
    JsonNode metrics = JSON.readTree(adapters.get(r).get("/debug/metrics").body());
    JsonNode catalog = null;
    for (JsonNode s : metrics.get("series")) {
      if (s.get("id").asText().equals("shop/catalog/kuma_demand_rps")) {
        catalog = s;
      }
    }
    assertThat(catalog).as("shop/catalog/kuma_demand_rps on /debug/metrics").isNotNull();
    assertThat(catalog.get("upstreamDemand").get("upstream").asDouble()).isPositive();
    assertThat(catalog.get("upstreamDemand").get("detail").asText()).contains("shop/frontend");
    assertThat(catalog.get("served").asDouble())
        .isGreaterThanOrEqualTo(catalog.get("servedOwn").asDouble());
  }
}
