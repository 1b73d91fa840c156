package io.meshcast.loadtest.replay;

import io.meshcast.adapter.config.CallRatioSettings;
import io.meshcast.adapter.graph.CallRatio;
import io.meshcast.adapter.graph.Propagation;
import io.meshcast.adapter.config.PredictConfig;
import io.meshcast.adapter.hpa.ReplicaCalculator;
import io.meshcast.loadtest.hpa.HpaSpec;
import io.meshcast.loadtest.hpa.MetricReading;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/*
 * The autoscalers compared on a mesh: one AutoscalingPolicy per tier (each tier has its own HPA)
 * and, for meshcast-propagation, the step that runs after every tier's refresh.
 *
 *   reactive              ReactivePolicy per tier: observed rps per pod.
 *   meshcast-predictive   MeshcastPolicy per tier: the adapter's ForecastPath on the tier's own
 *                         kuma_rps, with the adapter's one forecast.lead: the slowest tier's
 *                         start-up + sync + scrape (one adapter serves the whole mesh).
 *   meshcast-propagation  the same per-tier ForecastPaths; after each refresh, one CallRatio per
 *                         edge is fed the caller's served rate (requests that reached the app,
 *                         i.e. Envoy's completed minus local overflow replies, so a saturated,
 *                         queueing caller does not bias the ratio) and the edge's rate, and
 *                         Propagation.compute combines each tier's own served forecast with its
 *                         callers'; the tier's HPA gets Demand.served(). Both classes are the
 *                         adapter's (io.meshcast.adapter.graph), not copies.
 *   oracle                OraclePolicy per tier on the tier's true demand (entry demand × gain).
 */
final class MeshPolicy {

  static final List<String> POLICIES =
      List.of("reactive", "meshcast-predictive", "meshcast-propagation", "oracle");

  final String name;
  final Map<String, AutoscalingPolicy> tiers;
  private final Propagator propagator;

  private MeshPolicy(String name, Map<String, AutoscalingPolicy> tiers, Propagator propagator) {
    this.name = name;
    this.tiers = tiers;
    this.propagator = propagator;
  }

  /**
   * @param predictive the adapter's forecast settings for a tier with the given lead
   * @param rateWindowSeconds meshcast's {@code kuma.rateWindow}, 0 for the replay's
   */
  static MeshPolicy create(String name, MeshConfig mesh, Map<String, ReplayConfig> configs,
      Demand demand, Instant origin, java.util.function.LongFunction<PredictConfig> predictive,
      int rateWindowSeconds) {
    Map<String, AutoscalingPolicy> tiers = new LinkedHashMap<>();
    Map<String, Double> gains = mesh.gains();
    Propagator propagator = null;
    switch (name) {
      case "reactive" -> mesh.order().forEach(t -> tiers.put(t, new ReactivePolicy()));
      case "meshcast-predictive", "meshcast-propagation" -> {
        // One adapter serves the whole mesh and its forecast.lead is global: it must cover the
        // slowest tier's start-up (+ sync + scrape), so every tier's path gets that lead. This
        // also makes a caller's forecast look as far ahead as its slowest callee needs.
        long lead = configs.values().stream().mapToLong(ReplayConfig::leadSeconds).max()
            .orElseThrow();
        Map<String, MeshcastPolicy> own = new LinkedHashMap<>();
        for (String t : mesh.order()) {
          own.put(t, new MeshcastPolicy(predictive.apply(lead),
              configs.get(t).refreshInterval(), rateWindowSeconds, origin));
        }
        if (name.equals("meshcast-predictive")) {
          tiers.putAll(own);
        } else {
          propagator = new Propagator(mesh, own);
          for (String t : mesh.order()) {
            tiers.put(t, propagator.tierPolicy(t));
          }
        }
      }
      case "oracle" -> mesh.order().forEach(t -> tiers.put(t,
          new OraclePolicy(demand, configs.get(t).leadSeconds(), gains.get(t))));
      default -> throw new IllegalArgumentException(
          "unknown mesh policy '" + name + "'; known: " + POLICIES);
    }
    return new MeshPolicy(name, tiers, propagator);
  }

  /** After every tier refreshed: the propagation step (no-op for the other policies). */
  void afterRefresh(long now, Map<String, Double> observed, Map<String, Double> servedRate,
      Map<MeshConfig.Edge, Double> edgeRate) {
    if (propagator != null) {
      propagator.refresh(observed, servedRate, edgeRate);
    }
  }

  /** The per-tier forecast paths, for the report (empty for reactive and oracle). */
  Map<String, MeshcastPolicy> forecastPaths() {
    Map<String, MeshcastPolicy> out = new LinkedHashMap<>();
    tiers.forEach((t, p) -> {
      if (p instanceof MeshcastPolicy m) {
        out.put(t, m);
      }
    });
    if (propagator != null) {
      out.putAll(propagator.own);
    }
    return out;
  }

  /** Propagation statistics per tier (empty unless meshcast-propagation). */
  Map<String, Map<String, Object>> propagationReport() {
    return propagator == null ? Map.of() : propagator.report();
  }

  /** The propagation step of meshcast-propagation. */
  static final class Propagator {
    private final MeshConfig mesh;
    private final Map<String, MeshcastPolicy> own;
    private final Map<MeshConfig.Edge, CallRatio> ratios = new LinkedHashMap<>();
    private final Map<String, Double> served = new LinkedHashMap<>();
    private final Map<String, double[]> stats = new LinkedHashMap<>();
    private long unstableEdgeRefreshes;
    private long edgeRefreshes;
    private long refreshes;

    Propagator(MeshConfig mesh, Map<String, MeshcastPolicy> own) {
      this.mesh = mesh;
      this.own = own;
      mesh.edges().forEach(e -> ratios.put(e, new CallRatio(CallRatioSettings.defaults())));
      mesh.order().forEach(t -> stats.put(t, new double[3]));
    }

    AutoscalingPolicy tierPolicy(String tier) {
      MeshcastPolicy m = own.get(tier);
      return new AutoscalingPolicy() {
        @Override
        public String name() {
          return "meshcast-propagation";
        }

        @Override
        public HpaSpec.Metric metric(double targetRpsPerPod) {
          return m.metric(targetRpsPerPod);
        }

        @Override
        public int rateWindowSeconds() {
          return m.rateWindowSeconds();
        }

        @Override
        public void onRefresh(Cluster.Snapshot snapshot) {
          m.onRefresh(snapshot);
        }

        @Override
        public MetricReading reading(long now, Cluster.Snapshot latest) {
          Double v = served.get(tier);
          return v == null || Double.isNaN(v)
              ? MetricReading.failed("no metrics returned from external metrics API")
              : MetricReading.external(ReplicaCalculator.milli(v));
        }
      };
    }

    void refresh(Map<String, Double> observed, Map<String, Double> servedRate,
        Map<MeshConfig.Edge, Double> edgeRate) {
      refreshes++;
      List<Propagation.Service> services = new ArrayList<>();
      for (String t : mesh.order()) {
        services.add(new Propagation.Service(t, own.get(t).served(), observed.get(t)));
      }
      List<Propagation.Edge> edges = new ArrayList<>();
      for (Map.Entry<MeshConfig.Edge, CallRatio> e : ratios.entrySet()) {
        MeshConfig.Edge edge = e.getKey();
        double rate = edgeRate.get(edge);
        e.getValue().observe(servedRate.get(edge.source()), rate, 0);
        CallRatio.Estimate est = e.getValue().estimate();
        edges.add(new Propagation.Edge(edge.source(), edge.destination(), est.ratio(),
            est.stable(), rate));
        edgeRefreshes++;
        if (!est.stable()) {
          unstableEdgeRefreshes++;
        }
      }
      Propagation.Result r = Propagation.compute(services, edges);
      for (String t : mesh.order()) {
        Propagation.Demand d = r.demands().get(t);
        double v = d.served();
        served.put(t, v);
        double[] s = stats.get(t);
        if (d.total() > d.ownForecast()) {
          s[0]++; // refreshes where propagation raised the served value
        }
        if (!Double.isNaN(d.upstreamShare())) {
          s[1] += d.upstreamShare();
          s[2]++;
        }
      }
    }

    Map<String, Map<String, Object>> report() {
      Map<String, Map<String, Object>> out = new LinkedHashMap<>();
      for (String t : mesh.order()) {
        double[] s = stats.get(t);
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("propagation_raised_share", refreshes == 0 ? 0 : round3(s[0] / refreshes));
        row.put("mean_upstream_share", s[2] == 0 ? 0 : round3(s[1] / s[2]));
        out.put(t, row);
      }
      Map<String, Object> edgesRow = new LinkedHashMap<>();
      edgesRow.put("unstable_edge_refresh_share",
          edgeRefreshes == 0 ? 0 : round3((double) unstableEdgeRefreshes / edgeRefreshes));
      ratios.forEach((e, r) -> edgesRow.put(e.source() + "->" + e.destination(),
          round3(r.estimate().ratio())));
      out.put("edges", edgesRow);
      return out;
    }

    private static double round3(double x) {
      return Math.round(x * 1000) / 1000.0;
    }
  }
}
