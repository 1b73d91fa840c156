package io.meshcast.loadtest.hpa;

import java.util.List;
import java.util.Map;

/**
 * The answer the metrics client returned for one {@link HpaSpec.Metric} at one reconcile, in
 * int64 milli-units as the HPA holds them ({@code Quantity.MilliValue()}).
 *
 * <p>The reading must match the metric's source type: {@link PodValues} for Pods metrics (all
 * returned items keyed by {@code describedObject.name}), {@link ObjectValue} for Object metrics,
 * {@link ExternalValues} for External metrics (all returned items). {@link Failed} stands for any
 * error of the API call, including an empty item list.
 */
public sealed interface MetricReading {

  /** Items of a {@code pods/*} custom-metrics answer. */
  record PodValues(Map<String, Long> milliByPod) implements MetricReading {
    public PodValues {
      milliByPod = Map.copyOf(milliByPod);
    }
  }

  /** The single item of an object custom-metrics answer. */
  record ObjectValue(long milli) implements MetricReading {}

  /** Items of an external-metrics answer; an empty list is an error, as in the HPA. */
  record ExternalValues(List<Long> milli) implements MetricReading {
    public ExternalValues {
      milli = List.copyOf(milli);
    }
  }

  /** The metric could not be fetched; {@code error} is what the HPA would log. */
  record Failed(String error) implements MetricReading {}

  /** Pods reading. */
  static MetricReading pods(Map<String, Long> milliByPod) {
    return new PodValues(milliByPod);
  }

  /** External reading with one item. */
  static MetricReading external(long milli) {
    return new ExternalValues(List.of(milli));
  }

  /** Failed reading. */
  static MetricReading failed(String error) {
    return new Failed(error);
  }
}
