package io.meshcast.adapter.pipeline;

import java.time.Instant;
import java.util.Objects;

/**
 * The latest value of one series and its recent history.
 *
 * @param identity the objects it describes
 * @param timestamp evaluation time of the query that produced it
 * @param value may be NaN (the policy decides at request time) but never infinite: infinities are
 *     stored as NaN since no HPA can use them
 * @param history last points including this one
 */
public record SeriesValue(
    SeriesIdentity identity, Instant timestamp, double value, History history) {

  public SeriesValue {
    Objects.requireNonNull(identity, "identity");
    Objects.requireNonNull(timestamp, "timestamp");
    Objects.requireNonNull(history, "history");
  }
}
