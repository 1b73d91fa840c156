package io.meshcast.adapter.provider.snapshot;

import io.meshcast.adapter.k8s.ClusterView;
import io.meshcast.adapter.pipeline.MetricDefinition;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What the provider serves right now, swapped atomically on config reload or regime detection.
 *
 * @param presets enabled golden-signal names (listed even before the regime is known)
 * @param definitions the queries whose results the snapshot holds
 * @param pendingReason why preset definitions are missing (e.g. regime not yet detected)
 * @param cluster object lookups
 */
public record ServingState(
    Set<String> presets,
    List<MetricDefinition> definitions,
    Optional<String> pendingReason,
    ClusterView cluster) {

  public ServingState {
    presets = Set.copyOf(presets);
    definitions = List.copyOf(definitions);
    Objects.requireNonNull(pendingReason, "pendingReason");
    Objects.requireNonNull(cluster, "cluster");
  }
}
