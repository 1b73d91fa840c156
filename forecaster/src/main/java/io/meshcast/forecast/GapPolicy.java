package io.meshcast.forecast;

/**
 * What {@link SeriesForecaster#update} does when timestamps skip grid steps.
 *
 * <p>A NaN value is always accepted as an explicitly missing point.
 */
public enum GapPolicy {
  /**
   * Each skipped step is recorded as a missing point: models carry their own one-step forecast
   * through it (state advances, seasonal phase stays aligned) and no anomaly score is produced.
   */
  MISSING,
  /** Skipped steps are an error: {@code update} throws {@link IllegalArgumentException}. */
  REJECT
}
