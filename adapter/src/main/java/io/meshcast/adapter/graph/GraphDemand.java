package io.meshcast.adapter.graph;

import io.meshcast.adapter.predict.DemandPropagation;
import io.meshcast.adapter.predict.SeriesReport;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@link DemandPropagation} over the latest {@link MeshGraph}: each node's own demand forecast is
 * the served {@code kuma_demand_rps_forecast} of its service-level series (the own model, after its
 * safety rule), its observed rate the node's inbound rate, and each edge propagates its call ratio
 * when {@link CallRatio} calls it stable; {@link Propagation} does the rest. A graph marked stale
 * (its query failing) or without edges propagates nothing: forecasts are then served as without
 * the graph, and {@link #last()} says why.
 *
 * <p>Pure in-memory work on the forecast worker; {@link #last()} is a volatile read. Thread-safe.
 */
public final class GraphDemand implements DemandPropagation {

  /** The latest propagation: the graph it used, the result, or why there is none. */
  public record Outcome(MeshGraph graph, Optional<Propagation.Result> result, String detail) {}

  private final Supplier<MeshGraph> graph;
  private final boolean enabled;
  private volatile Outcome last;

  /** Propagation over {@code graph}'s latest graph. */
  public GraphDemand(Supplier<MeshGraph> graph) {
    this(graph, true);
  }

  /**
   * @param enabled false: nothing is propagated ({@code graph.propagate: false}) and {@link
   *     #last()} says so; the graph is still shown
   */
  public GraphDemand(Supplier<MeshGraph> graph, boolean enabled) {
    this.graph = graph;
    this.enabled = enabled;
    this.last = new Outcome(graph.get(), Optional.empty(),
        enabled ? "no snapshot processed yet" : "disabled (graph.propagate: false)");
  }

  /** The graph in force (the refresher's latest). */
  public MeshGraph graph() {
    return graph.get();
  }

  /** The latest propagation, for {@code /debug/graph}. */
  public Outcome last() {
    return last;
  }

  @Override
  public Map<String, Upstream> propagate(Map<String, SeriesReport> reports) {
    MeshGraph g = graph.get();
    if (!enabled) {
      last = new Outcome(g, Optional.empty(), "disabled (graph.propagate: false)");
      return Map.of();
    }
    if (g.error().isPresent()) {
      last = new Outcome(g, Optional.empty(), "graph unavailable: " + g.error().get());
      return Map.of();
    }
    if (g.edges().isEmpty()) {
      last = new Outcome(g, Optional.empty(), "no edges in the graph");
      return Map.of();
    }
    List<Propagation.Service> services = new ArrayList<>();
    Map<String, SeriesReport> byNode = new HashMap<>();
    for (MeshGraph.Node n : g.nodes()) {
      SeriesReport r = reports.get(seriesId(n.ref()));
      if (r != null) {
        byNode.put(n.ref().id(), r);
      }
      services.add(new Propagation.Service(n.ref().id(), r == null ? Double.NaN : r.served(),
          n.rps()));
    }
    List<Propagation.Edge> edges = new ArrayList<>();
    for (MeshGraph.Edge e : g.edges()) {
      edges.add(new Propagation.Edge(e.source().id(), e.destination().id(), e.ratio(),
          e.stable(), e.rps() - e.retryRps()));
    }
    Propagation.Result res = Propagation.compute(services, edges);
    Map<String, Upstream> out = new HashMap<>();
    res.demands().forEach((node, d) -> {
      SeriesReport r = byNode.get(node);
      if (r != null && !d.contributions().isEmpty()) {
        out.put(r.id(), new Upstream(d.total(), d.upstream(), d.ingress(), d.ingressShare(),
            describe(d)));
      }
    });
    last = new Outcome(g, Optional.of(res), "");
    return out;
  }

  /** The id of a node's service-level {@value DemandPropagation#SIGNAL} series. */
  static String seriesId(ServiceRef ref) {
    return ref.namespace() + "/" + ref.service() + "/" + DemandPropagation.SIGNAL;
  }

  private static String describe(Propagation.Demand d) {
    List<String> parts = new ArrayList<>();
    for (Propagation.Contribution c : d.contributions()) {
      parts.add(String.format(Locale.ROOT, "%s %.3g x %.3g = %.3g", c.edge().source(),
          c.callerDemand(), c.edge().ratio(), c.contribution()));
    }
    return String.format(Locale.ROOT, "upstream %.3g rps from %s; ingress share %.2f", d.upstream(),
        String.join(", ", parts), d.ingressShare()) + (d.note().isEmpty() ? "" : "; " + d.note());
  }
}
