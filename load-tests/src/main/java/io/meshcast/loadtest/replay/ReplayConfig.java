package io.meshcast.loadtest.replay;

import io.meshcast.loadtest.hpa.ControllerConfig;
import io.meshcast.loadtest.hpa.HpaSpec;

/**
 * Every knob of one replay, validated once.
 *
 * @param peakRps the trace's busiest interval is scaled to this many requests per second
 * @param capacityRps μ: requests per second one ready pod serves at 100 % utilisation
 * @param workersPerPod k: concurrent workers per pod; service time S = k / μ
 * @param startupSeconds time from pod creation to Ready
 * @param sloMillis p99 latency objective
 * @param maxQueueSeconds requests that would queue longer than this are dropped (503)
 * @param targetUtilization HPA target: averageValue = targetUtilization × μ rps per pod
 * @param minReplicas HPA minReplicas
 * @param maxReplicas HPA maxReplicas
 * @param seed seed of the Poisson arrivals
 * @param warmupSeconds simulated but not scored (models learn; identical for every policy)
 * @param scrapeInterval Prometheus scrape interval, s
 * @param rateWindow range of rate(...[window]), s
 * @param refreshInterval the adapter re-queries Prometheus this often, s
 * @param controller kube-controller-manager HPA flags
 * @param behavior the HPA's {@code spec.behavior}, or null for none (the legacy path)
 */
public record ReplayConfig(
    double peakRps,
    double capacityRps,
    int workersPerPod,
    long startupSeconds,
    double sloMillis,
    double maxQueueSeconds,
    double targetUtilization,
    int minReplicas,
    int maxReplicas,
    long seed,
    long warmupSeconds,
    int scrapeInterval,
    int rateWindow,
    int refreshInterval,
    ControllerConfig controller,
    HpaSpec.Behavior behavior) {

  public ReplayConfig {
    require(peakRps > 0, "peak-rps must be > 0, got " + peakRps);
    require(capacityRps > 0, "capacity-rps must be > 0, got " + capacityRps);
    require(workersPerPod >= 1, "workers per pod must be >= 1, got " + workersPerPod);
    require(startupSeconds >= 0, "startup must be >= 0 s, got " + startupSeconds);
    require(sloMillis > 1000.0 * workersPerPod / capacityRps,
        "slo-ms (" + sloMillis + ") must exceed the service time "
            + 1000.0 * workersPerPod / capacityRps + " ms");
    require(maxQueueSeconds >= 0, "max queue must be >= 0 s, got " + maxQueueSeconds);
    require(targetUtilization > 0 && targetUtilization <= 1,
        "target utilization must be in (0, 1], got " + targetUtilization);
    require(minReplicas >= 1, "min replicas must be >= 1, got " + minReplicas);
    require(maxReplicas >= minReplicas, "max replicas must be >= min replicas");
    require(warmupSeconds >= 0, "warmup must be >= 0 s");
    require(scrapeInterval > 0 && refreshInterval > 0, "scrape and refresh intervals must be > 0");
    require(rateWindow >= 2 * scrapeInterval, "rate window must cover at least two scrapes");
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }

  /** Sync period in whole seconds. */
  int syncSeconds() {
    return Math.toIntExact(controller.syncPeriod().toSeconds());
  }

  /** HPA target per pod, rps. */
  double targetRpsPerPod() {
    return targetUtilization * capacityRps;
  }

  /**
   * How far ahead a predictive signal must look: a pod asked for now serves after the start-up
   * delay, the HPA acts up to one sync period after the adapter refreshed, and the observed rate
   * lags by about one scrape interval.
   */
  long leadSeconds() {
    return startupSeconds + syncSeconds() + scrapeInterval;
  }

  /** The defaults used by the CLI. */
  public static ReplayConfig defaults() {
    return new ReplayConfig(2000, 100, 5, 90, 250, 5, 0.7, 2, 100, 1, 0, 15, 60, 15,
        ControllerConfig.defaults(), null);
  }
}
