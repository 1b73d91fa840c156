package io.meshcast.loadtest.replay;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Result rows of the multi-service replay ({@code replay --mesh}): one object per policy with the
 * mesh totals, the per-tier figures and, against reactive, the ratios and the goals.
 */
final class MeshReplay {

  /** The goal: total violation minutes at most this share of reactive's ... */
  static final double GOAL_VIOLATION_RATIO = 0.5;
  /** ... at replica-hours at most this share of reactive's. */
  static final double GOAL_REPLICA_HOURS_RATIO = 1.05;

  private MeshReplay() {}

  /** Per-tier configs: the shared knobs of {@code base}, the tier's capacity, start-up, bounds. */
  static Map<String, ReplayConfig> tierConfigs(MeshConfig mesh, ReplayConfig base) {
    Map<String, ReplayConfig> out = new LinkedHashMap<>();
    for (MeshConfig.Tier t : mesh.tiers()) {
      try {
        out.put(t.name(), new ReplayConfig(base.peakRps() * mesh.gains().get(t.name()),
            t.capacityRps(), base.workersPerPod(), t.startupSeconds(), base.sloMillis(),
            base.maxQueueSeconds(), base.targetUtilization(), t.minReplicas(),
            mesh.maxReplicasFor(t, base.peakRps(), base.targetUtilization()), base.seed(),
            base.warmupSeconds(), base.scrapeInterval(), base.rateWindow(),
            base.refreshInterval(), base.controller(), base.behavior()));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("mesh tier '" + t.name() + "': " + e.getMessage(), e);
      }
    }
    return out;
  }

  static Map<String, Object> row(MeshSimulation.Result r, Trace trace, MeshConfig mesh,
      Map<String, ReplayConfig> configs) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("policy", r.policy());
    row.put("mode", "mesh");
    row.put("slo_violation_minutes", r.violationMinutes());
    row.put("any_tier_violation_minutes", r.anyTierViolationMinutes());
    row.put("dropped_requests", r.droppedRequests());
    row.put("replica_hours", round2(r.replicaHours()));
    row.put("scale_events", r.scaleEvents());
    row.put("trace", trace.name());
    Timeline entry = r.tiers().get(mesh.entry());
    row.put("scored_minutes", entry.scoredMinutes());
    row.put("total_requests", entry.totalRequests());
    Map<String, Integer> depths = mesh.depths();
    Map<String, Double> gains = mesh.gains();
    List<Map<String, Object>> tiers = new ArrayList<>();
    r.tiers().forEach((name, tl) -> {
      Map<String, Object> t = new LinkedHashMap<>();
      t.put("tier", name);
      t.put("depth", depths.get(name));
      t.put("gain", round3(gains.get(name)));
      t.put("slo_violation_minutes", tl.sloViolationMinutes());
      t.put("dropped_requests", tl.droppedRequests());
      t.put("replica_hours", round2(tl.replicaHours()));
      t.put("scale_events", tl.scaleEvents);
      ReplayConfig c = configs.get(name);
      t.put("capacity_rps", c.capacityRps());
      t.put("startup_seconds", c.startupSeconds());
      t.put("min_replicas", c.minReplicas());
      t.put("max_replicas", c.maxReplicas());
      t.put("lead_seconds", c.leadSeconds());
      tiers.add(t);
    });
    row.put("tiers", tiers);
    ReplayConfig base = configs.get(mesh.entry());
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("entry", mesh.entry());
    params.put("entry_peak_rps", base.peakRps());
    params.put("workers_per_pod", base.workersPerPod());
    params.put("slo_ms", base.sloMillis());
    params.put("max_queue_seconds", base.maxQueueSeconds());
    params.put("target_utilization", base.targetUtilization());
    params.put("warmup_seconds", base.warmupSeconds());
    params.put("seed", base.seed());
    params.put("hpa_behavior", base.behavior() == null ? "none" : "defaults");
    List<String> edges = new ArrayList<>();
    mesh.edges().forEach(e -> edges.add(e.source() + " -> " + e.destination() + " x"
        + e.ratio()));
    params.put("edges", edges);
    row.put("parameters", params);
    return row;
  }

  /**
   * Adds, against the reactive row: total and per-tier ratios, and for every other row the goals
   * (deepest tier no worse than the entry; total ≤ 50 % of reactive at ≤ +5 % replica-hours).
   */
  @SuppressWarnings("unchecked")
  static void addRatiosAndGoals(List<Map<String, Object>> rows, MeshConfig mesh) {
    Replay.addRatios(rows);
    Map<String, Object> reactive = rows.stream().filter(r -> "reactive".equals(r.get("policy")))
        .findFirst().orElse(null);
    String deepest = deepest(mesh);
    for (Map<String, Object> r : rows) {
      List<Map<String, Object>> tiers = (List<Map<String, Object>>) r.get("tiers");
      int entryMin = minutesOf(tiers, mesh.entry());
      int deepMin = minutesOf(tiers, deepest);
      Map<String, Object> goals = new LinkedHashMap<>();
      goals.put("deepest_tier", deepest);
      goals.put("no_cascade", deepMin <= entryMin);
      if (reactive != null && r != reactive) {
        List<Map<String, Object>> rt = (List<Map<String, Object>>) reactive.get("tiers");
        for (Map<String, Object> t : tiers) {
          double rv = minutesOf(rt, (String) t.get("tier"));
          double rh = hoursOf(rt, (String) t.get("tier"));
          t.put("slo_violation_minutes_vs_reactive",
              rv > 0 ? round3(((Number) t.get("slo_violation_minutes")).doubleValue() / rv) : null);
          t.put("replica_hours_vs_reactive",
              rh > 0 ? round3(((Number) t.get("replica_hours")).doubleValue() / rh) : null);
        }
        double ra = ((Number) reactive.get("any_tier_violation_minutes")).doubleValue();
        r.put("any_tier_violation_minutes_vs_reactive", ra > 0
            ? round3(((Number) r.get("any_tier_violation_minutes")).doubleValue() / ra) : null);
        Object v = r.get("slo_violation_minutes_vs_reactive");
        Object h = r.get("replica_hours_vs_reactive");
        goals.put("total_halved_at_cost", v != null && h != null
            && ((Number) v).doubleValue() <= GOAL_VIOLATION_RATIO
            && ((Number) h).doubleValue() <= GOAL_REPLICA_HOURS_RATIO);
      }
      r.put("goals", goals);
    }
  }

  /** The tier farthest from the entry (the first in report order on a tie). */
  static String deepest(MeshConfig mesh) {
    Map<String, Integer> d = mesh.depths();
    String best = mesh.entry();
    for (MeshConfig.Tier t : mesh.tiers()) {
      if (d.get(t.name()) > d.get(best)) {
        best = t.name();
      }
    }
    return best;
  }

  /** Markdown: one line per policy, violation minutes / replica-hours per tier, then totals. */
  @SuppressWarnings("unchecked")
  static String markdown(List<Map<String, Object>> rows, MeshConfig mesh) {
    StringBuilder b = new StringBuilder("| trace | policy |");
    StringBuilder sep = new StringBuilder("|---|---|");
    for (MeshConfig.Tier t : mesh.tiers()) {
      b.append(' ').append(t.name()).append(" viol. min / replica-h |");
      sep.append("---:|");
    }
    b.append(" total viol. min | any-tier viol. min | total replica-h | total viol. vs reactive"
        + " | replica-h vs reactive | deepest ≤ entry | goal (≤ 0.5 at ≤ 1.05) |\n");
    sep.append("---:|---:|---:|---:|---:|---|---|\n");
    b.append(sep);
    for (Map<String, Object> r : rows) {
      b.append("| ").append(r.get("trace")).append(" | ").append(r.get("policy")).append(" |");
      for (Map<String, Object> t : (List<Map<String, Object>>) r.get("tiers")) {
        b.append(String.format(Locale.ROOT, " %s / %.0f |", t.get("slo_violation_minutes"),
            ((Number) t.get("replica_hours")).doubleValue()));
      }
      Map<String, Object> goals = (Map<String, Object>) r.get("goals");
      Object goal = goals.get("total_halved_at_cost");
      b.append(String.format(Locale.ROOT, " %s | %s | %.0f | %s | %s | %s | %s |%n",
          r.get("slo_violation_minutes"), r.get("any_tier_violation_minutes"),
          ((Number) r.get("replica_hours")).doubleValue(),
          ratio(r.get("slo_violation_minutes_vs_reactive")),
          ratio(r.get("replica_hours_vs_reactive")),
          Boolean.TRUE.equals(goals.get("no_cascade")) ? "yes" : "**no**",
          goal == null ? "–" : (Boolean.TRUE.equals(goal) ? "met" : "**missed**")));
    }
    return b.toString();
  }

  private static int minutesOf(List<Map<String, Object>> tiers, String tier) {
    return tiers.stream().filter(t -> tier.equals(t.get("tier")))
        .mapToInt(t -> ((Number) t.get("slo_violation_minutes")).intValue()).findFirst()
        .orElse(0);
  }

  private static double hoursOf(List<Map<String, Object>> tiers, String tier) {
    return tiers.stream().filter(t -> tier.equals(t.get("tier")))
        .mapToDouble(t -> ((Number) t.get("replica_hours")).doubleValue()).findFirst()
        .orElse(0);
  }

  private static String ratio(Object v) {
    return v == null ? "–" : String.format(Locale.ROOT, "%.3f", ((Number) v).doubleValue());
  }

  private static double round2(double x) {
    return Math.round(x * 100) / 100.0;
  }

  private static double round3(double x) {
    return Math.round(x * 1000) / 1000.0;
  }
}
