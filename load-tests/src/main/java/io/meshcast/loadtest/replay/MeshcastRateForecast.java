package io.meshcast.loadtest.replay;

import io.meshcast.forecast.ForecasterConfig;
import io.meshcast.forecast.Forecasters;
import io.meshcast.forecast.SeriesForecaster;
import java.time.Duration;
import java.util.OptionalDouble;

/**
 * Thin adapter from the replay to the real forecaster module ({@code io.meshcast.forecast}),
 * configured with {@link ForecasterConfig#defaults} for a 1-minute series. Refits run
 * synchronously when {@link SeriesForecaster#refitDue()} says so: in the adapter they run on a
 * worker thread and the model in use until then is the previous one; here the simulation waits,
 * so a refit is available a little earlier than in production (it covers at most one minute).
 * The forecast metric is {@link SeriesForecaster#maxOverLead(int)}: the maximum of the last
 * observation and the mean forecasts up to the lead; it is withheld while
 * {@code status().trustworthy()} is false (no fit yet, or recent error worse than naive).
 */
final class MeshcastRateForecast implements RateForecast {

  private final SeriesForecaster forecaster;
  private long refits;
  private long refitNanos;

  private final double quantile;

  /**
   * @param quantile NaN to serve the mean forecast (the default), else the forecast
   *     distribution's quantile at each horizon (e.g. 0.9 = upper bound of the 80 % interval)
   */
  MeshcastRateForecast(double quantile) {
    if (!Double.isNaN(quantile) && !(quantile >= 0.01 && quantile <= 0.99)) {
      throw new IllegalArgumentException("forecast quantile must be in [0.01, 0.99], got "
          + quantile);
    }
    this.quantile = quantile;
    this.forecaster = Forecasters.create(ForecasterConfig.defaults(Duration.ofMinutes(1)));
  }

  @Override
  public void observe(long epochMillis, double rps) {
    forecaster.update(epochMillis, rps);
    if (forecaster.refitDue()) {
      final long t0 = System.nanoTime();
      forecaster.refit();
      refitNanos += System.nanoTime() - t0;
      refits++;
    }
  }

  @Override
  public OptionalDouble forecast(int leadSteps) {
    if (!forecaster.status().trustworthy()) {
      return OptionalDouble.empty();
    }
    return OptionalDouble.of(Double.isNaN(quantile)
        ? forecaster.maxOverLead(leadSteps)
        : forecaster.maxOverLead(leadSteps, quantile));
  }

  String describe() {
    return String.format(java.util.Locale.ROOT, "model %s, relative error %.3f, %d refits (%.1f s)",
        forecaster.status().modelName(), forecaster.status().relativeError(), refits,
        refitNanos / 1e9);
  }
}
