package io.meshcast.adapter.graph;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The graph's own metrics: refreshes by outcome and the size of the latest graph, so a graph that
 * stops refreshing or loses its edges is visible outside {@code /debug/graph}. Register once per
 * registry. Thread-safe.
 */
final class GraphMetrics {

  private final Counter refreshes;
  private final Gauge nodes;
  private final Gauge edges;

  GraphMetrics(PrometheusRegistry registry) {
    refreshes = Counter.builder()
        .name("meshcast_graph_refreshes_total")
        .help("Mesh graph refreshes (one outbound query each), by outcome: ok, error (the last"
            + " graph is kept, marked stale), no_regime (Kuma regime not detected yet)")
        .labelNames("outcome")
        .register(registry);
    nodes = Gauge.builder()
        .name("meshcast_graph_nodes")
        .help("Services in the latest mesh graph")
        .register(registry);
    edges = Gauge.builder()
        .name("meshcast_graph_edges")
        .help("Caller -> callee edges in the latest mesh graph, by whether their call ratio is"
            + " stable (only stable edges propagate demand)")
        .labelNames("ratio")
        .register(registry);
  }

  void refreshed(String outcome, MeshGraph g) {
    refreshes.labelValues(outcome).inc();
    if (outcome.equals("ok")) {
      long stable = g.edges().stream().filter(MeshGraph.Edge::stable).count();
      nodes.set(g.nodes().size());
      edges.labelValues("stable").set(stable);
      edges.labelValues("unstable").set(g.edges().size() - stable);
    }
  }
}
