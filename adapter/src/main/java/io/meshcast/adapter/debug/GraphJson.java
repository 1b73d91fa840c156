package io.meshcast.adapter.debug;

import static io.meshcast.adapter.debug.DebugRoutes.num;

import io.meshcast.adapter.graph.GraphDemand;
import io.meshcast.adapter.graph.MeshGraph;
import io.meshcast.adapter.graph.Propagation;
import io.meshcast.adapter.graph.ServiceRef;
import io.meshcast.adapter.predict.DemandPropagation;
import io.meshcast.adapter.predict.DerivedNames;
import io.meshcast.adapter.predict.PredictiveLayer;
import io.meshcast.adapter.predict.SeriesReport;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The body of {@code GET /debug/graph}: the latest {@link MeshGraph} with each node's forecasts
 * from the predictive layer and its propagated demand. Shape (extra fields may be added; these
 * names are what the debug page's service map reads):
 *
 * <pre>
 * {"timestamp", "regime", "stale", "error", "query", "skippedClusters",
 *  "propagation": {"signal", "graphTimestamp", "detail"},
 *  "nodes": [{"id", "service", "namespace", "rps", "outboundRps", "forecast", "servedForecast",
 *             "demand", "upstreamDemand", "ingressDemand", "ingressShare", "saturation",
 *             "anomalyScore", "severity"}],
 *  "edges": [{"source", "destination", "sourceNamespace", "destinationNamespace", "sourceId",
 *             "destinationId", "clusters", "rps", "retryRps", "errorRatio", "p99Ms", "ratio",
 *             "observedRatio", "stable", "propagated", "skipReason", "note"}]}
 * </pre>
 *
 * Rates in requests per second, latencies in ms; null where a value is not known (never 0).
 */
final class GraphJson {

  private GraphJson() {}

  static JsonObject render(Optional<GraphDemand> demand, PredictiveLayer layer, Instant now) {
    if (demand.isEmpty()) {
      return new JsonObject().put("timestamp", now.toString()).put("nodes", new JsonArray())
          .put("edges", new JsonArray()).put("stale", true)
          .put("error", "no mesh graph: graph.enabled is false");
    }
    GraphDemand.Outcome outcome = demand.get().last();
    MeshGraph g = demand.get().graph();
    Map<String, SeriesReport> reports = layer.reports();
    // The forecast worker propagates on the graph it found, at most one refresh older than g (the
    // two follow the same snapshots in parallel); nodes and edges are matched by id.
    Optional<Propagation.Result> prop = outcome.result();
    Map<String, String> skipped = new HashMap<>();
    prop.ifPresent(p -> p.skipped().forEach(s -> skipped.put(
        s.edge().source() + "\u0000" + s.edge().destination(),
        s.reason().name().toLowerCase(Locale.ROOT))));
    JsonArray nodes = new JsonArray();
    for (MeshGraph.Node n : g.nodes()) {
      ServiceRef ref = n.ref();
      SeriesReport rps = reports.get(id(ref, DemandPropagation.SIGNAL));
      SeriesReport inflight = reports.get(id(ref, "kuma_inflight"));
      Optional<Propagation.Demand> d = prop.map(p -> p.demands().get(ref.id()));
      double served = rps == null ? Double.NaN : rps.served();
      JsonObject o = new JsonObject()
          .put("id", ref.id())
          .put("service", ref.service())
          .put("namespace", ref.namespace())
          .put("rps", num(n.rps()))
          .put("outboundRps", num(n.outboundRps()))
          .put("forecast", rps == null ? null : num(rps.forecast()))
          .put("servedForecast", num(rps == null ? Double.NaN : layer.servedValue(rps)))
          .put("demand", num(d.map(Propagation.Demand::total).orElse(served)))
          .put("upstreamDemand", d.map(x -> num(x.upstream())).orElse(null))
          .put("ingressDemand", d.map(x -> num(x.ingress())).orElse(null))
          .put("ingressShare", d.map(x -> num(x.ingressShare())).orElse(null))
          .put("saturation", inflight == null ? null : num(inflight.observed()))
          .put("anomalyScore", rps == null ? null : num(rps.anomalyScore()))
          .put("severity", rps == null ? null
              : rps.severity().name().toLowerCase(Locale.ROOT));
      nodes.add(o);
    }
    JsonArray edges = new JsonArray();
    for (MeshGraph.Edge e : g.edges()) {
      String reason = skipped.get(e.source().id() + "\u0000" + e.destination().id());
      edges.add(new JsonObject()
          .put("source", e.source().service())
          .put("destination", e.destination().service())
          .put("sourceNamespace", e.source().namespace())
          .put("destinationNamespace", e.destination().namespace())
          .put("sourceId", e.source().id())
          .put("destinationId", e.destination().id())
          .put("clusters", new JsonArray(e.clusters()))
          .put("rps", num(e.rps()))
          .put("retryRps", num(e.retryRps()))
          .put("errorRatio", num(e.errorRatio()))
          .put("p99Ms", num(e.p99Ms()))
          .put("ratio", num(e.ratio()))
          .put("observedRatio", num(e.observedRatio()))
          .put("stable", e.stable())
          .put("propagated", prop.isPresent() && reason == null)
          .put("skipReason", reason)
          .put("note", e.note().isEmpty() ? null : e.note()));
    }
    return new JsonObject()
        .put("timestamp", g.timestamp().toString())
        .put("regime", g.regime().isEmpty() ? null : g.regime())
        .put("stale", g.error().isPresent())
        .put("error", g.error().orElse(null))
        .put("query", g.query().isEmpty() ? null : g.query())
        .put("skippedClusters", new JsonArray(g.skippedClusters()))
        .put("propagation", new JsonObject()
            .put("signal", DemandPropagation.SIGNAL + DerivedNames.FORECAST)
            .put("graphTimestamp", outcome.graph().timestamp().toString())
            .put("detail", outcome.detail().isEmpty() ? null : outcome.detail()))
        .put("nodes", nodes)
        .put("edges", edges);
  }

  private static String id(ServiceRef ref, String signal) {
    return ref.namespace() + "/" + ref.service() + "/" + signal;
  }
}
