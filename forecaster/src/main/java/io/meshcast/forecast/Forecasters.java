package io.meshcast.forecast;

import java.util.Objects;

/** Factories of {@link SeriesForecaster}s. */
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
}
