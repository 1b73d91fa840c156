package io.meshcast.adapter.hpa;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Per-metric replica proposals, after {@code replica_calculator.go} (k8s-metrics-api.md §5.4),
 * and the legacy scale-up limit of §5.6. Every quantity is an int64 milli-value ({@link #milli});
 * averages use Go's truncating integer division; ratios are doubles, so Java's IEEE-754
 * arithmetic reproduces Go's results bit for bit. Stateless.
 *
 * <pre>
 *   isWithin(r)      := (1 - tol.scaleDown) <= r <= (1 + tol.scaleUp)
 *   Pods/AverageValue : usage = floor(Σ m_p / n), ratio = usage / T,
 *                       replicas = ceil(ratio × readyPodCount), with the missing/unready rules
 *   Value targets     : ratio = usage / T, replicas = ceil(ratio × readyRunningPods)
 *   AverageValue (Object/External) : ratio = usage / (T × statusReplicas), replicas = ceil(usage/T)
 * </pre>
 */
public final class ReplicaCalculator {

  private ReplicaCalculator() {}

  /** The controller's default tolerance (flag {@code --horizontal-pod-autoscaler-tolerance}). */
  public static final double DEFAULT_TOLERANCE = 0.1;

  /** The two tolerances; {@link #isWithin} is inclusive on both ends. */
  public record Tolerances(double scaleDown, double scaleUp) {

    /** The controller default, 0.1 in both directions. */
    public static final Tolerances DEFAULT = new Tolerances(DEFAULT_TOLERANCE, DEFAULT_TOLERANCE);

    public boolean isWithin(double ratio) {
      return (1 - scaleDown) <= ratio && ratio <= (1 + scaleUp);
    }
  }

  /**
   * A proposal, or an error making the metric invalid for this reconcile.
   *
   * @param replicas the metric's replica proposal (0 when invalid)
   * @param usage the usage the HPA status shows, in milli-units
   * @param ratio usage relative to the target as first computed (before the missing/unready
   *     pod rules), NaN when invalid
   * @param error why the metric is invalid, or null
   */
  public record Proposal(int replicas, long usage, double ratio, String error) {
    static Proposal of(int replicas, long usage, double ratio) {
      return new Proposal(replicas, usage, ratio, null);
    }

    public static Proposal invalid(String error) {
      return new Proposal(0, 0, Double.NaN, error);
    }

    public boolean valid() {
      return error == null;
    }
  }

  /** {@code GetMetricReplicas} → {@code calcPlainMetricReplicas} for a Pods metric. */
  public static Proposal podsMetric(
      Map<String, Long> podMetrics, List<Pod> podList, int currentReplicas,
      long target, Tolerances tol) {
    if (podList.isEmpty()) {
      return Proposal.invalid("no pods returned by selector while calculating replica count");
    }
    // Metrics for pods outside podList stay in, as upstream does.
    final Map<String, Long> metrics = new HashMap<>(podMetrics);
    int readyPodCount = 0;
    final Set<String> unready = new HashSet<>();
    final Set<String> missing = new HashSet<>();
    final Set<String> ignored = new HashSet<>();
    for (Pod pod : podList) {
      if (pod.deleting() || pod.phase() == Pod.Phase.FAILED) {
        ignored.add(pod.name());
      } else if (pod.phase() == Pod.Phase.PENDING) {
        unready.add(pod.name());
      } else if (!metrics.containsKey(pod.name())) {
        missing.add(pod.name());
      } else {
        // The Ready condition is not consulted for non-CPU metrics.
        readyPodCount++;
      }
    }
    metrics.keySet().removeAll(ignored);
    metrics.keySet().removeAll(unready);
    if (metrics.isEmpty()) {
      return Proposal.invalid("did not receive metrics for targeted pods (pods might be unready)");
    }
    final long usage = average(metrics);
    final double ratio = (double) usage / (double) target;
    final boolean scaleUpWithUnready = !unready.isEmpty() && ratio > 1.0;
    if (!scaleUpWithUnready && missing.isEmpty()) {
      if (tol.isWithin(ratio)) {
        return Proposal.of(currentReplicas, usage, ratio);
      }
      return Proposal.of(ceilToInt(ratio * readyPodCount), usage, ratio);
    }
    if (!missing.isEmpty()) {
      if (ratio < 1.0) {
        // scale-down: a pod without metrics is assumed to sit exactly at the target
        missing.forEach(p -> metrics.put(p, target));
      } else if (ratio > 1.0) {
        // scale-up: a pod without metrics is assumed idle
        missing.forEach(p -> metrics.put(p, 0L));
      }
    }
    if (scaleUpWithUnready) {
      unready.forEach(p -> metrics.put(p, 0L));
    }
    final double newRatio = (double) average(metrics) / (double) target;
    if (tol.isWithin(newRatio) || (ratio < 1.0 && newRatio > 1.0) || (ratio > 1.0 && newRatio < 1.0)) {
      return Proposal.of(currentReplicas, usage, ratio);
    }
    final int newReplicas = ceilToInt(newRatio * metrics.size());
    if ((newRatio < 1.0 && newReplicas > currentReplicas)
        || (newRatio > 1.0 && newReplicas < currentReplicas)) {
      return Proposal.of(currentReplicas, usage, ratio);
    }
    return Proposal.of(newReplicas, usage, ratio);
  }

  /** Object or External metric with a {@code Value} target ({@code getUsageRatioReplicaCount}). */
  public static Proposal valueMetric(
      long usage, List<Pod> podList, int currentReplicas, long target, Tolerances tol) {
    final double ratio = (double) usage / (double) target;
    if (currentReplicas == 0) {
      return Proposal.of(ceilToInt(ratio), usage, ratio); // scale from zero (HPAScaleToZero)
    }
    if (tol.isWithin(ratio)) {
      return Proposal.of(currentReplicas, usage, ratio);
    }
    if (podList.isEmpty()) {
      return Proposal.invalid("unable to calculate ready pods: no pods returned by selector while"
          + " calculating replica count");
    }
    long ready = podList.stream()
        .filter(p -> p.phase() == Pod.Phase.RUNNING && p.ready())
        .count();
    return Proposal.of(ceilToInt(ratio * ready), usage, ratio);
  }

  /**
   * Object or External metric with an {@code AverageValue} target; the returned usage is the
   * per-replica value {@code ceil(usage / statusReplicas)} the status shows.
   */
  public static Proposal averageValueMetric(long usage, int statusReplicas, long target, Tolerances tol) {
    final double ratio = (double) usage / ((double) target * (double) statusReplicas);
    int replicas = statusReplicas;
    if (!tol.isWithin(ratio)) { // NaN (0/0) is never within: falls through to ceil(usage/T)
      replicas = ceilToInt((double) usage / (double) target);
    }
    return Proposal.of(replicas, (long) Math.ceil((double) usage / (double) statusReplicas),
        ratio);
  }

  /**
   * The legacy path's scale-up limit {@code max(2 × current, 4)} (§5.6, {@code
   * calculateScaleUpLimit}); no period tracking on that path.
   */
  public static int scaleUpLimit(int currentReplicas) {
    return (int) Math.max(2.0 * currentReplicas, 4.0);
  }

  /**
   * A metric value in int64 milli-units, as {@code resource.Quantity.MilliValue()} gives it:
   * ceil(q × 1000), rounding away from zero (§1.6). The tiny epsilon absorbs binary representation error so that 0.7 becomes 700m,
   * as the decimal Quantity "0.7" would, rather than 701m.
   *
   * @throws IllegalArgumentException if {@code value} is NaN or infinite
   */
  public static long milli(double value) {
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException("metric value must be finite, got " + value);
    }
    final double scaled = value * 1000.0;
    final double rounded = Math.rint(scaled);
    if (Math.abs(scaled - rounded) < 1e-9 * Math.max(1.0, Math.abs(scaled))) {
      return (long) rounded;
    }
    return (long) (scaled >= 0 ? Math.ceil(scaled) : Math.floor(scaled));
  }

  /** Sum of external items, saturating at Long.MAX_VALUE as upstream caps it. */
  public static long saturatedSum(List<Long> values) {
    long sum = 0;
    for (long v : values) {
      final long next = sum + v;
      if (((sum ^ next) & (v ^ next)) < 0) {
        return v > 0 ? Long.MAX_VALUE : Long.MIN_VALUE;
      }
      sum = next;
    }
    return sum;
  }

  private static long average(Map<String, Long> metrics) {
    long total = 0;
    for (long v : metrics.values()) {
      total += v;
    }
    return total / metrics.size(); // Go int64 division truncates toward zero, like Java's
  }

  /** {@code int32(math.Ceil(x))}, capped at MaxInt32 as upstream caps the large cases. */
  public static int ceilToInt(double x) {
    final double c = Math.ceil(x);
    if (c >= Integer.MAX_VALUE) {
      return Integer.MAX_VALUE;
    }
    return c <= Integer.MIN_VALUE ? Integer.MIN_VALUE : (int) c;
  }
}
