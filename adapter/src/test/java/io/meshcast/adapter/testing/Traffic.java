package io.meshcast.adapter.testing;

/**
 * The traffic one synthetic pod receives on its inbound listener.
 *
 * <p>Latency is uniform on {@code [latencyLowMs, latencyHighMs]}, so the true q-quantile is
 * {@code low + q (high - low)}. When both bounds are Envoy bucket bounds, Prometheus'
 * {@code histogram_quantile} (linear interpolation inside a bucket) reproduces it exactly, so a
 * test can compare the adapter against the distribution itself.
 *
 * @param rps requests per second
 * @param errorShare share of responses in class 5xx, in [0, 1]
 * @param latencyLowMs lower bound of the latency distribution
 * @param latencyHighMs upper bound of the latency distribution
 * @param inflight requests in flight (the {@code rq_active} gauge)
 */
public record Traffic(
    double rps, double errorShare, double latencyLowMs, double latencyHighMs, int inflight) {

  public Traffic {
    if (rps < 0 || errorShare < 0 || errorShare > 1 || latencyLowMs < 0
        || latencyHighMs <= latencyLowMs || inflight < 0) {
      throw new IllegalArgumentException("invalid traffic " + this);
    }
  }

  /** Fraction of requests with latency at most {@code le} milliseconds. */
  public double cdf(double le) {
    if (le <= latencyLowMs) {
      return 0;
    }
    if (le >= latencyHighMs) {
      return 1;
    }
    return (le - latencyLowMs) / (latencyHighMs - latencyLowMs);
  }

  /** The true latency quantile of this pod alone. */
  public double latencyQuantile(double q) {
    return latencyLowMs + q * (latencyHighMs - latencyLowMs);
  }

  public double meanLatencyMs() {
    return (latencyLowMs + latencyHighMs) / 2;
  }
}
