package io.meshcast.adapter.provider;

import java.time.Instant;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * One value of a custom metric for one described object, independent of the API version it is
 * served in.
 *
 * @param describedObject the object the value describes
 * @param metric the metric name as requested
 * @param timestamp when the value was observed (or the forecast was made)
 * @param windowSeconds the window the value was computed over, if any
 * @param value the value in the metric's unit; finite by contract (providers turn NaN and
 *     infinities into errors or an explicit fallback, never into a value)
 */
public record CustomMetricValue(
    ObjectReference describedObject,
    String metric,
    Instant timestamp,
    OptionalLong windowSeconds,
    double value) {

  public CustomMetricValue {
    Objects.requireNonNull(describedObject, "describedObject");
    Objects.requireNonNull(metric, "metric");
    Objects.requireNonNull(timestamp, "timestamp");
    Objects.requireNonNull(windowSeconds, "windowSeconds");
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException(
          "metric " + metric + " for " + describedObject.name() + " is not finite: " + value);
    }
  }
}
