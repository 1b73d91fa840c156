package io.meshcast.adapter.hpa;

import io.meshcast.adapter.hpa.ReplicaCalculator.Proposal;
import io.meshcast.adapter.hpa.ReplicaCalculator.Tolerances;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The replica count Kubernetes' HPA controller computes for one metric value, for the {@code
 * /debug} what-if page: {@link ReplicaCalculator}'s per-metric formula (§5.4) for a scale target
 * whose pods are all running, ready and reporting, followed by the legacy normalisation of §5.6
 * without the stabilisation window (which needs the controller's recommendation history): clamp
 * to {@code [minReplicas, min(maxReplicas, max(2 * current, 4))]}. Quantities are converted to
 * milli-units first, as the controller does; tolerance 0.1 in both directions. Stateless.
 */
public final class HpaCalculator {

  /** How the HPA targets the metric. */
  public enum Kind {
    /** Object metric, target {@code value}: {@code ceil(usage / T * readyPods)}. */
    OBJECT_VALUE,
    /** Object metric, target {@code averageValue}: {@code ceil(usage / T)}. */
    OBJECT_AVERAGE_VALUE,
    /** Pods metric, target {@code averageValue}; usage is the mean over pods. */
    PODS_AVERAGE_VALUE,
    /** External metric, target {@code value} (same as Object value). */
    EXTERNAL_VALUE,
    /** External metric, target {@code averageValue} (same as Object averageValue). */
    EXTERNAL_AVERAGE_VALUE
  }

  /**
   * The outcome for one usage value.
   *
   * @param usage the metric value (for Pods metrics: the mean over pods)
   * @param ratio usage relative to the target as the controller computes it
   * @param proposed the metric's replica proposal before clamping
   * @param desired after clamping to min/max and the scale-up limit
   */
  public record Result(double usage, double ratio, long proposed, long desired) {}

  private HpaCalculator() {}

  /**
   * @param usage metric value (NaN gives a NaN result with proposal = current)
   * @param target the target value or average value, > 0
   * @param current current replicas (spec.replicas = status.replicas = ready pods)
   */
  public static Result replicas(Kind kind, double usage, double target, int current,
      int minReplicas, int maxReplicas) {
    if (!(target > 0) || current < 1 || minReplicas < 1 || maxReplicas < minReplicas) {
      throw new IllegalArgumentException("need target > 0, current >= 1 and "
          + "1 <= minReplicas <= maxReplicas");
    }
    if (Double.isNaN(usage)) {
      return new Result(usage, Double.NaN, current, clamp(current, current, minReplicas,
          maxReplicas));
    }
    long u = ReplicaCalculator.milli(usage);
    long t = ReplicaCalculator.milli(target);
    Tolerances tol = Tolerances.DEFAULT;
    Proposal p = switch (kind) {
      case OBJECT_VALUE, EXTERNAL_VALUE ->
          ReplicaCalculator.valueMetric(u, readyPods(current), current, t, tol);
      case OBJECT_AVERAGE_VALUE, EXTERNAL_AVERAGE_VALUE ->
          ReplicaCalculator.averageValueMetric(u, current, t, tol);
      case PODS_AVERAGE_VALUE -> {
        // every pod reports the mean, so the controller's average is the mean itself
        List<Pod> pods = readyPods(current);
        Map<String, Long> perPod = new HashMap<>();
        pods.forEach(pod -> perPod.put(pod.name(), u));
        yield ReplicaCalculator.podsMetric(perPod, pods, current, t, tol);
      }
    };
    return new Result(usage, p.ratio(), p.replicas(), clamp(p.replicas(), current, minReplicas,
        maxReplicas));
  }

  private static List<Pod> readyPods(int n) {
    List<Pod> pods = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      pods.add(Pod.running("pod-" + i));
    }
    return pods;
  }

  private static long clamp(long desired, int current, int min, int max) {
    long upper = Math.min(max, ReplicaCalculator.scaleUpLimit(current));
    return Math.max(min, Math.min(desired, upper));
  }
}
