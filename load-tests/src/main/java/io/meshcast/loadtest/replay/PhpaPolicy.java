package io.meshcast.loadtest.replay;

import io.meshcast.loadtest.hpa.HorizontalController.ProposalAdjuster;
import io.meshcast.loadtest.hpa.HpaSpec;
import io.meshcast.loadtest.hpa.MetricReading;
import java.util.ArrayDeque;

/*
 * predictive-horizontal-pod-autoscaler (PHPA, jthomperoo) style: the HPA's own replica
 * proposal on the reactive metric is stored every sync; additive Holt-Winters with fixed
 * α = β = γ = 0.9 is refitted on the stored proposals and predicts the next sync's replica
 * count; the HPA then normalises max(proposal, ceil(prediction)) as usual. The season length
 * (6 syncs) and history (4 seasons) follow PHPA's Holt-Winters example configuration; they
 * are fixed by the user in PHPA, not tuned per trace.
 *
 * Additive Holt-Winters (Hyndman & Athanasopoulos, FPP3 §8.3), season m:
 *   level_t  = α (y_t − s_{t−m}) + (1 − α)(level_{t−1} + trend_{t−1})
 *   trend_t  = β (level_t − level_{t−1}) + (1 − β) trend_{t−1}
 *   s_t      = γ (y_t − level_t) + (1 − γ) s_{t−m}
 *   ŷ_{t+1}  = level_t + trend_t + s_{t+1−m}
 * initialised from the first two seasons: level = mean(season 1),
 * trend = (mean(season 2) − mean(season 1)) / m, s_i = y_i − level.
 */
final class PhpaPolicy implements AutoscalingPolicy {

  static final double ALPHA = 0.9;
  static final double BETA = 0.9;
  static final double GAMMA = 0.9;
  static final int SEASON = 6;
  static final int STORED = 4 * SEASON;

  private final ArrayDeque<Integer> history = new ArrayDeque<>();

  @Override
  public String name() {
    return "phpa";
  }

  @Override
  public HpaSpec.Metric metric(double targetRpsPerPod) {
    return HpaSpec.Metric.pods("envoy_rps_per_pod", targetRpsPerPod);
  }

  @Override
  public MetricReading reading(long now, Cluster.Snapshot latest) {
    return AutoscalingPolicy.podsReading(latest);
  }

  @Override
  public ProposalAdjuster adjuster() {
    return (now, proposal, current) -> {
      history.addLast(proposal);
      if (history.size() > STORED) {
        history.removeFirst();
      }
      if (history.size() < 2 * SEASON) {
        return proposal;
      }
      final double[] y = history.stream().mapToDouble(Integer::doubleValue).toArray();
      final double predicted = predictNext(y, SEASON, ALPHA, BETA, GAMMA);
      return Math.max(proposal, (int) Math.max(0, Math.ceil(predicted)));
    };
  }

  /** One-step-ahead additive Holt-Winters forecast after the last value of y. */
  static double predictNext(double[] y, int m, double alpha, double beta, double gamma) {
    if (y.length < 2 * m) {
      throw new IllegalArgumentException("Holt-Winters needs at least 2 * season = " + 2 * m
          + " values, got " + y.length);
    }
    double mean1 = 0;
    double mean2 = 0;
    for (int i = 0; i < m; i++) {
      mean1 += y[i] / m;
      mean2 += y[m + i] / m;
    }
    double level = mean1;
    double trend = (mean2 - mean1) / m;
    final double[] season = new double[y.length + 1];
    for (int i = 0; i < m; i++) {
      season[i] = y[i] - mean1;
    }
    for (int t = m; t < y.length; t++) {
      final double prevLevel = level;
      level = alpha * (y[t] - season[t - m]) + (1 - alpha) * (level + trend);
      trend = beta * (level - prevLevel) + (1 - beta) * trend;
      season[t] = gamma * (y[t] - level) + (1 - gamma) * season[t - m];
    }
    return level + trend + season[y.length - m];
  }
}
