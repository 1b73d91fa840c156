package io.meshcast.adapter.testing;

import java.util.Map;

/**
 * One Prometheus scrape target: {@code host:port}, metrics path and the target labels Prometheus
 * attaches (what {@code kuma_sd} + relabelling or Kubernetes pod SD would produce).
 */
public record ScrapeTarget(String address, String metricsPath, Map<String, String> labels) {

  public ScrapeTarget {
    labels = Map.copyOf(labels);
  }
}
