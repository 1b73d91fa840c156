package io.meshcast.loadtest.hpa;

import io.meshcast.adapter.hpa.Pod;
import java.util.List;

/**
 * What the controller sees of the scale target at one reconcile: the scale subresource and the
 * pods its selector matches (from the pod lister, so possibly including terminating pods), as
 * the shared {@link io.meshcast.adapter.hpa.ReplicaCalculator} reads them.
 *
 * @param specReplicas {@code scale.spec.replicas}: the replicas last asked for
 * @param statusReplicas {@code scale.status.replicas}: the pods the ReplicaSet currently has
 * @param pods pods matching {@code scale.status.selector} in the HPA's namespace
 */
public record ScaleTarget(int specReplicas, int statusReplicas, List<Pod> pods) {

  public ScaleTarget {
    if (specReplicas < 0 || statusReplicas < 0) {
      throw new IllegalArgumentException(
          "replicas must not be negative: spec=" + specReplicas + " status=" + statusReplicas);
    }
    pods = List.copyOf(pods);
  }
}
