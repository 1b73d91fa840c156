package io.meshcast.adapter.demo;

import io.meshcast.adapter.config.CallRatioSettings;
import io.meshcast.adapter.graph.CallRatio;
import io.meshcast.adapter.graph.MeshGraph;
import io.meshcast.adapter.graph.ServiceRef;
import io.meshcast.adapter.pipeline.Level;
import io.meshcast.adapter.pipeline.MetricResult;
import io.meshcast.adapter.pipeline.SeriesValue;
import io.meshcast.adapter.pipeline.Snapshot;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The demo mesh's call graph, so {@code /debug/graph}, the service map and the propagated demand
 * work without a cluster. The demo declares its call tree: every request to {@code backend} and
 * to {@code checkout} comes from {@code frontend} (their rates are fixed shares of the frontend's,
 * {@link DemoTraffic}). An edge's rate is therefore the callee's inbound rate as the demo's own
 * snapshot reports it, its error ratio and p99 the callee's; the call ratio is estimated online by
 * the adapter's {@link CallRatio}, fed once per snapshot, exactly as for a real mesh. Built
 * lazily from the latest snapshot (in memory, no I/O); thread-safe.
 */
final class DemoGraph implements Supplier<MeshGraph> {

  private static final String CALLER = "frontend";
  private static final List<String> CALLEES = List.of("backend", "checkout");

  private final DemoMesh mesh;
  private final Map<String, CallRatio> ratios = new HashMap<>();
  private Snapshot seen;
  private MeshGraph graph;

  DemoGraph(DemoMesh mesh) {
    this.mesh = mesh;
    for (String callee : CALLEES) {
      ratios.put(callee, new CallRatio(CallRatioSettings.defaults()));
    }
  }

  @Override
  public synchronized MeshGraph get() {
    Snapshot s = mesh.snapshot();
    if (s != seen) {
      graph = build(s);
      seen = s;
    }
    return graph;
  }

  private MeshGraph build(Snapshot s) {
    Map<String, Double> rps = values(s, "kuma_rps");
    if (!rps.containsKey(CALLER)) {
      return MeshGraph.empty(s.publishedAt(), "the demo mesh has not refreshed yet");
    }
    Map<String, Double> errors = values(s, "kuma_error_ratio");
    Map<String, Double> p99 = values(s, "kuma_latency_p99_ms");
    List<MeshGraph.Node> nodes = new ArrayList<>();
    List<MeshGraph.Edge> edges = new ArrayList<>();
    double callerRps = rps.get(CALLER);
    double outbound = 0;
    for (String callee : CALLEES) {
      double edgeRps = rps.getOrDefault(callee, Double.NaN);
      CallRatio ratio = ratios.get(callee);
      ratio.observe(callerRps, edgeRps, 0);
      CallRatio.Estimate e = ratio.estimate();
      outbound += Double.isNaN(edgeRps) ? 0 : edgeRps;
      edges.add(new MeshGraph.Edge(ref(CALLER), ref(callee), List.of("demo:" + callee), edgeRps,
          0, errors.getOrDefault(callee, Double.NaN), p99.getOrDefault(callee, Double.NaN),
          edgeRps / callerRps, e.ratio(), e.stable(), e.explanation()));
      nodes.add(new MeshGraph.Node(ref(callee), edgeRps, 0));
    }
    nodes.add(new MeshGraph.Node(ref(CALLER), callerRps, outbound));
    nodes.sort(java.util.Comparator.comparing(n -> n.ref().id()));
    return new MeshGraph(s.publishedAt(), "demo", nodes, edges, List.of(), Optional.empty(),
        "");
  }

  /** A signal's Service-level values in the demo namespace, by service. */
  private static Map<String, Double> values(Snapshot s, String metric) {
    Map<String, Double> out = new HashMap<>();
    Optional<MetricResult> r = s.result(metric, Level.SERVICE);
    for (SeriesValue v : r.map(MetricResult::series).orElse(List.of())) {
      out.put(v.identity().service(), v.value());
    }
    return out;
  }

  private static ServiceRef ref(String service) {
    return new ServiceRef(DemoMesh.NAMESPACE, service);
  }
}
