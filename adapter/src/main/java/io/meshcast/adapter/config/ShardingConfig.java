package io.meshcast.adapter.config;

import java.time.Duration;
import java.util.Optional;

/**
 * Shared forecasting across replicas ({@code sharding:}; docs/sharding.md). Each replica holds a
 * {@code coordination.k8s.io/v1} Lease; the series are split among the replicas whose Leases are
 * live, and each series' model is fitted by its owner only.
 *
 * @param enabled off by default: one replica fits everything, as without this section
 * @param identity this replica's name; empty means the {@code POD_NAME} environment variable (the
 *     downward API's {@code metadata.name})
 * @param namespace where the Leases and fit ConfigMaps live; empty means {@code POD_NAMESPACE},
 *     else the service account's namespace
 * @param group the value of the {@code meshcast.io/shard-group} label shared by the replicas of
 *     one adapter (two adapters in one namespace need different groups)
 * @param leaseDuration a replica that has not renewed its Lease for this long is dead and its
 *     series are taken over; whole seconds (the Lease field is in seconds)
 * @param renewPeriod how often each replica renews its Lease and re-reads the others'; at most
 *     a third of {@code leaseDuration}, so two missed renewals do not lose the Lease
 * @param syncPeriod how often owners publish their fits and the others adopt them
 */
public record ShardingConfig(
    boolean enabled,
    Optional<String> identity,
    Optional<String> namespace,
    String group,
    Duration leaseDuration,
    Duration renewPeriod,
    Duration syncPeriod) {

  /** The default: no sharding. */
  public static ShardingConfig disabled() {
    return new ShardingConfig(false, Optional.empty(), Optional.empty(), "meshcast",
        Duration.ofSeconds(15), Duration.ofSeconds(5), Duration.ofSeconds(30));
  }
}
