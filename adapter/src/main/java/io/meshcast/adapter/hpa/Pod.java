package io.meshcast.adapter.hpa;

import java.util.Objects;

/**
 * A pod as the HPA controller's {@code groupPods} and {@code getReadyPodsCount} look at it
 * (k8s-metrics-api.md §5.4).
 *
 * @param name {@code metadata.name}; metrics are matched to pods by this name
 * @param phase {@code status.phase}
 * @param ready the {@code Ready} condition is True
 * @param deleting {@code metadata.deletionTimestamp} is set
 */
public record Pod(String name, Phase phase, boolean ready, boolean deleting) {

  /** {@code pod.status.phase}. */
  public enum Phase {
    PENDING,
    RUNNING,
    SUCCEEDED,
    FAILED
  }

  public Pod {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(phase, "phase");
  }

  /** A running, ready pod that is not being deleted. */
  public static Pod running(String name) {
    return new Pod(name, Phase.RUNNING, true, false);
  }
}
