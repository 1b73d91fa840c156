package io.meshcast.adapter.provider;

import java.util.Locale;

/**
 * Identifies one external metric. Names are lower-cased: client-go lower-cases the metric name
 * because it travels in the resource position of the path.
 */
public record ExternalMetricInfo(String metric) {

  public ExternalMetricInfo {
    metric = metric.toLowerCase(Locale.ROOT);
  }
}
