package io.meshcast.loadtest.replay;

import java.util.OptionalDouble;

/**
 * The predictive adapter's view of a forecaster: one observation per minute in, an h-minute-ahead
 * point forecast out, or empty when the model declines (not warmed up, or not trustworthy).
 */
interface RateForecast {

  /** Appends the next minute's observed request rate (rps, finite, >= 0). */
  void observe(double rps);

  /** Forecast of the rate h minutes after the last observation, or empty. */
  OptionalDouble forecast(int h);
}
