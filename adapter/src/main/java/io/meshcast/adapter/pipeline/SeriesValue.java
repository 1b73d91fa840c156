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
 * @param coverage how well the rate window was covered; {@link WindowCoverage#FULL} when not
 *     windowed or not measured
 */
public record SeriesValue(
    SeriesIdentity identity, Instant timestamp, double value, History history,
    WindowCoverage coverage) {

  public SeriesValue {
    Objects.requireNonNull(identity, "identity");
    Objects.requireNonNull(timestamp, "timestamp");
    Objects.requireNonNull(history, "history");
    Objects.requireNonNull(coverage, "coverage");
  }

  /** A complete observation (gauges, custom rules, derived values). */
  public SeriesValue(SeriesIdentity identity, Instant timestamp, double value, History history) {
    this(identity, timestamp, value, history, WindowCoverage.FULL);
  }

  /**
   * Whether the value comes from a partly covered window (or too few observations): served, but
   * never fed to forecasters or the anomaly scorer as an observation.
   */
  public boolean partial() {
    return coverage.partial();
  }
}
