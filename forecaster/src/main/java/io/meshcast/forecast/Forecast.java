package io.meshcast.forecast;

import java.util.List;

/**
 * Forecasts made at one origin for horizons 1..n.
 *
 * @param originEpochMillis timestamp of the last observation the forecast is conditioned on
 * @param stepMillis spacing of the series
 * @param modelName the model (or combination) that produced the forecast
 * @param points horizon 1 first; never empty
 */
public record Forecast(
    long originEpochMillis, long stepMillis, String modelName, List<ForecastPoint> points) {

  public Forecast {
    points = List.copyOf(points);
  }

  /** The point {@code horizonSteps} ahead (1-based). */
  public ForecastPoint at(int horizonSteps) {
    return points.get(horizonSteps - 1);
  }
}
