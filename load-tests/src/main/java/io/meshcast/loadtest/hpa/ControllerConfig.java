package io.meshcast.loadtest.hpa;

import io.meshcast.adapter.hpa.ReplicaCalculator;
import java.time.Duration;

/**
 * kube-controller-manager flags that shape the HPA (§5.1 defaults).
 *
 * @param syncPeriod {@code --horizontal-pod-autoscaler-sync-period} (15 s); the simulator calls
 *     {@link HorizontalController#reconcile} at this period
 * @param tolerance {@code --horizontal-pod-autoscaler-tolerance} (0.1), both directions unless a
 *     behavior overrides one
 * @param downscaleStabilization {@code --horizontal-pod-autoscaler-downscale-stabilization} (5 m)
 */
public record ControllerConfig(Duration syncPeriod, double tolerance, Duration downscaleStabilization) {

  public ControllerConfig {
    if (syncPeriod.isNegative() || syncPeriod.isZero()) {
      throw new IllegalArgumentException("syncPeriod must be positive, got " + syncPeriod);
    }
    if (!(tolerance >= 0)) {
      throw new IllegalArgumentException("tolerance must be >= 0, got " + tolerance);
    }
    if (downscaleStabilization.isNegative()) {
      throw new IllegalArgumentException(
          "downscaleStabilization must not be negative, got " + downscaleStabilization);
    }
  }

  /** The Kubernetes defaults: 15 s, 0.1, 5 min. */
  public static ControllerConfig defaults() {
    return new ControllerConfig(Duration.ofSeconds(15), ReplicaCalculator.DEFAULT_TOLERANCE,
        Duration.ofMinutes(5));
  }
}
