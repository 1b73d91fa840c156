package io.meshcast.adapter.graph;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The mesh's call graph as of one refresh. Immutable; rates are per second over the rate window,
 * latencies in milliseconds; NaN means "not measurable this refresh" (explained in {@link
 * Edge#note()}), never zero.
 *
 * @param timestamp the evaluation time of the outbound query
 * @param regime the Kuma regime the query was built for (empty before detection)
 * @param nodes services seen as caller, callee or with inbound traffic, sorted by id
 * @param edges caller → callee edges, sorted by source then destination id
 * @param skippedClusters outbound cluster names that named no service (not mesh services)
 * @param error why this graph is stale or empty (query failed, regime unknown), if it is
 * @param query the PromQL sent (empty before the regime is known)
 */
public record MeshGraph(Instant timestamp, String regime, List<Node> nodes, List<Edge> edges,
    List<String> skippedClusters, Optional<String> error, String query) {

  public MeshGraph {
    Objects.requireNonNull(timestamp, "timestamp");
    nodes = List.copyOf(nodes);
    edges = List.copyOf(edges);
    skippedClusters = List.copyOf(skippedClusters);
    Objects.requireNonNull(error, "error");
  }

  /** A graph with nothing in it yet and the reason. */
  public static MeshGraph empty(Instant at, String reason) {
    return new MeshGraph(at, "", List.of(), List.of(), List.of(), Optional.of(reason), "");
  }

  /** The same graph marked stale by {@code reason} (the last good nodes and edges are kept). */
  MeshGraph stale(String reason) {
    return new MeshGraph(timestamp, regime, nodes, edges, skippedClusters, Optional.of(reason),
        query);
  }

  /** The node of {@code ref}, if present. */
  public Optional<Node> node(ServiceRef ref) {
    return nodes.stream().filter(n -> n.ref().equals(ref)).findFirst();
  }

  /**
   * A service.
   *
   * @param ref namespace and service
   * @param rps requests per second it receives (inbound listener), NaN when its inbound is not
   *     measured (TCP inbound, outside the mesh)
   * @param outboundRps attempts per second it sends to other mesh services (0 when none)
   */
  public record Node(ServiceRef ref, double rps, double outboundRps) {
    public Node {
      Objects.requireNonNull(ref, "ref");
    }
  }

  /**
   * A caller → callee edge, measured at the caller's sidecar (its outbound cluster).
   *
   * @param source the caller
   * @param destination the callee
   * @param clusters the outbound cluster names merged into this edge (split clusters, regimes)
   * @param rps attempts per second (requests plus retries), what the callee receives
   * @param retryRps retries per second
   * @param errorRatio share of attempts answered 5xx, in [0, 1]
   * @param p99Ms caller-side 99th percentile latency (includes the network and the callee's
   *     queueing), NaN when the histogram has no observations
   * @param observedRatio this refresh's call ratio: {@code (rps - retryRps) / source rps}
   * @param ratio the call ratio (callee requests per caller request, retries excluded), smoothed
   *     online across refreshes
   * @param stable whether the ratio has settled (only stable edges propagate demand)
   * @param note why a value is NaN or the edge unstable, empty otherwise
   */
  public record Edge(ServiceRef source, ServiceRef destination, List<String> clusters,
      double rps, double retryRps, double errorRatio, double p99Ms, double observedRatio,
      double ratio, boolean stable, String note) {
    public Edge {
      Objects.requireNonNull(source, "source");
      Objects.requireNonNull(destination, "destination");
      clusters = List.copyOf(clusters);
      Objects.requireNonNull(note, "note");
    }
  }
}
