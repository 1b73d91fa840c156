package io.meshcast.loadtest.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A call tree for the multi-service replay: tiers (each its own Deployment and HPA) and call
 * edges with their fan-out. The trace drives the entry tier; every other tier's arrivals are the
 * calls its callers make while serving. Validated once: names unique, edges between known tiers,
 * no self-calls, no cycles (a replayed cycle would amplify without bound), every tier reachable
 * from the entry.
 *
 * @param entry the tier the trace arrives at
 * @param tiers the tiers, in the order of the report
 * @param edges the call edges
 */
record MeshConfig(String entry, List<Tier> tiers, List<Edge> edges) {

  /**
   * One tier.
   *
   * @param name the service
   * @param capacityRps requests/s one ready pod serves
   * @param startupSeconds pod creation to Ready
   * @param minReplicas its HPA's minReplicas
   * @param maxReplicas its HPA's maxReplicas; 0 derives it from the peak (see {@link
   *     #maxReplicasFor})
   */
  record Tier(String name, double capacityRps, long startupSeconds, int minReplicas,
      int maxReplicas) {}

  /**
   * One call edge.
   *
   * @param source the caller
   * @param destination the callee
   * @param ratio mean calls to the callee per request the caller serves
   */
  record Edge(String source, String destination, double ratio) {}

  MeshConfig {
    tiers = List.copyOf(tiers);
    edges = List.copyOf(edges);
    Set<String> names = new HashSet<>();
    for (Tier t : tiers) {
      require(names.add(t.name()), "mesh: duplicate tier '" + t.name() + "'");
      require(t.capacityRps() > 0, "mesh: tier '" + t.name() + "' capacityRps must be > 0, got "
          + t.capacityRps());
      require(t.startupSeconds() >= 0, "mesh: tier '" + t.name() + "' startup must be >= 0");
      require(t.minReplicas() >= 1, "mesh: tier '" + t.name() + "' minReplicas must be >= 1");
      require(t.maxReplicas() == 0 || t.maxReplicas() >= t.minReplicas(),
          "mesh: tier '" + t.name() + "' maxReplicas must be 0 (derived) or >= minReplicas");
    }
    require(names.contains(entry), "mesh: entry '" + entry + "' is not a tier " + names);
    Set<String> pairs = new HashSet<>();
    for (Edge e : edges) {
      require(names.contains(e.source()) && names.contains(e.destination()),
          "mesh: edge " + e.source() + " -> " + e.destination() + " names an unknown tier");
      require(!e.source().equals(e.destination()), "mesh: self-call " + e.source());
      require(e.ratio() > 0 && Double.isFinite(e.ratio()), "mesh: edge " + e.source() + " -> "
          + e.destination() + " ratio must be > 0, got " + e.ratio());
      require(pairs.add(e.source() + " -> " + e.destination()),
          "mesh: duplicate edge " + e.source() + " -> " + e.destination());
      require(!e.destination().equals(entry), "mesh: edge into the entry tier " + entry);
    }
    List<String> order = topologicalOrder(entry, tiers, edges);
    require(order.size() == tiers.size(), "mesh: tiers " + unreachable(names, order)
        + " are unreachable from '" + entry + "' or on a cycle");
  }

  /**
   * The default call tree: gateway → frontend (1.0) → catalog (2.5) and cart (0.3), both →
   * backend (1.0). Capacities and start-up delays differ per tier (an Envoy gateway starts in
   * 30 s, a JVM backend in 2 min).
   */
  static MeshConfig defaults() {
    return new MeshConfig("gateway",
        List.of(new Tier("gateway", 250, 30, 2, 0), new Tier("frontend", 100, 90, 2, 0),
            new Tier("catalog", 150, 60, 2, 0), new Tier("cart", 50, 60, 2, 0),
            new Tier("backend", 100, 120, 2, 0)),
        List.of(new Edge("gateway", "frontend", 1.0), new Edge("frontend", "catalog", 2.5),
            new Edge("frontend", "cart", 0.3), new Edge("catalog", "backend", 1.0),
            new Edge("cart", "backend", 1.0)));
  }

  /**
   * Reads a mesh file (YAML or JSON): {@code entry}, {@code tiers: [{name, capacityRps,
   * startup (seconds), minReplicas, maxReplicas}]}, {@code edges: [{from, to, ratio}]}.
   */
  static MeshConfig read(Path file) throws IOException {
    JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("mesh file " + file + " is not a mapping");
    }
    List<Tier> tiers = new ArrayList<>();
    for (JsonNode t : list(root, "tiers", file)) {
      known(t, file, "name", "capacityRps", "startup", "minReplicas", "maxReplicas");
      tiers.add(new Tier(text(t, "name", file), t.path("capacityRps").asDouble(Double.NaN),
          t.path("startup").asLong(60), t.path("minReplicas").asInt(2),
          t.path("maxReplicas").asInt(0)));
    }
    List<Edge> edges = new ArrayList<>();
    for (JsonNode e : list(root, "edges", file)) {
      known(e, file, "from", "to", "ratio");
      edges.add(new Edge(text(e, "from", file), text(e, "to", file),
          e.path("ratio").asDouble(Double.NaN)));
    }
    return new MeshConfig(text(root, "entry", file), tiers, edges);
  }

  /** Tiers in topological order from the entry (callers before callees). */
  List<String> order() {
    return topologicalOrder(entry, tiers, edges);
  }

  /** The tier by name. */
  Tier tier(String name) {
    return tiers.stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow();
  }

  /** Requests a tier receives per entry request: the sum over paths of the ratios' product. */
  Map<String, Double> gains() {
    Map<String, Double> gain = new LinkedHashMap<>();
    for (String n : order()) {
      gain.put(n, n.equals(entry) ? 1.0 : 0.0);
    }
    for (String n : order()) {
      for (Edge e : edges) {
        if (e.source().equals(n)) {
          gain.merge(e.destination(), gain.get(n) * e.ratio(), Double::sum);
        }
      }
    }
    return gain;
  }

  /** The longest call chain, in edges, from the entry to the tier. */
  Map<String, Integer> depths() {
    Map<String, Integer> depth = new HashMap<>();
    for (String n : order()) {
      depth.putIfAbsent(n, 0);
      for (Edge e : edges) {
        if (e.source().equals(n)) {
          depth.merge(e.destination(), depth.get(n) + 1, Math::max);
        }
      }
    }
    return depth;
  }

  /**
   * The tier's maxReplicas: as configured, or enough for 1.5 × the tier's peak demand at the HPA
   * target (so the ceiling never decides a result).
   */
  int maxReplicasFor(Tier t, double entryPeakRps, double targetUtilization) {
    if (t.maxReplicas() > 0) {
      return t.maxReplicas();
    }
    double peak = entryPeakRps * gains().get(t.name());
    return Math.max(t.minReplicas(),
        (int) Math.ceil(1.5 * peak / (targetUtilization * t.capacityRps())));
  }

  private static List<String> topologicalOrder(String entry, List<Tier> tiers, List<Edge> edges) {
    Map<String, Integer> indegree = new LinkedHashMap<>();
    tiers.forEach(t -> indegree.put(t.name(), 0));
    edges.forEach(e -> indegree.merge(e.destination(), 1, Integer::sum));
    List<String> order = new ArrayList<>();
    List<String> ready = new ArrayList<>();
    if (indegree.getOrDefault(entry, -1) == 0) {
      ready.add(entry);
    }
    while (!ready.isEmpty()) {
      String n = ready.remove(0);
      order.add(n);
      for (Edge e : edges) {
        if (e.source().equals(n) && indegree.merge(e.destination(), -1, Integer::sum) == 0) {
          ready.add(e.destination());
        }
      }
    }
    return order;
  }

  private static Set<String> unreachable(Set<String> names, List<String> order) {
    Set<String> left = new java.util.TreeSet<>(names);
    order.forEach(left::remove);
    return left;
  }

  private static List<JsonNode> list(JsonNode root, String key, Path file) {
    JsonNode n = root.get(key);
    if (n == null || !n.isArray() || n.isEmpty()) {
      throw new IllegalArgumentException("mesh file " + file + ": '" + key
          + "' must be a non-empty list");
    }
    List<JsonNode> out = new ArrayList<>();
    n.forEach(out::add);
    return out;
  }

  private static String text(JsonNode n, String key, Path file) {
    JsonNode v = n.get(key);
    if (v == null || !v.isTextual() || v.asText().isBlank()) {
      throw new IllegalArgumentException("mesh file " + file + ": '" + key
          + "' must be a non-empty string in " + n);
    }
    return v.asText();
  }

  private static void known(JsonNode n, Path file, String... keys) {
    Set<String> allowed = Set.of(keys);
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!allowed.contains(k)) {
        throw new IllegalArgumentException("mesh file " + file + ": unknown key '" + k
            + "' (known: " + String.join(", ", keys) + ")");
      }
    }
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }
}
