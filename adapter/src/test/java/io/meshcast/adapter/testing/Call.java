package io.meshcast.adapter.testing;

import io.meshcast.adapter.testing.SyntheticKumaExporter.ServiceSpec;

/**
 * One edge of the synthetic call graph: for every request a {@code caller} pod receives, its
 * sidecar sends {@code ratio} requests to {@code callee} (the fan-out), plus {@code retryShare}
 * retries per request sent; a {@code errorShare} of the attempts come back as 5xx; the caller-side
 * latency ({@code envoy_cluster_upstream_rq_time}) is uniform on {@code [latencyLowMs,
 * latencyHighMs]}.
 *
 * <p>Ground truth, as {@link SyntheticKumaExporter#edgeTruth} reports it: attempts per second
 * {@code = callerRps * ratio * (1 + retryShare)} (what Envoy counts in {@code
 * upstream_rq_total} and what the callee receives), call ratio {@code = ratio} (retries excluded),
 * error ratio {@code = errorShare} of the attempts, p99 {@code = low + 0.99 (high - low)} (exact
 * through {@code histogram_quantile} when both bounds are Envoy bucket bounds).
 */
public record Call(ServiceSpec caller, ServiceSpec callee, double ratio, double retryShare,
    double errorShare, double latencyLowMs, double latencyHighMs) {

  public Call {
    if (!(ratio >= 0) || !(retryShare >= 0) || !(errorShare >= 0) || errorShare > 1
        || latencyLowMs < 0 || !(latencyHighMs > latencyLowMs)) {
      throw new IllegalArgumentException("invalid call " + caller.name() + " -> " + callee.name()
          + ": ratio " + ratio + ", retryShare " + retryShare + ", errorShare " + errorShare
          + ", latency [" + latencyLowMs + ", " + latencyHighMs + "]");
    }
  }

  /** A plain call: no retries, no errors, latency uniform on [5, 25] ms. */
  public static Call of(ServiceSpec caller, ServiceSpec callee, double ratio) {
    return new Call(caller, callee, ratio, 0, 0, 5, 25);
  }

  public Call withRetries(double share) {
    return new Call(caller, callee, ratio, share, errorShare, latencyLowMs, latencyHighMs);
  }

  public Call withErrors(double share) {
    return new Call(caller, callee, ratio, retryShare, share, latencyLowMs, latencyHighMs);
  }

  public Call withLatency(double lowMs, double highMs) {
    return new Call(caller, callee, ratio, retryShare, errorShare, lowMs, highMs);
  }

  /** Attempts (requests plus retries) per request the caller receives. */
  public double attemptsPerRequest() {
    return ratio * (1 + retryShare);
  }

  /** Fraction of attempts with caller-side latency at most {@code le} ms. */
  double cdf(double le) {
    if (le <= latencyLowMs) {
      return 0;
    }
    return le >= latencyHighMs ? 1 : (le - latencyLowMs) / (latencyHighMs - latencyLowMs);
  }

  double meanLatencyMs() {
    return (latencyLowMs + latencyHighMs) / 2;
  }
}
