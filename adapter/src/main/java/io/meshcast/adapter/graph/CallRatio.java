package io.meshcast.adapter.graph;

import io.meshcast.adapter.config.CallRatioSettings;

/*
 * Call ratio of one mesh edge caller -> callee: callee requests per caller request.
 *
 * Per refresh the caller's inbound rate x (rps), the edge's upstream rate e and its retry rate q
 * (both from the caller's outbound cluster, so e counts every attempt) give one sample
 *
 *   r_t = max(0, e - q) / x        (first attempts only: a retry storm is not a fan-out)
 *
 * The estimate is the ratio of exponentially weighted sums, which weights each refresh by its
 * traffic so a quiet refresh with 3 requests cannot swing it:
 *
 *   C_t = (1 - a) C_{t-1} + a max(0, e - q)      X_t = (1 - a) X_{t-1} + a x      ratio = C / X
 *
 * Stability: the exponentially weighted variance of the samples around the estimate (West 1979,
 * incremental form), v_t = (1 - a) (v_{t-1} + a d^2) with d = r_t - ratio_{t-1}; the relative
 * dispersion is sqrt(v) / ratio. The ratio is stable when at least minSamples samples were taken
 * and the relative dispersion is at most maxDispersion. A ratio that changes (new release, new
 * code path) raises the dispersion for about 1/a refreshes and is then stable again at the new
 * value.
 *
 * Samples are skipped (counted, and named in the explanation while no estimate exists) when an
 * input is NaN or negative or the caller's inbound rate is below minCallerRps: the ratio of two
 * near-zero rates carries no information.
 */

import java.util.Locale;

/**
 * Online estimator of an edge's call ratio (callee requests per caller request) from per-refresh
 * rates, robust to retries, with a stability flag and an explanation when unstable.
 *
 * <p>O(1) memory and time per {@link #observe}; no allocation except the {@link Estimate}
 * returned by {@link #estimate()}. Not thread-safe: one instance per edge, fed by one refresh
 * thread. Pure: no clock, no I/O.
 */
public final class CallRatio {


  /**
   * The current estimate.
   *
   * @param ratio callee requests per caller request (first attempts); NaN before the first sample
   * @param stable whether the ratio may be propagated
   * @param dispersion relative dispersion of the recent samples (NaN before the first sample,
   *     infinite when the ratio is 0 but samples vary)
   * @param samples samples taken
   * @param skipped refreshes skipped (NaN, negative or idle caller)
   * @param retryShare share of the edge's attempts that were retries, smoothed like the ratio
   *     (NaN before the first sample)
   * @param explanation empty when stable, else why not (e.g. {@code "3 of 5 samples"})
   */
  public record Estimate(double ratio, boolean stable, double dispersion, long samples,
      long skipped, double retryShare, String explanation) {}

  private final CallRatioSettings settings;
  /** exponentially weighted first-attempt edge rate, C */
  private double calls;
  /** exponentially weighted caller inbound rate, X */
  private double inbound;
  /** exponentially weighted edge attempts and retries, for the retry share */
  private double attempts;
  private double retries;
  /** exponentially weighted variance of the samples around the estimate, v */
  private double variance;
  private long samples;
  private long skipped;
  private String lastSkip = "";

  /** An estimator with the given settings. */
  public CallRatio(CallRatioSettings settings) {
    this.settings = settings;
  }

  /**
   * Takes one refresh's rates (all in requests per second over the same window).
   *
   * @param callerInboundRps requests the caller received
   * @param edgeRps requests the caller sent to the callee, retries included (Envoy's
   *     {@code upstream_rq_total} rate)
   * @param edgeRetryRps of which retries ({@code upstream_rq_retry}); NaN is read as 0 (the
   *     regime may not export retries)
   * @return whether the sample was taken (false: skipped, counted in {@link Estimate#skipped()})
   */
  public boolean observe(double callerInboundRps, double edgeRps, double edgeRetryRps) {
    final double retry = Double.isNaN(edgeRetryRps) ? 0 : edgeRetryRps;
    if (Double.isNaN(callerInboundRps) || Double.isNaN(edgeRps)) {
      return skip("NaN rate");
    }
    if (callerInboundRps < 0 || edgeRps < 0 || retry < 0) {
      return skip("negative rate");
    }
    if (callerInboundRps < settings.minCallerRps() || callerInboundRps == 0) {
      return skip(String.format(Locale.ROOT, "caller inbound %.3g rps below %.3g",
          callerInboundRps, settings.minCallerRps()));
    }
    // Counters scraped a moment apart can show more retries than attempts: clamp, don't go < 0.
    final double first = Math.max(0, edgeRps - retry);
    final double sample = first / callerInboundRps;
    final double a = settings.alpha();
    if (samples == 0) {
      calls = first;
      inbound = callerInboundRps;
      attempts = edgeRps;
      retries = Math.min(retry, edgeRps);
      variance = 0;
    } else {
      final double d = sample - calls / inbound;
      variance = (1 - a) * (variance + a * d * d);
      calls += a * (first - calls);
      inbound += a * (callerInboundRps - inbound);
      attempts += a * (edgeRps - attempts);
      retries += a * (Math.min(retry, edgeRps) - retries);
    }
    samples++;
    return true;
  }

  /** The current estimate; see {@link Estimate}. */
  public Estimate estimate() {
    if (samples == 0) {
      String why = skipped == 0 ? "no samples yet" : "no samples yet (" + skipped
          + " skipped, last: " + lastSkip + ")";
      return new Estimate(Double.NaN, false, Double.NaN, 0, skipped, Double.NaN, why);
    }
    final double ratio = calls / inbound;
    final double sd = Math.sqrt(variance);
    final double dispersion = ratio > 0 ? sd / ratio : (sd == 0 ? 0 : Double.POSITIVE_INFINITY);
    final double retryShare = attempts > 0 ? retries / attempts : 0;
    String why = "";
    if (samples < settings.minSamples()) {
      why = samples + " of " + settings.minSamples() + " samples";
    } else if (!(dispersion <= settings.maxDispersion())) {
      why = String.format(Locale.ROOT, "ratio varies: dispersion %.2f above %.2f", dispersion,
          settings.maxDispersion());
    }
    return new Estimate(ratio, why.isEmpty(), dispersion, samples, skipped, retryShare, why);
  }

  private boolean skip(String why) {
    skipped++;
    lastSkip = why;
    return false;
  }
}
