package io.meshcast.loadtest.replay;

import io.meshcast.adapter.hpa.ReplicaCalculator;
import io.meshcast.loadtest.hpa.HorizontalController.ProposalAdjuster;
import io.meshcast.loadtest.hpa.HpaSpec;
import io.meshcast.loadtest.hpa.MetricReading;

/**
 * What differs between the compared autoscalers: the metric the (identical) HPA consumes and
 * how the metrics adapter computes it. Everything else — the trace, the arrivals, the pods, the
 * HPA algorithm and its configuration — is shared. One instance per run; not thread-safe.
 */
interface AutoscalingPolicy {

  /** Stable name in the JSON output. */
  String name();

  /** The HPA's single metric spec, with the per-pod target in rps. */
  HpaSpec.Metric metric(double targetRpsPerPod);

  /** Post-processing of the HPA's proposal (PHPA only). */
  default ProposalAdjuster adjuster() {
    return ProposalAdjuster.none();
  }

  /**
   * The range of the {@code rate()} this policy's adapter queries, in seconds; 0 for the
   * replay's (today's practice, {@code [1m]}).
   */
  default int rateWindowSeconds() {
    return 0;
  }

  /** Called at every adapter refresh with what Prometheus answered. */
  default void onRefresh(Cluster.Snapshot snapshot) {}

  /** The metrics API's answer at an HPA sync, from the adapter's latest refresh. */
  MetricReading reading(long now, Cluster.Snapshot latest);

  /** Per-pod rates as a Pods custom-metrics answer (what prometheus-adapter serves). */
  static MetricReading podsReading(Cluster.Snapshot snap) {
    if (snap == null || snap.ratesByPod().isEmpty()) {
      return MetricReading.failed("no metrics returned from custom metrics API");
    }
    final java.util.Map<String, Long> milli = new java.util.HashMap<>();
    snap.ratesByPod().forEach((pod, rate) -> milli.put(pod, ReplicaCalculator.milli(rate)));
    return MetricReading.pods(milli);
  }
}
