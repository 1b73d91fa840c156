package io.meshcast.adapter.provider;

import java.util.Objects;

/**
 * Identifies one custom metric for one kind of object: {@code pods/kuma_rps (namespaced)}.
 *
 * <p>Mirrors custom-metrics-apiserver's {@code CustomMetricInfo}. The metric name is
 * case-preserving (client-go does not lower-case subresources).
 */
public record CustomMetricInfo(GroupResource groupResource, boolean namespaced, String metric) {

  public CustomMetricInfo {
    Objects.requireNonNull(groupResource, "groupResource");
    Objects.requireNonNull(metric, "metric");
  }

  @Override
  public String toString() {
    return groupResource + "/" + metric + (namespaced ? "(namespaced)" : "");
  }
}
