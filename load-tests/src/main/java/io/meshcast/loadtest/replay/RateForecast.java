package io.meshcast.loadtest.replay;

import java.util.OptionalDouble;

/**
 * The predictive adapter's view of a forecaster: one observation per minute in, the forecast
 * metric out — or empty when the model declines (not warmed up, or not trustworthy).
 */
interface RateForecast {

  /** Appends the next minute's observed request rate (rps, finite, >= 0) observed at a time. */
  void observe(long epochMillis, double rps);

  /**
   * The served forecast looking {@code leadSteps} minutes past the last observation, or empty
   * when the model is not trustworthy.
   */
  OptionalDouble forecast(int leadSteps);
}
