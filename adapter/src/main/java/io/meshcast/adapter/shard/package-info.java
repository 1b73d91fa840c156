/**
 * Shared forecasting across replicas, with Kubernetes as the distributed engine: every replica
 * holds a {@code coordination.k8s.io/v1} Lease ({@link io.meshcast.adapter.shard.LeaseMembership}),
 * the live Leases are the replica set, and rendezvous hashing over it names one owner per series
 * ({@link io.meshcast.adapter.shard.Ownership}). Owners fit their series and publish the fits in
 * ConfigMaps ({@link io.meshcast.adapter.shard.FitStore}); the other replicas adopt them and keep
 * them current with their own observations. {@link io.meshcast.adapter.shard.ShardCoordinator}
 * runs it on one named thread; the models themselves sit behind {@link
 * io.meshcast.adapter.shard.ShardedModels}. Design, hand-over and failure: docs/sharding.md.
 */
package io.meshcast.adapter.shard;
