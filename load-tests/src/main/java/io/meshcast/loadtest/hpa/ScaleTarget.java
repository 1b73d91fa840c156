package io.meshcast.loadtest.hpa;

import java.util.List;
import java.util.Objects;

/**
 * What the controller sees of the scale target at one reconcile: the scale subresource and the
 * pods its selector matches (from the pod lister, so possibly including terminating pods).
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

  /** {@code pod.status.phase}. */
  public enum Phase {
    PENDING,
    RUNNING,
    SUCCEEDED,
    FAILED
  }

  /**
   * A pod as {@code groupPods} and {@code getReadyPodsCount} look at it.
   *
   * @param name {@code metadata.name}; metrics are matched to pods by this name
   * @param phase {@code status.phase}
   * @param ready the {@code Ready} condition is True
   * @param deleting {@code metadata.deletionTimestamp} is set
   */
  public record Pod(String name, Phase phase, boolean ready, boolean deleting) {
    public Pod {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(phase, "phase");
    }
  }
}
