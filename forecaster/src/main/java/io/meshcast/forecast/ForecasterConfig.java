package io.meshcast.forecast;

import java.time.Duration;
import java.util.Objects;

/**
 * Validated settings of one {@link SeriesForecaster}. Start from {@link #defaults(Duration)} and
 * adjust with the {@code with*} methods; every value is checked when the record is built and a
 * violation throws {@link IllegalArgumentException} naming the field and the bad value.
 *
 * @param step spacing of the series (the grid timestamps are rounded to)
 * @param maxHorizonSteps longest horizon with calibrated intervals; fitting minimises error over
 *     horizons up to this one. Forecasts further out are allowed; their intervals widen with the
 *     square root of the horizon beyond it.
 * @param historyCapacity points kept in the bounded history (ring buffer) and used by refits
 * @param refitEverySteps a refit is due after this many new points (earlier while history is
 *     short: after every doubling of the history)
 * @param minFitPoints below this history length no model is fitted (naive, untrustworthy)
 * @param gapPolicy what skipped timestamps mean
 * @param errorMemoryPoints memory (in points) of the relative-error tracking in {@link
 *     ModelStatus}
 * @param anomalyWindow length of the short window whose mean surprise is scored (HTM uses 10)
 * @param anomalyMemoryPoints memory of the decaying raw-score quantile sketch and of the long-run
 *     surprise statistics
 * @param anomalyWarmupPoints points scored before scores may be non-zero
 * @param anomalyEpisodePoints after a score of 50 or more, further points within this many steps
 *     belong to the same episode and score below 25 unless markedly more extreme (0 disables)
 */
public record ForecasterConfig(
    Duration step,
    int maxHorizonSteps,
    int historyCapacity,
    int refitEverySteps,
    int minFitPoints,
    GapPolicy gapPolicy,
    int errorMemoryPoints,
    int anomalyWindow,
    int anomalyMemoryPoints,
    int anomalyWarmupPoints,
    int anomalyEpisodePoints) {

  public ForecasterConfig {
    Objects.requireNonNull(step, "step");
    Objects.requireNonNull(gapPolicy, "gapPolicy");
    require(!step.isNegative() && !step.isZero() && step.toMillis() > 0,
        "step must be at least 1 ms, was %s", step);
    require(maxHorizonSteps >= 1, "maxHorizonSteps must be >= 1, was %s", maxHorizonSteps);
    require(historyCapacity >= 16, "historyCapacity must be >= 16, was %s", historyCapacity);
    require(refitEverySteps >= 1, "refitEverySteps must be >= 1, was %s", refitEverySteps);
    require(minFitPoints >= 8, "minFitPoints must be >= 8, was %s", minFitPoints);
    require(minFitPoints <= historyCapacity,
        "minFitPoints (%s) must not exceed historyCapacity (%s)", minFitPoints, historyCapacity);
    require(errorMemoryPoints >= 1, "errorMemoryPoints must be >= 1, was %s", errorMemoryPoints);
    require(anomalyWindow >= 1, "anomalyWindow must be >= 1, was %s", anomalyWindow);
    require(anomalyMemoryPoints >= 10,
        "anomalyMemoryPoints must be >= 10, was %s", anomalyMemoryPoints);
    require(anomalyWarmupPoints >= 0,
        "anomalyWarmupPoints must be >= 0, was %s", anomalyWarmupPoints);
    require(anomalyEpisodePoints >= 0,
        "anomalyEpisodePoints must be >= 0, was %s", anomalyEpisodePoints);
  }

  /**
   * Defaults for a series with the given step: horizons up to 30 minutes (at least 2 steps),
   * 4 weeks of history (1,024 to 20,160 points), a refit every 6 hours (at least every 12 points),
   * relative error over a day, anomaly window 10 points, anomaly memory 4 weeks, anomaly
   * episodes of 2 hours (at least 10 points).
   */
  public static ForecasterConfig defaults(Duration step) {
    Objects.requireNonNull(step, "step");
    require(step.toMillis() > 0, "step must be at least 1 ms, was %s", step);
    final int horizon = Math.max(2, stepsIn(Duration.ofMinutes(30), step));
    final int capacity = Math.min(20_160, Math.max(1_024, stepsIn(Duration.ofDays(28), step)));
    final int refit = Math.max(12, stepsIn(Duration.ofHours(6), step));
    final int minFit = Math.max(32, 4 * horizon);
    final int errorMemory = Math.max(100, stepsIn(Duration.ofDays(1), step));
    final int anomalyMemory = Math.max(1_000, stepsIn(Duration.ofDays(28), step));
    return new ForecasterConfig(step, horizon, capacity, refit, Math.min(minFit, capacity),
        GapPolicy.MISSING, errorMemory, 10, anomalyMemory, 100,
        Math.max(10, stepsIn(Duration.ofHours(2), step)));
  }

  public ForecasterConfig withMaxHorizonSteps(int v) {
    return new ForecasterConfig(step, v, historyCapacity, refitEverySteps,
        Math.max(minFitPoints, Math.min(historyCapacity, 4 * v)), gapPolicy, errorMemoryPoints,
        anomalyWindow, anomalyMemoryPoints, anomalyWarmupPoints,
        anomalyEpisodePoints);
  }

  public ForecasterConfig withHistoryCapacity(int v) {
    return new ForecasterConfig(step, maxHorizonSteps, v, refitEverySteps, minFitPoints,
        gapPolicy, errorMemoryPoints, anomalyWindow, anomalyMemoryPoints, anomalyWarmupPoints,
        anomalyEpisodePoints);
  }

  public ForecasterConfig withRefitEverySteps(int v) {
    return new ForecasterConfig(step, maxHorizonSteps, historyCapacity, v, minFitPoints,
        gapPolicy, errorMemoryPoints, anomalyWindow, anomalyMemoryPoints, anomalyWarmupPoints,
        anomalyEpisodePoints);
  }

  public ForecasterConfig withMinFitPoints(int v) {
    return new ForecasterConfig(step, maxHorizonSteps, historyCapacity, refitEverySteps, v,
        gapPolicy, errorMemoryPoints, anomalyWindow, anomalyMemoryPoints, anomalyWarmupPoints,
        anomalyEpisodePoints);
  }

  public ForecasterConfig withGapPolicy(GapPolicy v) {
    return new ForecasterConfig(step, maxHorizonSteps, historyCapacity, refitEverySteps,
        minFitPoints, v, errorMemoryPoints, anomalyWindow, anomalyMemoryPoints,
        anomalyWarmupPoints, anomalyEpisodePoints);
  }

  public ForecasterConfig withAnomalyWarmupPoints(int v) {
    return new ForecasterConfig(step, maxHorizonSteps, historyCapacity, refitEverySteps,
        minFitPoints, gapPolicy, errorMemoryPoints, anomalyWindow, anomalyMemoryPoints, v,
        anomalyEpisodePoints);
  }

  public ForecasterConfig withAnomalyEpisodePoints(int v) {
    return new ForecasterConfig(step, maxHorizonSteps, historyCapacity, refitEverySteps,
        minFitPoints, gapPolicy, errorMemoryPoints, anomalyWindow, anomalyMemoryPoints,
        anomalyWarmupPoints, v);
  }

  /** Step length in milliseconds. */
  public long stepMillis() {
    return step.toMillis();
  }

  private static int stepsIn(Duration span, Duration step) {
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE,
        (span.toMillis() + step.toMillis() - 1) / step.toMillis()));
  }

  private static void require(boolean ok, String message, Object... args) {
    if (!ok) {
      throw new IllegalArgumentException(String.format(message, args));
    }
  }
}
