package io.meshcast.adapter.config;

/**
 * Settings of the mesh graph's call-ratio estimator ({@code graph.callRatio.*}).
 *
 * @param alpha weight of the newest sample, in (0, 1]; the memory is about 1/alpha refreshes
 * @param minSamples samples needed before the ratio may be stable, at least 1
 * @param maxDispersion highest relative dispersion (standard deviation / ratio) of the samples
 *     for a stable ratio, at least 0
 * @param minCallerRps caller inbound rate below which a refresh is skipped, at least 0
 */
public record CallRatioSettings(double alpha, int minSamples, double maxDispersion,
    double minCallerRps) {

  /** Defaults: alpha 0.2 (~5 refreshes), 5 samples, 25 % dispersion, 0.1 rps. */
  public static CallRatioSettings defaults() {
    return new CallRatioSettings(0.2, 5, 0.25, 0.1);
  }

  /** @throws IllegalArgumentException naming the setting and value when out of range */
  public CallRatioSettings {
    if (!(alpha > 0 && alpha <= 1)) {
      throw new IllegalArgumentException("callRatio.alpha must be in (0, 1], was " + alpha);
    }
    if (minSamples < 1) {
      throw new IllegalArgumentException("callRatio.minSamples must be >= 1, was " + minSamples);
    }
    if (!(maxDispersion >= 0)) {
      throw new IllegalArgumentException(
          "callRatio.maxDispersion must be >= 0, was " + maxDispersion);
    }
    if (!(minCallerRps >= 0)) {
      throw new IllegalArgumentException(
          "callRatio.minCallerRps must be >= 0, was " + minCallerRps);
    }
  }
}
