package io.meshcast.loadtest.replay;

import io.meshcast.loadtest.hpa.HpaSpec;
import io.meshcast.loadtest.hpa.MetricReading;

/**
 * Today's practice: a Pods metric of observed requests per second per pod,
 * {@code rate(envoy_http_downstream_rq_total[1m])} per pod, as prometheus-adapter serves it
 * (KEDA's Prometheus scaler gives the same sum as an External AverageValue; the HPA arithmetic
 * yields the same replica count).
 */
final class ReactivePolicy implements AutoscalingPolicy {

  @Override
  public String name() {
    return "reactive";
  }

  @Override
  public HpaSpec.Metric metric(double targetRpsPerPod) {
    return HpaSpec.Metric.pods("envoy_rps_per_pod", targetRpsPerPod);
  }

  @Override
  public MetricReading reading(long now, Cluster.Snapshot latest) {
    return AutoscalingPolicy.podsReading(latest);
  }
}
