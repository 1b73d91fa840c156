package io.meshcast.loadtest.hpa;

import java.util.List;

/**
 * The outcome of one {@link HorizontalController#reconcile}.
 *
 * @param currentReplicas {@code scale.spec.replicas} as read at the start
 * @param desiredReplicas {@code status.desiredReplicas}; equals current when nothing changes
 * @param rescale the scale subresource was updated to {@code desiredReplicas}
 * @param metricReplicas the maximum over valid metric proposals before normalisation, -1 when
 *     the metrics did not allow a decision, or 0 when no metric was consulted
 * @param limitReason the {@code ScalingLimited}/{@code AbleToScale}/{@code ScalingActive} reason
 *     the controller would set last (e.g. {@code ScaleUpLimit}, {@code ScaleDownStabilized},
 *     {@code FailedGetMetrics}, {@code DesiredWithinRange})
 * @param metricErrors errors of the invalid metrics, in spec order
 */
public record ReconcileResult(
    int currentReplicas,
    int desiredReplicas,
    boolean rescale,
    int metricReplicas,
    String limitReason,
    List<String> metricErrors) {

  public ReconcileResult {
    metricErrors = List.copyOf(metricErrors);
  }
}
