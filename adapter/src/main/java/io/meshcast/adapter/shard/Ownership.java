package io.meshcast.adapter.shard;

/**
 * Which series this replica fits. Implementations are thread-safe and cheap (called for every
 * series at every refresh).
 */
@FunctionalInterface
public interface Ownership {

  /** Whether this replica fits the series with this id ({@code namespace/object/signal[@pod]}). */
  boolean owns(String seriesId);

  /** Owns everything: one replica, or sharding disabled. */
  static Ownership all() {
    return id -> true;
  }
}
