package io.meshcast.forecast;

import java.util.Objects;

/**
 * Entry point of the forecaster module: factories of {@link SeriesForecaster}s, plus the two
 * ways benchmarks look inside it without depending on its internals: a fixed-parameter model of
 * one family ({@link #model}) and the rolling-origin backtest of the forecasting spec ({@link
 * #backtest}).
 */
public final class Forecasters {
  private Forecasters() {}

  /** An empty forecaster; it forecasts naively until enough points for a first refit arrive. */
  public static SeriesForecaster create(ForecasterConfig config) {
    return new DefaultSeriesForecaster(Objects.requireNonNull(config, "config"));
  }

  /**
   * A forecaster bootstrapped from history: {@code history[i]} is the value at {@code
   * startEpochMillis + i * step} (NaN = missing). Only the last {@link
   * ForecasterConfig#historyCapacity()} points are kept. The points are not scored; if there are
   * at least {@link ForecasterConfig#minFitPoints()} of them a refit runs synchronously in this
   * call, and its out-of-sample one-step residuals warm up the anomaly scorer.
   *
   * @throws IllegalArgumentException if a value is infinite
   */
  public static SeriesForecaster create(
      ForecasterConfig config, long startEpochMillis, double[] history) {
    final DefaultSeriesForecaster f =
        new DefaultSeriesForecaster(Objects.requireNonNull(config, "config"));
    f.load(startEpochMillis, Objects.requireNonNull(history, "history"));
    if (f.status().historySize() >= config.minFitPoints()) {
      f.refit();
    }
    return f;
  }

  /**
   * The anomaly scoring a forecaster does per point (residual scorer, regime detector and their
   * combination), on its own: for benchmarks measuring its cost and state per series.
   */
  public static AnomalyStream anomalyStream(ForecasterConfig config) {
    return new AnomalyStream(Objects.requireNonNull(config, "config"));
  }

  /**
   * A model of one family with the caller's parameters, built from the same classes the
   * forecaster fits and selects among, so its update and forecast cost are the forecaster's.
   */
  public static FixedModel model(ModelSpec spec) {
    return FixedModels.of(Objects.requireNonNull(spec, "spec"));
  }

  /**
   * Rolling-origin backtest of {@code series} following the forecasting spec's protocol: the
   * first {@code trainPoints} points train, and at every origin t of the rest each method, updated
   * one observation at a time, forecasts y[t + h − 1] for each h in {@code horizons}. Baseline
   * parameters are tuned on the training part only (one-step MSE); meshcast streams the whole
   * series through a {@link SeriesForecaster} with {@link ForecasterConfig#defaults} for the
   * series' step (horizon raised to the longest requested) and refits on its own schedule, from
   * past data only, exactly as the adapter does. Deterministic except for the timings.
   *
   * <p>Methods, in this order: {@code meshcast}, {@code naive}, {@code snaive-day} (if a day is a
   * whole number of steps and the training part holds two days), {@code ses-tuned}, and with the
   * same condition {@code hw-day-tuned}, {@code hw-day-log1p-tuned} (Holt-Winters with a daily
   * season on y and on log1p(y)) and {@code phpa-hw-0.9} (additive Holt-Winters, daily season,
   * α = β = γ = 0.9 as in PHPA's example configuration).
   *
   * <p>Cost: the forecaster's own (one update per point, a refit every few hours of series
   * time) plus O(n) per baseline; runs on the calling thread.
   *
   * @param horizons steps ahead, each >= 1, at least one
   * @throws IllegalArgumentException unless {@code 16 <= trainPoints < series.size()} and the
   *     horizons are valid
   */
  public static BacktestResult backtest(RegularSeries series, int trainPoints, int... horizons) {
    Objects.requireNonNull(series, "series");
    if (horizons.length == 0) {
      throw new IllegalArgumentException("need at least one horizon");
    }
    for (int h : horizons) {
      if (h < 1) {
        throw new IllegalArgumentException("horizons must be >= 1, got " + h);
      }
    }
    return Backtest.run(series, trainPoints, horizons.clone());
  }
}
