package io.meshcast.adapter.source;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One element of an instant vector: the series labels, evaluation timestamp and value. The value
 * may be NaN or infinite (PromQL produces both, e.g. {@code 0/0}); consumers decide what that means.
 */
public record Sample(Map<String, String> labels, Instant timestamp, double value) {

  public Sample {
    labels = Map.copyOf(labels);
    Objects.requireNonNull(timestamp, "timestamp");
  }
}
