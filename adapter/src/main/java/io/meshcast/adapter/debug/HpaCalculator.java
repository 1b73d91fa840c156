package io.meshcast.adapter.debug;

/**
 * The replica count Kubernetes' HPA controller computes for one metric (k8s-metrics-api.md §5.4,
 * {@code replica_calculator.go}), followed by the legacy normalisation of §5.6 without the
 * stabilisation window (which needs the controller's recommendation history): clamp to {@code
 * [minReplicas, min(maxReplicas, max(2 * current, 4))]}. Quantities are converted to milli-units
 * first, as the controller does. Tolerance 0.1 in both directions ({@code isWithin}: {@code 0.9 <=
 * ratio <= 1.1}). All pods are assumed ready and reporting. Stateless.
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

  static final double TOLERANCE = 0.1;

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
    long u = milli(usage);
    long t = milli(target);
    double ratio;
    long proposed;
    switch (kind) {
      case OBJECT_VALUE, EXTERNAL_VALUE -> {
        ratio = (double) u / t;
        proposed = within(ratio) ? current : (long) Math.ceil(ratio * current);
      }
      case OBJECT_AVERAGE_VALUE, EXTERNAL_AVERAGE_VALUE -> {
        ratio = (double) u / ((double) t * current);
        proposed = within(ratio) ? current : (long) Math.ceil((double) u / t);
      }
      default -> {
        ratio = (double) u / t;
        proposed = within(ratio) ? current : (long) Math.ceil(ratio * current);
      }
    }
    return new Result(usage, ratio, proposed, clamp(proposed, current, minReplicas,
        maxReplicas));
  }

  static boolean within(double ratio) {
    return (1 - TOLERANCE) <= ratio && ratio <= (1 + TOLERANCE);
  }

  private static long clamp(long desired, int current, int min, int max) {
    long scaleUpLimit = Math.max(2L * current, 4);
    long upper = Math.min(max, scaleUpLimit);
    return Math.max(min, Math.min(desired, upper));
  }

  /** Quantity milli-units, rounded up as resource.Quantity.MilliValue does. */
  static long milli(double v) {
    return (long) Math.ceil(v * 1000 - 1e-9);
  }
}
