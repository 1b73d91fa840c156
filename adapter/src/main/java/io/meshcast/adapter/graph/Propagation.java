package io.meshcast.adapter.graph;

/*
 * Propagated demand. A service X receives its own ingress (traffic from outside the mesh, or from
 * callers whose edge does not propagate) plus what its callers send. With f_X its own demand
 * forecast, o_X its observed inbound rate and, for each propagating edge c -> X, o_cX the edge's
 * observed rate and r_cX its call ratio:
 *
 *   ingress share  s_X = clamp(1 - sum_c o_cX / o_X, 0, 1)     (the part callers do not explain)
 *   total          D_X = s_X f_X + sum_c D_c r_cX              (callers' propagated demand)
 *
 * So a chain gateway -> frontend -> backend gives D_backend = D_frontend r_fb = f_gateway r_gf r_fb
 * when all backend traffic comes through the chain, and a backend that is also called from outside
 * keeps that share of its own forecast. An upstream tier that is saturated and holding load sends
 * less than it will (o_cX is low) but its demand forecast D_c is what it is about to pass on.
 *
 * Which edges propagate: an edge with ratio NaN, infinite or negative, one marked unstable, a
 * self-call (c = X: X's own forecast already sees its own traffic) and an edge that closes a cycle
 * do not. Their traffic stays inside the callee's own forecast, because the ingress share only
 * subtracts propagating edges. Cycles are cut, not solved: a depth-first search from the services
 * nobody calls (then any left, in name order) drops each edge that leads back to a service on the
 * current path. The remaining graph is acyclic, so D is computed exactly in one topological pass,
 * with no damping, no iteration bound and no divergence when a cycle's gain is >= 1.
 *
 * Missing numbers: f_X NaN falls back to the observed ingress s_X o_X (named in the result); o_X
 * NaN or <= 0 makes s_X 1 when no edge propagates into X and 0 when one does (no traffic to
 * measure a split from: callers explain it all). A caller whose D is NaN contributes nothing and
 * its edge is reported as skipped.
 */

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Computes each service's propagated demand forecast from the services' own forecasts and the
 * call graph: own ingress share plus the sum over propagating in-edges of the caller's propagated
 * demand times the edge's call ratio (see the equations at the top of the source). Returns per
 * service the total, the upstream part and the edges that contributed, and the edges that did not
 * propagate with the reason.
 *
 * <p>Stateless, thread-safe, pure; O(services + edges). Units are whatever the inputs are in
 * (requests per second); ratios are callee requests per caller request.
 */
public final class Propagation {

  private Propagation() {}

  /**
   * One service's inputs.
   *
   * @param name the service (any stable key, e.g. Kuma's {@code kuma_io_service})
   * @param ownForecast its own model's demand forecast; NaN when it has none
   * @param observedRps its inbound rate now, used for the ingress share; NaN when unknown
   */
  public record Service(String name, double ownForecast, double observedRps) {}

  /**
   * One call edge.
   *
   * @param source the caller
   * @param destination the callee
   * @param ratio callee requests per caller request ({@link CallRatio.Estimate#ratio()})
   * @param stable whether the ratio may propagate ({@link CallRatio.Estimate#stable()})
   * @param observedRps the edge's current rate (first attempts), for the callee's ingress share;
   *     NaN reads as 0
   */
  public record Edge(String source, String destination, double ratio, boolean stable,
      double observedRps) {}

  /**
   * An edge that fed its callee.
   *
   * @param edge the edge
   * @param callerDemand the caller's propagated demand D_c
   * @param contribution D_c times the ratio
   */
  public record Contribution(Edge edge, double callerDemand, double contribution) {}

  /** Why an edge did not propagate. */
  public enum SkipReason {
    /** source equals destination. */
    SELF_CALL,
    /** the ratio is NaN, infinite or negative. */
    INVALID_RATIO,
    /** the ratio is not stable ({@link CallRatio.Estimate#stable()} false). */
    UNSTABLE,
    /** the edge closes a cycle and was cut. */
    CYCLE,
    /** the caller's propagated demand is NaN. */
    CALLER_UNKNOWN
  }

  /** An edge that did not propagate and why. */
  public record Skipped(Edge edge, SkipReason reason) {}

  /**
   * One service's propagated demand.
   *
   * @param service the service
   * @param total D_X = ingress + upstream; NaN when neither the forecast nor the observation is
   *     known and the callers do not explain the traffic
   * @param ingress s_X times the own forecast (or the observed rate, see {@code note})
   * @param upstream the sum of the contributions
   * @param ingressShare s_X in [0, 1]
   * @param ownForecast f_X as given (NaN when none)
   * @param contributions the edges that fed it, largest first
   * @param note empty, or how a missing number was handled
   */
  public record Demand(String service, double total, double ingress, double upstream,
      double ingressShare, double ownForecast, List<Contribution> contributions, String note) {

    public Demand {
      contributions = List.copyOf(contributions);
    }

    /**
     * The value to serve: {@code max(total, ownForecast)}, ignoring a NaN side (NaN only when both
     * are). Propagation adds what the callers are about to send; it never serves less than the
     * service's own forecast, e.g. when callers release held-back load faster than their forecast
     * says or when the split between callers and ingress shifts.
     */
    public double served() {
      if (Double.isNaN(total)) {
        return ownForecast;
      }
      return Double.isNaN(ownForecast) ? total : Math.max(total, ownForecast);
    }

    /** The upstream part of the total, in [0, 1]; NaN when the total is 0 or NaN. */
    public double upstreamShare() {
      return total > 0 ? upstream / total : Double.NaN;
    }
  }

  /**
   * The result.
   *
   * @param demands per service name, every service given and every edge endpoint
   * @param skipped the edges that did not propagate
   */
  public record Result(Map<String, Demand> demands, List<Skipped> skipped) {

    public Result {
      demands = Map.copyOf(demands);
      skipped = List.copyOf(skipped);
    }
  }

  /**
   * Propagates demand over the graph.
   *
   * @param services the services; an edge endpoint missing here is added with NaN forecast and
   *     NaN observation
   * @param edges the edges; at most one per (source, destination)
   * @throws IllegalArgumentException on a duplicate service name or duplicate edge, naming it
   */
  public static Result compute(Collection<Service> services, Collection<Edge> edges) {
    Map<String, Service> byName = new TreeMap<>();
    for (Service s : services) {
      if (byName.put(s.name(), s) != null) {
        throw new IllegalArgumentException("duplicate service " + s.name());
      }
    }
    List<Skipped> skipped = new ArrayList<>();
    Map<String, List<Edge>> out = new TreeMap<>();
    Set<String> seen = new HashSet<>();
    for (Edge e : edges) {
      if (!seen.add(e.source() + "\u0000" + e.destination())) {
        throw new IllegalArgumentException(
            "duplicate edge " + e.source() + " -> " + e.destination());
      }
      byName.putIfAbsent(e.source(), new Service(e.source(), Double.NaN, Double.NaN));
      byName.putIfAbsent(e.destination(), new Service(e.destination(), Double.NaN, Double.NaN));
      if (e.source().equals(e.destination())) {
        skipped.add(new Skipped(e, SkipReason.SELF_CALL));
      } else if (!(e.ratio() >= 0) || Double.isInfinite(e.ratio())) {
        skipped.add(new Skipped(e, SkipReason.INVALID_RATIO));
      } else if (!e.stable()) {
        skipped.add(new Skipped(e, SkipReason.UNSTABLE));
      } else {
        out.computeIfAbsent(e.source(), k -> new ArrayList<>()).add(e);
      }
    }
    out.values().forEach(l -> l.sort((a, b) -> a.destination().compareTo(b.destination())));
    List<String> order = new ArrayList<>();
    Map<String, List<Edge>> in = cutCycles(byName.keySet(), out, order, skipped);

    Map<String, Demand> demands = new HashMap<>();
    for (String name : order) {
      demands.put(name, demandOf(byName.get(name), in.getOrDefault(name, List.of()), demands,
          skipped));
    }
    return new Result(demands, skipped);
  }

  /**
   * Depth-first search that drops back edges; fills {@code order} with a topological order of the
   * remaining graph and returns its in-edges per callee.
   */
  private static Map<String, List<Edge>> cutCycles(Set<String> names, Map<String, List<Edge>> out,
      List<String> order, List<Skipped> skipped) {
    Set<String> called = new HashSet<>();
    out.values().forEach(l -> l.forEach(e -> called.add(e.destination())));
    List<String> roots = new ArrayList<>();
    names.stream().filter(n -> !called.contains(n)).forEach(roots::add);
    names.stream().filter(called::contains).forEach(roots::add);

    Map<String, List<Edge>> in = new HashMap<>();
    Set<String> onPath = new HashSet<>();
    Set<String> done = new HashSet<>();
    Deque<String> postOrder = new ArrayDeque<>();
    for (String root : roots) {
      if (done.contains(root)) {
        continue;
      }
      // Iterative DFS (a mesh can be deep enough to make recursion a risk): frames of
      // (service, index of the next out-edge).
      Deque<String> stack = new ArrayDeque<>();
      Deque<int[]> next = new ArrayDeque<>();
      stack.push(root);
      next.push(new int[] {0});
      onPath.add(root);
      while (!stack.isEmpty()) {
        String node = stack.peek();
        int[] i = next.peek();
        List<Edge> edges = out.getOrDefault(node, List.of());
        if (i[0] < edges.size()) {
          Edge e = edges.get(i[0]++);
          String to = e.destination();
          if (onPath.contains(to)) {
            skipped.add(new Skipped(e, SkipReason.CYCLE));
            continue;
          }
          in.computeIfAbsent(to, k -> new ArrayList<>()).add(e);
          if (!done.contains(to)) {
            stack.push(to);
            next.push(new int[] {0});
            onPath.add(to);
          }
        } else {
          stack.pop();
          next.pop();
          onPath.remove(node);
          done.add(node);
          postOrder.push(node);
        }
      }
    }
    // Reverse post-order of a DFS is a topological order of the graph without back edges.
    order.addAll(postOrder);
    return in;
  }

  private static Demand demandOf(Service s, List<Edge> inEdges, Map<String, Demand> demands,
      List<Skipped> skipped) {
    List<Contribution> contributions = new ArrayList<>();
    double upstream = 0;
    double explained = 0;
    for (Edge e : inEdges) {
      double callerDemand = demands.get(e.source()).total();
      if (Double.isNaN(callerDemand)) {
        skipped.add(new Skipped(e, SkipReason.CALLER_UNKNOWN));
        continue;
      }
      double c = callerDemand * e.ratio();
      contributions.add(new Contribution(e, callerDemand, c));
      upstream += c;
      explained += Double.isNaN(e.observedRps()) ? 0 : Math.max(0, e.observedRps());
    }
    contributions.sort((a, b) -> Double.compare(b.contribution(), a.contribution()));
    final double share;
    if (s.observedRps() > 0) {
      share = Math.min(1, Math.max(0, 1 - explained / s.observedRps()));
    } else {
      share = contributions.isEmpty() ? 1 : 0;
    }
    String note = "";
    double ingress;
    if (share == 0) {
      ingress = 0;
    } else if (!Double.isNaN(s.ownForecast())) {
      ingress = share * Math.max(0, s.ownForecast());
    } else if (s.observedRps() >= 0) {
      ingress = share * s.observedRps();
      note = "no own forecast: ingress share of the observed rate";
    } else {
      ingress = Double.NaN;
      note = "no own forecast and no observation";
    }
    return new Demand(s.name(), ingress + upstream, ingress, upstream, share, s.ownForecast(),
        contributions, note);
  }
}
