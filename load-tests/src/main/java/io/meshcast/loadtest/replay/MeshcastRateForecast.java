package io.meshcast.loadtest.replay;

import io.meshcast.forecast.ForecasterConfig;
import io.meshcast.forecast.Forecasters;
import io.meshcast.forecast.SeriesForecaster;
import java.time.Duration;
import java.util.OptionalDouble;

/**
 * Thin adapter from the replay to the real forecaster module ({@code io.meshcast.forecast}),
 * configured with {@link ForecasterConfig#defaults} for a 1-minute series and a maximum horizon
 * equal to the policy's look-ahead (the HPA lead in minutes, rounded up, plus the up-to-one-minute
 * age of the last fed point). Refits run
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
   * @param horizonSteps the longest look-ahead in minutes the policy will ask for
   */
  MeshcastRateForecast(double quantile, int horizonSteps) {
    if (!Double.isNaN(quantile) && !(quantile >= 0.01 && quantile <= 0.99)) {
      throw new IllegalArgumentException("forecast quantile must be in [0.01, 0.99], got "
          + quantile);
    }
    this.quantile = quantile;
    // The adapter knows how far ahead the HPA needs to see, so fitting (multi-horizon loss),
    // interval calibration and the trust test (error vs naive at maxHorizonSteps) are all
    // aimed at that horizon instead of the generic 30-minute default.
    this.forecaster = Forecasters.create(
        ForecasterConfig.defaults(Duration.ofMinutes(1)).withMaxHorizonSteps(horizonSteps));
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
    return String.format(java.util.Locale.ROOT,
        "model %s, relative error vs naive at h=%d: %.3f, %d refits (%.1f s)",
        forecaster.status().modelName(), forecaster.status().errorHorizonSteps(),
        forecaster.status().relativeError(), refits, refitNanos / 1e9);
  }
}
