package io.meshcast.adapter.shard;

import java.util.Map;
import java.util.Set;

/**
 * The forecasting models as the shard layer sees them: fits to publish, fits to adopt, and
 * series to rebuild when this replica takes them over. Called from the shard thread; implementations
 * are thread-safe against the refreshes feeding the models.
 */
public interface ShardedModels {

  /** A fit of one series: a version that changes when the fit does, and its bytes. */
  record Fit(long version, byte[] bytes) {}

  /** A fit read from another replica's publication. */
  record PublishedFit(String owner, long version, byte[] bytes) {}

  /**
   * What {@link #adopt} did, counted; {@code retry} are the fits to offer again at the next sync
   * (the series is not known here yet, or this replica is behind the owner).
   */
  record Adopted(int adopted, int unchanged, int failed, Set<String> retry) {}

  /**
   * The current fits of the fitted series this replica owns, by series id. {@code previous} is
   * the last answer: a fit whose version did not change may be returned from it as is.
   */
  Map<String, Fit> ownedFits(Map<String, Fit> previous);

  /** Adopts fits of series owned elsewhere (entries of series owned here are ignored). */
  Adopted adopt(Map<String, PublishedFit> fits);

  /**
   * Called after the replica set changed (the ownership the models consult is already the new
   * one): the series this replica owns now and did not own under {@code before} are rebuilt from
   * history.
   *
   * @return the ids of the series taken over
   */
  Set<String> ownershipChanged(Ownership before);
}
