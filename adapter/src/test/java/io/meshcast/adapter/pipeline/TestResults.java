package io.meshcast.adapter.pipeline;

import java.time.Instant;
import java.util.List;

/** Builds refreshed {@link MetricResult}s with their lookup indexes, for tests of other packages. */
public final class TestResults {

  private TestResults() {}

  /** A result refreshed successfully at {@code at} holding {@code series}. */
  public static MetricResult refreshed(MetricDefinition d, Instant at, List<SeriesValue> series) {
    return MetricResult.of(d, at, series, 0);
  }
}
