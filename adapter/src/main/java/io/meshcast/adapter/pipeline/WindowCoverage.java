package io.meshcast.adapter.pipeline;

import java.util.Objects;

/**
 * How much of a windowed value's rate window was covered by samples, and what the pipeline made
 * of it. A window loses coverage when Prometheus was down or restarted (every series starts late),
 * when a target was not scraped for a while (its series end early or start late), or when a pod
 * is new. {@code rate()} then extrapolates at most half a scrape interval past the first and last
 * samples and divides by the whole window: an under-estimate that looks fresh.
 *
 * @param fraction covered share of the window in [0, 1], the smallest over the series summed into
 *     the value; 1 when not measured (gauges, custom rules)
 * @param samples the fewest samples any member series had in the window; -1 when not measured
 * @param observations requests counted in the window (latency quantiles); -1 when not measured
 * @param state the decision
 */
public record WindowCoverage(double fraction, long samples, double observations, State state) {

  /** Not measured or fully covered: a real observation. */
  public static final WindowCoverage FULL = new WindowCoverage(1, -1, -1, State.FULL);

  /** The decision taken for one value. */
  public enum State {
    /** Covered at least {@code refresh.minWindowCoverage}: the plain windowed value. */
    FULL,
    /**
     * Covered less than the threshold but with enough samples: the value is the rate over the
     * covered span (served, flagged, never fed to the models); or a quantile over too few
     * observations.
     */
    PARTIAL,
    /**
     * Too few samples to say anything: the previous complete value is kept with its own timestamp
     * and the staleness policy ({@code maxAge}) decides at request time.
     */
    INSUFFICIENT
  }

  public WindowCoverage {
    Objects.requireNonNull(state, "state");
  }

  /** Whether the value is anything but a complete observation (models must skip it). */
  public boolean partial() {
    return state != State.FULL;
  }
}
