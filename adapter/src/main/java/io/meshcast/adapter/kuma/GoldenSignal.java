package io.meshcast.adapter.kuma;

import java.util.Optional;

/**
 * The built-in inbound golden signals per Kuma service and per pod. Names are what the adapter
 * serves; later stages add {@code _forecast} and {@code _anomaly_score} suffixes.
 */
public enum GoldenSignal {
  /** Requests per second received by the inbound listener. */
  RPS("kuma_rps", true, Optional.empty()),
  /** Share of inbound responses with a 5xx class, in [0, 1]; NaN without traffic. */
  ERROR_RATIO("kuma_error_ratio", false, Optional.empty()),
  /** Median inbound latency in milliseconds (Envoy histograms are in ms). */
  LATENCY_P50("kuma_latency_p50_ms", false, Optional.of(0.50)),
  /** 90th percentile inbound latency in milliseconds. */
  LATENCY_P90("kuma_latency_p90_ms", false, Optional.of(0.90)),
  /** 99th percentile inbound latency in milliseconds. */
  LATENCY_P99("kuma_latency_p99_ms", false, Optional.of(0.99)),
  /** Requests in flight on the inbound listener (saturation); a gauge, no window. */
  INFLIGHT("kuma_inflight", true, Optional.empty()),
  /**
   * Offered demand in requests per second: what callers ask of the service, including requests
   * their sidecars queue or reject because it is saturated, each request counted once (retries
   * subtracted). Service level only: the callers' counters name the destination service, not a
   * pod. See {@link KumaQueries} for the formula.
   */
  DEMAND("kuma_demand_rps", true, Optional.empty());

  private final String metricName;
  private final boolean additive;
  private final Optional<Double> quantile;

  GoldenSignal(String metricName, boolean additive, Optional<Double> quantile) {
    this.metricName = metricName;
    this.additive = additive;
    this.quantile = quantile;
  }

  public String metricName() {
    return metricName;
  }

  /** Whether values for parts of an object add up to the object's value (rates, counts). */
  public boolean additive() {
    return additive;
  }

  /** The quantile for latency signals. */
  public Optional<Double> quantile() {
    return quantile;
  }

  /** Whether the signal is also served per pod (every signal but {@link #DEMAND}). */
  public boolean perPod() {
    return this != DEMAND;
  }

  /** Whether the value is computed over the rate window. */
  public boolean windowed() {
    return this != INFLIGHT;
  }

  public static Optional<GoldenSignal> byName(String name) {
    for (GoldenSignal s : values()) {
      if (s.metricName.equals(name)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }
}
