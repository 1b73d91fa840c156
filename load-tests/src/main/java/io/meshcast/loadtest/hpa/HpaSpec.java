package io.meshcast.loadtest.hpa;

import io.meshcast.adapter.hpa.ReplicaCalculator;
import java.util.List;
import java.util.Objects;

/**
 * The parts of an {@code autoscaling/v2} HorizontalPodAutoscaler spec the controller reads.
 *
 * <p>{@code behavior} may be null: that selects the legacy normalisation path (§5.6), exactly as
 * an HPA object without {@code spec.behavior} does. A non-null behavior is defaulted with
 * {@link Behavior#withDefaults()} as the API server would (§5.7).
 *
 * @param minReplicas {@code spec.minReplicas} (the API defaults it to 1)
 * @param maxReplicas {@code spec.maxReplicas}
 * @param metrics {@code spec.metrics}, at least one
 * @param behavior {@code spec.behavior}, or null
 */
public record HpaSpec(int minReplicas, int maxReplicas, List<Metric> metrics, Behavior behavior) {

  public HpaSpec {
    if (minReplicas < 0) {
      throw new IllegalArgumentException("minReplicas must not be negative, got " + minReplicas);
    }
    if (maxReplicas < Math.max(1, minReplicas)) {
      throw new IllegalArgumentException(
          "maxReplicas must be >= max(1, minReplicas=" + minReplicas + "), got " + maxReplicas);
    }
    metrics = List.copyOf(metrics);
    if (metrics.isEmpty()) {
      throw new IllegalArgumentException("an HPA needs at least one metric");
    }
    behavior = behavior == null ? null : behavior.withDefaults();
  }

  /** Where a metric comes from ({@code spec.metrics[].type}); Resource metrics are not modelled. */
  public enum SourceType {
    PODS,
    OBJECT,
    EXTERNAL
  }

  /** {@code target.type}: {@code Value} or {@code AverageValue} (Utilization is CPU-only). */
  public enum TargetType {
    VALUE,
    AVERAGE_VALUE
  }

  /**
   * One entry of {@code spec.metrics}.
   *
   * @param type the metric source
   * @param name the metric name, used only in messages
   * @param targetType Value or AverageValue; Pods metrics must use AverageValue
   * @param targetMilli the target as the HPA holds it: {@code Quantity.MilliValue()}
   */
  public record Metric(SourceType type, String name, TargetType targetType, long targetMilli) {
    public Metric {
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(targetType, "targetType");
      if (type == SourceType.PODS && targetType != TargetType.AVERAGE_VALUE) {
        throw new IllegalArgumentException("Pods metric " + name + " must use an AverageValue target");
      }
      if (targetMilli <= 0) {
        throw new IllegalArgumentException(
            "target of metric " + name + " must be positive, got " + targetMilli + "m");
      }
    }

    /** A Pods metric with {@code target.averageValue} given in units (converted like MilliValue). */
    public static Metric pods(String name, double averageValue) {
      return new Metric(SourceType.PODS, name, TargetType.AVERAGE_VALUE, ReplicaCalculator.milli(averageValue));
    }

    /** An External metric with the given target type and value in units. */
    public static Metric external(String name, TargetType targetType, double value) {
      return new Metric(SourceType.EXTERNAL, name, targetType, ReplicaCalculator.milli(value));
    }

    /** An Object metric with the given target type and value in units. */
    public static Metric object(String name, TargetType targetType, double value) {
      return new Metric(SourceType.OBJECT, name, targetType, ReplicaCalculator.milli(value));
    }
  }

  /** {@code spec.behavior}: scaling rules per direction. */
  public record Behavior(Rules scaleUp, Rules scaleDown) {

    /** The API server's defaulting (§5.7); scaleDown's window stays null (controller default). */
    public Behavior withDefaults() {
      return new Behavior(
          fill(scaleUp, 0, List.of(new Policy(PolicyType.PODS, 4, 15),
              new Policy(PolicyType.PERCENT, 100, 15))),
          fill(scaleDown, null, List.of(new Policy(PolicyType.PERCENT, 100, 15))));
    }

    private static Rules fill(Rules rules, Integer window, List<Policy> policies) {
      if (rules == null) {
        return new Rules(window, SelectPolicy.MAX, policies, null);
      }
      return new Rules(
          rules.stabilizationWindowSeconds() == null ? window : rules.stabilizationWindowSeconds(),
          rules.selectPolicy() == null ? SelectPolicy.MAX : rules.selectPolicy(),
          rules.policies() == null || rules.policies().isEmpty() ? policies : rules.policies(),
          rules.tolerance());
    }
  }

  /**
   * {@code HPAScalingRules}. Null fields mean "not set" and are defaulted.
   *
   * @param stabilizationWindowSeconds window in seconds, or null
   * @param selectPolicy Max, Min or Disabled, or null
   * @param policies rate-limit policies, or null
   * @param tolerance per-direction tolerance (1.33+, {@code HPAConfigurableTolerance}), or null
   */
  public record Rules(
      Integer stabilizationWindowSeconds,
      SelectPolicy selectPolicy,
      List<Policy> policies,
      Double tolerance) {
    public Rules {
      policies = policies == null ? null : List.copyOf(policies);
      if (stabilizationWindowSeconds != null
          && (stabilizationWindowSeconds < 0 || stabilizationWindowSeconds > 3600)) {
        throw new IllegalArgumentException(
            "stabilizationWindowSeconds must be in [0, 3600], got " + stabilizationWindowSeconds);
      }
      if (tolerance != null && !(tolerance >= 0)) {
        throw new IllegalArgumentException("tolerance must be >= 0, got " + tolerance);
      }
    }
  }

  /** {@code selectPolicy}. */
  public enum SelectPolicy {
    MAX,
    MIN,
    DISABLED
  }

  /** {@code HPAScalingPolicyType}. */
  public enum PolicyType {
    PODS,
    PERCENT
  }

  /** {@code HPAScalingPolicy}: change by at most {@code value} pods or percent per period. */
  public record Policy(PolicyType type, int value, int periodSeconds) {
    public Policy {
      Objects.requireNonNull(type, "type");
      if (value <= 0) {
        throw new IllegalArgumentException("policy value must be > 0, got " + value);
      }
      if (periodSeconds <= 0 || periodSeconds > 1800) {
        throw new IllegalArgumentException("periodSeconds must be in (0, 1800], got " + periodSeconds);
      }
    }
  }
}
