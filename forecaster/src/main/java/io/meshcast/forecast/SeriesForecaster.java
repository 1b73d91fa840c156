package io.meshcast.forecast;

/**
 * Forecaster and anomaly scorer of one regular-interval series.
 *
 * <p><b>Life cycle.</b> Create with {@link Forecasters#create} (optionally bootstrapped from a
 * history array). Feed each new observation to {@link #update}; it is O(1) and returns the
 * point's anomaly score. Call {@link #refit} when {@link #refitDue()} says so, typically on a
 * worker thread: it re-detects seasonality, re-estimates parameters, re-selects the model by
 * rolling-origin validation and re-calibrates the intervals from the bounded history.
 *
 * <p><b>Thread safety.</b> All methods are thread-safe. {@code update}, {@code forecast}, {@code
 * maxOverLead} and {@code status} take a short internal lock (O(1), or O(horizon) for forecasts).
 * {@code refit} copies the history under that lock, fits WITHOUT holding it (updates continue
 * meanwhile against the previous model), then takes the lock again to replay the points that
 * arrived during the fit into the new model and swap it in; no point is lost or applied twice.
 * Concurrent {@code refit} calls are serialised. Nothing here blocks on I/O or logs.
 *
 * <p><b>NaN policy.</b> A NaN value is a missing point (see {@link GapPolicy}); infinite values
 * are rejected with {@link IllegalArgumentException}.
 *
 * <p><b>Memory.</b> Bounded by {@link ForecasterConfig#historyCapacity()} doubles plus the model
 * state (at most one value per seasonal phase) and a fixed quantile table.
 */
public interface SeriesForecaster {

  /**
   * Adds the observation at {@code epochMillis} (rounded to the step grid, which is anchored at
   * the first timestamp) and scores it against the forecast made one step earlier.
   *
   * @throws IllegalArgumentException if the timestamp is not after the last one, if steps were
   *     skipped under {@link GapPolicy#REJECT}, or if the value is infinite
   */
  AnomalyScore update(long epochMillis, double value);

  /**
   * Forecasts horizons 1..{@code horizonSteps} from the last observation.
   *
   * @throws IllegalArgumentException if {@code horizonSteps < 1}
   * @throws IllegalStateException if no observation was seen yet
   */
  Forecast forecast(int horizonSteps);

  /**
   * {@code max} over [now, now + leadSteps] of the forecast mean: the last observed value (if not
   * missing) and the mean forecasts at horizons 1..leadSteps. Meant for scaling ahead of demand.
   *
   * @throws IllegalArgumentException if {@code leadSteps < 0}
   * @throws IllegalStateException if no observation was seen yet
   */
  double maxOverLead(int leadSteps);

  /**
   * Like {@link #maxOverLead(int)} but over the {@code quantile} of the forecast distribution at
   * each horizon (e.g. 0.9 for the upper 80 % bound). Before the first refit the quantiles are
   * unknown and the mean is used.
   *
   * @param quantile in [0.01, 0.99]
   */
  double maxOverLead(int leadSteps, double quantile);

  /**
   * Refits from the current history (see the class comment for concurrency). Does nothing but
   * report if the history is shorter than {@link ForecasterConfig#minFitPoints()}.
   */
  FitReport refit();

  /** True when the refit schedule says a refit is due. */
  boolean refitDue();

  /** Model name, recent error relative to naive, and the trustworthy flag. */
  ModelStatus status();

  /** The configuration this forecaster was built with. */
  ForecasterConfig config();
}
