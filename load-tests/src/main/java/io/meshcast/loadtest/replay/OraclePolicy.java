package io.meshcast.loadtest.replay;

import io.meshcast.adapter.hpa.ReplicaCalculator;
import io.meshcast.loadtest.hpa.HpaSpec;
import io.meshcast.loadtest.hpa.MetricReading;

/**
 * The lower bound: a metric that knows the future. At each sync it serves, as an External
 * metric with an AverageValue target, the maximum of the true (noise-free) demand rate λ over
 * {@code [now, now + lead]}, where lead = start-up + one sync period + one scrape interval — so
 * pods asked for now are ready before the demand they are for arrives, and no measurement delay
 * applies. It still goes through the same HPA (tolerance, stabilisation, rate limits), and it
 * does not know the Poisson noise of the individual seconds.
 */
final class OraclePolicy implements AutoscalingPolicy {

  private final double[] rate;
  private final long lead;
  private final double gain;

  OraclePolicy(Demand demand, long leadSeconds) {
    this(demand, leadSeconds, 1.0);
  }

  /**
   * For a tier of a mesh: its true demand is the entry's times {@code gain}, the requests it
   * receives per entry request (the held-back load of a saturated caller is not in it).
   */
  OraclePolicy(Demand demand, long leadSeconds, double gain) {
    this.rate = demand.rate;
    this.lead = leadSeconds;
    this.gain = gain;
  }

  @Override
  public String name() {
    return "oracle";
  }

  @Override
  public HpaSpec.Metric metric(double targetRpsPerPod) {
    return HpaSpec.Metric.external("demand_rps_oracle", HpaSpec.TargetType.AVERAGE_VALUE,
        targetRpsPerPod);
  }

  @Override
  public MetricReading reading(long now, Cluster.Snapshot latest) {
    double max = 0;
    final long end = Math.min(rate.length - 1, now + lead);
    for (long s = now; s <= end; s++) {
      max = Math.max(max, rate[(int) s]);
    }
    return MetricReading.external(ReplicaCalculator.milli(max * gain));
  }
}
