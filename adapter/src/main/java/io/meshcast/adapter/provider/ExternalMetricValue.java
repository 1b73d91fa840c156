package io.meshcast.adapter.provider;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * One series of an external metric: its labels and current value.
 *
 * @param value finite by contract, as in {@link CustomMetricValue}
 */
public record ExternalMetricValue(
    String metric,
    Map<String, String> metricLabels,
    Instant timestamp,
    OptionalLong windowSeconds,
    double value) {

  public ExternalMetricValue {
    Objects.requireNonNull(metric, "metric");
    metricLabels = Map.copyOf(metricLabels);
    Objects.requireNonNull(timestamp, "timestamp");
    Objects.requireNonNull(windowSeconds, "windowSeconds");
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException("external metric " + metric + " is not finite: " + value);
    }
  }
}
