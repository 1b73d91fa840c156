package io.meshcast.loadtest.replay;

import java.util.SplittableRandom;

/*
 * Per-second demand from a per-interval request-count trace.
 *
 *   r_i    = c_i / Δ                        the trace's mean rate in interval i (Δ = step)
 *   λ(s)   = k × lerp(r, s + ½)              piecewise-linear through the interval midpoints
 *                                             (held flat before the first / after the last one)
 *   k      = peakRps / max_i r_i             so the trace's busiest interval runs at peakRps
 *   A_s    ~ Poisson(λ(s))                   arrivals in second s, from a seeded generator
 *
 * The same Demand (same A_s) is replayed under every policy, so policies differ only in how
 * they scale. Poisson sampling: Knuth's multiplication method below λ = 10, and Hörmann's PTRS
 * transformed rejection above (W. Hörmann, "The transformed rejection method for generating
 * Poisson random variables", Insurance: Mathematics and Economics 12, 1993).
 */
final class Demand {

  /** λ(s), requests per second (noise-free). */
  final double[] rate;
  /** A_s, arrivals in second s. */
  final int[] arrivals;
  final double scale;

  private Demand(double[] rate, int[] arrivals, double scale) {
    this.rate = rate;
    this.arrivals = arrivals;
    this.scale = scale;
  }

  static Demand of(Trace trace, double peakRps, long seed) {
    if (!(peakRps > 0)) {
      throw new IllegalArgumentException("peak rps must be > 0, got " + peakRps);
    }
    final int n = trace.size();
    final double step = trace.stepSeconds();
    double maxRate = 0;
    for (int i = 0; i < n; i++) {
      maxRate = Math.max(maxRate, trace.value(i) / step);
    }
    if (maxRate <= 0) {
      throw new IllegalArgumentException("trace " + trace.name() + " has no requests at all");
    }
    final double k = peakRps / maxRate;
    final int seconds = Math.toIntExact(trace.durationSeconds());
    final double[] rate = new double[seconds];
    final int[] arrivals = new int[seconds];
    final SplittableRandom rng = new SplittableRandom(seed);
    for (int s = 0; s < seconds; s++) {
      final double pos = (s + 0.5) / step - 0.5; // position in units of intervals, 0 = midpoint 0
      final double r;
      if (pos <= 0) {
        r = trace.value(0) / step;
      } else if (pos >= n - 1) {
        r = trace.value(n - 1) / step;
      } else {
        final int i = (int) pos;
        final double w = pos - i;
        r = (trace.value(i) * (1 - w) + trace.value(i + 1) * w) / step;
      }
      rate[s] = k * r;
      arrivals[s] = poisson(rng, rate[s]);
    }
    return new Demand(rate, arrivals, k);
  }

  int seconds() {
    return rate.length;
  }

  static int poisson(SplittableRandom rng, double lambda) {
    if (lambda <= 0) {
      return 0;
    }
    if (lambda < 10) {
      final double limit = Math.exp(-lambda);
      int k = 0;
      double p = rng.nextDouble();
      while (p > limit) {
        k++;
        p *= rng.nextDouble();
      }
      return k;
    }
    // PTRS (Hörmann 1993)
    final double slam = Math.sqrt(lambda);
    final double loglam = Math.log(lambda);
    final double b = 0.931 + 2.53 * slam;
    final double a = -0.059 + 0.02483 * b;
    final double invalpha = 1.1239 + 1.1328 / (b - 3.4);
    final double vr = 0.9277 - 3.6224 / (b - 2);
    while (true) {
      final double u = rng.nextDouble() - 0.5;
      final double v = rng.nextDouble();
      final double us = 0.5 - Math.abs(u);
      final long k = (long) Math.floor((2 * a / us + b) * u + lambda + 0.43);
      if (us >= 0.07 && v <= vr) {
        return (int) k;
      }
      if (k < 0 || (us < 0.013 && v > us)) {
        continue;
      }
      if (Math.log(v) + Math.log(invalpha) - Math.log(a / (us * us) + b)
          <= -lambda + k * loglam - logFactorial(k)) {
        return (int) k;
      }
    }
  }

  /** ln(k!) exactly below 20, Stirling's series above (error < 1e-10). */
  static double logFactorial(long k) {
    if (k < 20) {
      double f = 0;
      for (long i = 2; i <= k; i++) {
        f += Math.log(i);
      }
      return f;
    }
    final double x = k + 1.0;
    return (x - 0.5) * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI)
        + 1.0 / (12 * x) - 1.0 / (360 * x * x * x);
  }
}
