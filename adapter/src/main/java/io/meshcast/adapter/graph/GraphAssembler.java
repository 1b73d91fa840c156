package io.meshcast.adapter.graph;

import io.meshcast.adapter.config.CallRatioSettings;
import io.meshcast.adapter.source.Sample;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Turns the rows of one {@link OutboundQuery} into a {@link MeshGraph}, carrying each edge's
 * {@link CallRatio} estimator from one refresh to the next (fed with the caller's inbound rate,
 * the edge's attempts and its retries, so retries never count as fan-out). Split clusters (and any clusters naming the
 * same callee) add up: rates and retries are summed, error ratios re-weighted by attempts, and the
 * p99 is the highest of the parts (quantiles do not add). Edges absent from a refresh lose their
 * estimator after {@value #FORGET_AFTER} refreshes.
 *
 * <p>Not thread-safe: one refresh at a time (the {@link GraphRefresher} guarantees it).
 */
final class GraphAssembler {

  /** Refreshes without an edge after which its ratio estimator is dropped (bounded memory). */
  static final int FORGET_AFTER = 60;

  /** An edge's identity. */
  record EdgeKey(ServiceRef source, ServiceRef destination) {}

  /** Mutable sums of one edge's rows. */
  private static final class Acc {
    final TreeSet<String> clusters = new TreeSet<>();
    double attempts = Double.NaN;
    double retries;
    double errors;
    double p99 = Double.NaN;
  }

  private final CallRatioSettings settings;
  private final Map<EdgeKey, CallRatio> state = new HashMap<>();
  private final Map<EdgeKey, Long> lastSeen = new HashMap<>();
  private long generation;

  GraphAssembler(CallRatioSettings settings) {
    this.settings = settings;
  }

  MeshGraph assemble(OutboundQuery q, List<Sample> rows, Instant at) {
    long gen = ++generation;
    Map<ServiceRef, Double> inbound = new HashMap<>();
    Map<EdgeKey, Acc> edges = new TreeMap<>(java.util.Comparator
        .comparing((EdgeKey k) -> k.source().id()).thenComparing(k -> k.destination().id()));
    TreeSet<String> skipped = new TreeSet<>();
    for (Sample s : rows) {
      String part = s.labels().get(OutboundQuery.PART);
      Optional<ServiceRef> caller = q.caller(s.labels());
      if (part == null || caller.isEmpty()) {
        continue;
      }
      if (part.equals("inbound")) {
        inbound.merge(caller.get(), s.value(), Double::sum);
        continue;
      }
      String cluster = s.labels().getOrDefault(OutboundQuery.CLUSTER, "");
      Optional<ServiceRef> callee = ServiceRef.ofCluster(cluster);
      if (callee.isEmpty()) {
        skipped.add(cluster);
        continue;
      }
      Acc a = edges.computeIfAbsent(new EdgeKey(caller.get(), callee.get()), k -> new Acc());
      a.clusters.add(cluster);
      double v = s.value();
      switch (part) {
        case "attempts" -> a.attempts = Double.isNaN(a.attempts) ? v : a.attempts + v;
        case "retries" -> a.retries += v;
        case "errors" -> a.errors += v;
        case "p99" -> a.p99 = Double.isNaN(a.p99) || v > a.p99 ? v : a.p99;
        default -> { }
      }
    }
    Map<ServiceRef, Double> outbound = new HashMap<>();
    TreeSet<ServiceRef> nodes = new TreeSet<>(java.util.Comparator.comparing(ServiceRef::id));
    nodes.addAll(inbound.keySet());
    List<MeshGraph.Edge> out = new ArrayList<>();
    for (Map.Entry<EdgeKey, Acc> e : edges.entrySet()) {
      EdgeKey k = e.getKey();
      Acc a = e.getValue();
      if (Double.isNaN(a.attempts)) {
        continue; // a histogram or retry row without its request counter: not an edge yet
      }
      nodes.add(k.source());
      nodes.add(k.destination());
      outbound.merge(k.source(), a.attempts, Double::sum);
      double callerRps = inbound.getOrDefault(k.source(), Double.NaN);
      double calls = Math.max(0, a.attempts - a.retries);
      double observed = callerRps > 0 ? calls / callerRps : Double.NaN;
      CallRatio tracker = state.computeIfAbsent(k, x -> new CallRatio(settings));
      tracker.observe(callerRps, a.attempts, a.retries);
      CallRatio.Estimate r = tracker.estimate();
      lastSeen.put(k, gen);
      // MeshMetric exports no 5xx series before the first 5xx (usedonly): no row means none.
      double errorRatio = a.attempts > 0 ? Math.min(1, a.errors / a.attempts) : Double.NaN;
      List<String> notes = new ArrayList<>();
      if (Double.isNaN(callerRps)) {
        notes.add("caller's inbound rate not measured: no call ratio");
      } else if (callerRps == 0) {
        notes.add("caller received no requests in the window: no call ratio");
      }
      if (Double.isNaN(a.p99)) {
        notes.add("no latency observations in the window");
      }
      if (!r.explanation().isEmpty()) {
        notes.add("ratio not stable: " + r.explanation());
      }
      out.add(new MeshGraph.Edge(k.source(), k.destination(), List.copyOf(a.clusters),
          a.attempts, a.retries, errorRatio, a.p99, observed, r.ratio(), r.stable(),
          String.join("; ", notes)));
    }
    lastSeen.entrySet().removeIf(x -> gen - x.getValue() > FORGET_AFTER);
    state.keySet().retainAll(lastSeen.keySet());
    List<MeshGraph.Node> ns = new ArrayList<>();
    for (ServiceRef n : nodes) {
      ns.add(new MeshGraph.Node(n, inbound.getOrDefault(n, Double.NaN),
          outbound.getOrDefault(n, 0.0)));
    }
    return new MeshGraph(at, q.regime().name().toLowerCase(java.util.Locale.ROOT), ns, out,
        List.copyOf(skipped), Optional.empty(), q.promql());
  }
}
