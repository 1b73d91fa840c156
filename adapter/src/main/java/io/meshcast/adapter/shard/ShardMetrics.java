package io.meshcast.adapter.shard;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.function.DoubleSupplier;

/**
 * Sharding on {@code /metrics}, read from {@link ShardCoordinator#status} at scrape time:
 * {@code meshcast_shard_members}, {@code meshcast_shard_standalone} (1 while this replica fits
 * everything because it cannot read the replica set), {@code meshcast_shard_owned_fits}, {@code
 * meshcast_shard_pending_fits}, and the counters {@code meshcast_shard_takeovers_total}
 * (series), {@code meshcast_shard_fits_adopted_total}, {@code
 * meshcast_shard_published_bytes_total} and {@code meshcast_shard_heartbeat_failures_total}.
 */
public final class ShardMetrics {

  private ShardMetrics() {}

  public static void register(PrometheusRegistry registry, ShardCoordinator shard) {
    gauge(registry, "meshcast_shard_members", "Live replicas in this replica's view",
        () -> shard.status().members().size());
    gauge(registry, "meshcast_shard_standalone",
        "1 while the replica set is unreadable and this replica fits every series",
        () -> shard.status().standalone() ? 1 : 0);
    gauge(registry, "meshcast_shard_owned_fits",
        "Fitted series this replica owns, as of the last sync", () -> shard.status()
            .publishedFits());
    gauge(registry, "meshcast_shard_pending_fits",
        "Other replicas' fits not adopted yet (series not seen here, or this replica behind)",
        () -> shard.status().pendingFits());
    counter(registry, "meshcast_shard_takeovers_total", null,
        "Series taken over from replicas that left", () -> shard.status().takenOver());
    counter(registry, "meshcast_shard_fits_adopted_total", null,
        "Fits adopted from other replicas", () -> shard.status().adopted());
    counter(registry, "meshcast_shard_published_bytes_total", Unit.BYTES,
        "Raw bytes of fit chunks written", () -> shard.status().publishedBytes());
    counter(registry, "meshcast_shard_heartbeat_failures_total", null,
        "Heartbeats whose Lease renewal or replica listing failed",
        () -> shard.status().heartbeatFailures());
  }

  private static void gauge(PrometheusRegistry registry, String name, String help,
      DoubleSupplier value) {
    GaugeWithCallback.builder().name(name).help(help)
        .callback(cb -> cb.call(value.getAsDouble())).register(registry);
  }

  private static void counter(PrometheusRegistry registry, String name, Unit unit, String help,
      DoubleSupplier value) {
    CounterWithCallback.Builder b = CounterWithCallback.builder().name(name).help(help)
        .callback(cb -> cb.call(value.getAsDouble()));
    if (unit != null) {
      b.unit(unit);
    }
    b.register(registry);
  }
}
