package io.meshcast.adapter.config;

import java.time.Duration;

/**
 * Resolution of Kubernetes objects.
 *
 * @param mode {@code AUTO}: use the cluster when running in one (service-account env present);
 *     {@code CLUSTER}: always (fails start if unreachable); {@code NONE}: map from metric labels
 * @param resync informer resync period
 */
public record KubernetesConfig(Mode mode, Duration resync) {

  /** Cluster usage. */
  public enum Mode {
    AUTO,
    CLUSTER,
    NONE
  }
}
