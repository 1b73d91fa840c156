package io.meshcast.loadtest.replay;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Policy construction and result rows shared by the CLI and the tests. */
final class Replay {

  static final List<String> POLICIES = List.of("reactive", "meshcast-predictive", "phpa", "oracle");

  private Replay() {}

  /**
   * What the simulated meshcast adapter is configured with.
   *
   * @param config its {@code forecast:} section
   * @param rateWindowSeconds its {@code kuma.rateWindow}; 0 for the replay's {@code [1m]}
   */
  record Meshcast(io.meshcast.adapter.config.PredictConfig config, int rateWindowSeconds) {}

  static AutoscalingPolicy policy(String name, Demand demand, ReplayConfig cfg, Instant origin,
      Meshcast predictive) {
    return switch (name) {
      case "reactive" -> new ReactivePolicy();
      case "meshcast-predictive" ->
          new MeshcastPolicy(predictive.config(), cfg.refreshInterval(),
              predictive.rateWindowSeconds() > 0 ? predictive.rateWindowSeconds()
                  : cfg.rateWindow(), origin);
      case "phpa" -> new PhpaPolicy();
      case "oracle" -> new OraclePolicy(demand, cfg.leadSeconds());
      default -> throw new IllegalArgumentException(
          "unknown policy '" + name + "'; known: " + POLICIES);
    };
  }

  static Map<String, Object> summary(String policy, Trace trace, ReplayConfig cfg, Timeline tl) {
    final Map<String, Object> row = new LinkedHashMap<>();
    row.put("policy", policy);
    row.put("slo_violation_minutes", tl.sloViolationMinutes());
    row.put("dropped_requests", tl.droppedRequests());
    row.put("replica_hours", Math.round(tl.replicaHours() * 100) / 100.0);
    row.put("scale_events", tl.scaleEvents);
    row.put("trace", trace.name());
    row.put("scored_minutes", tl.scoredMinutes());
    row.put("total_requests", tl.totalRequests());
    final Map<String, Object> params = new LinkedHashMap<>();
    params.put("peak_rps", cfg.peakRps());
    params.put("capacity_rps", cfg.capacityRps());
    params.put("workers_per_pod", cfg.workersPerPod());
    params.put("startup_seconds", cfg.startupSeconds());
    params.put("slo_ms", cfg.sloMillis());
    params.put("target_rps_per_pod", cfg.targetRpsPerPod());
    params.put("min_replicas", cfg.minReplicas());
    params.put("max_replicas", cfg.maxReplicas());
    params.put("warmup_seconds", cfg.warmupSeconds());
    params.put("lead_seconds", cfg.leadSeconds());
    params.put("seed", cfg.seed());
    params.put("hpa_behavior", cfg.behavior() == null ? "none" : "defaults");
    row.put("parameters", params);
    return row;
  }

  /** Adds predictive-vs-reactive ratios to the predictive row when both ran. */
  static void addRatios(List<Map<String, Object>> rows) {
    Map<String, Object> reactive = null;
    for (Map<String, Object> r : rows) {
      if ("reactive".equals(r.get("policy"))) {
        reactive = r;
      }
    }
    if (reactive == null) {
      return;
    }
    for (Map<String, Object> r : rows) {
      if (r == reactive) {
        continue;
      }
      final double rv = ((Number) reactive.get("slo_violation_minutes")).doubleValue();
      final double rh = ((Number) reactive.get("replica_hours")).doubleValue();
      final double v = ((Number) r.get("slo_violation_minutes")).doubleValue();
      final double h = ((Number) r.get("replica_hours")).doubleValue();
      r.put("slo_violation_minutes_vs_reactive", rv > 0 ? round3(v / rv) : null);
      r.put("replica_hours_vs_reactive", rh > 0 ? round3(h / rh) : null);
    }
  }

  private static double round3(double x) {
    return Math.round(x * 1000) / 1000.0;
  }

  /** One Markdown table of the rows (one line per policy). */
  static String markdown(List<Map<String, Object>> rows) {
    final StringBuilder b = new StringBuilder();
    b.append("| trace | policy | SLO-violation min | dropped requests | replica-hours | scale events"
        + " | SLO min vs reactive | replica-h vs reactive | plot |\n");
    b.append("|---|---|---:|---:|---:|---:|---:|---:|---|\n");
    for (Map<String, Object> r : rows) {
      b.append("| ").append(r.get("trace"))
          .append(" | ").append(r.get("policy"))
          .append(" | ").append(r.get("slo_violation_minutes"))
          .append(" | ").append(r.get("dropped_requests"))
          .append(" | ").append(String.format(java.util.Locale.ROOT, "%.1f", r.get("replica_hours")))
          .append(" | ").append(r.get("scale_events"))
          .append(" | ").append(ratio(r.get("slo_violation_minutes_vs_reactive")))
          .append(" | ").append(ratio(r.get("replica_hours_vs_reactive")))
          .append(" | ").append(r.containsKey("plot")
              ? "[full](results/replay/" + r.get("plot") + "), [peak 12 h](results/replay/"
                  + r.get("plot_peak_12h") + ")"
              : "")
          .append(" |\n");
    }
    return b.toString();
  }

  private static String ratio(Object v) {
    return v == null ? "–" : String.format(java.util.Locale.ROOT, "%.3f", ((Number) v).doubleValue());
  }
}
