package io.meshcast.adapter.pipeline;

import java.util.Objects;

/**
 * One series of a bootstrap range query, identified like refreshed series, with its points at the
 * bootstrap step (NaN where the range query had no value are kept as NaN).
 */
public record SeriesHistory(SeriesIdentity identity, History history) {

  public SeriesHistory {
    Objects.requireNonNull(identity, "identity");
    Objects.requireNonNull(history, "history");
  }
}
