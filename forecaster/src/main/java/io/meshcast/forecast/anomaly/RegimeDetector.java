package io.meshcast.forecast.anomaly;

/**
 * Streaming distribution-shift detector: has the series entered a regime (a distribution of
 * values over a short window) never seen before? After Wang et al. 2011, "Statistical techniques
 * for online anomaly detection in data centers" (IFIP/IEEE IM, Fig. 1: multiple-hypothesis
 * relative-entropy test).
 *
 * <pre>
 *   range      [lo, hi] = running minimum and maximum of the values seen so far
 *   P̂          histogram of the last W values over B equal bins of [lo, hi]
 *   Q_1..Q_m   histograms of earlier windows accepted as hypotheses ("known regimes")
 *   D_i        = 2W · KL(P̂ ‖ Q_i)   ~ χ²(B − 1) if P̂ is a sample of Q_i (multinomial
 *                goodness of fit; Kullback 1959)
 *   T          = χ²(B − 1) quantile at 0.99
 *   if min_i D_i ≤ T:  the window agrees with a known regime (its count grows); no event
 *   else:              a new regime: event of strength min(1, min_i D_i / T − 1), P̂ becomes Q_{m+1}
 * </pre>
 *
 * <p>The residual score asks "is this point surprising for the model?", which on bursty series
 * is no more true of an incident than of an ordinary burst; this detector asks "has the series
 * ever looked like this before?", which catches level and regime changes whose single points are
 * ordinary. Unlike the paper (and NAB's implementation, which bins over the file's global range
 * known in advance) the range is the running one: when it widens, stored hypotheses are re-binned
 * assuming mass uniform within each old bin, so no look-ahead is needed.
 *
 * <p>Bounded: at most {@code MAX_HYPOTHESES} regimes are kept; a new one replaces the one matched
 * least often (the oldest among ties). Per point O(W + m·B) arithmetic (W = 52, B = 5, m ≤ 32),
 * no allocation except when the range widens; not thread-safe. A constant series never has a
 * range, so it never raises an event.
 */
public final class RegimeDetector {
  /** window length, as NAB's tuned relative-entropy detector */
  static final int WINDOW = 52;
  static final int BINS = 5;
  /** χ²(4) quantile at 0.99 */
  private static final double THRESHOLD = 13.276704135987622;
  static final int MAX_HYPOTHESES = 32;
  /** ln(k / W) for k = 0..W */
  private static final double[] LOG_FRACTION = new double[WINDOW + 1];

  static {
    for (int k = 0; k <= WINDOW; k++) {
      LOG_FRACTION[k] = Math.log((double) k / WINDOW);
    }
  }

  private final double[] values = new double[WINDOW];
  private int pos;
  private long seen;
  private double lo = Double.NaN;
  private double hi = Double.NaN;
  /** hypotheses: probabilities and their logarithms (−∞ for an empty bin) */
  private final double[][] prob = new double[MAX_HYPOTHESES][BINS];
  private final double[][] logProb = new double[MAX_HYPOTHESES][BINS];
  private final long[] matched = new long[MAX_HYPOTHESES];
  private final long[] created = new long[MAX_HYPOTHESES];
  private int hypotheses;
  private final int[] counts = new int[BINS];

  /**
   * Adds one value; NaN is ignored. Returns 0 when the recent window agrees with a known regime
   * (or too little has been seen), otherwise the strength in (0, 1] of a new regime: 0 just above
   * the test's 1 % level, 1 at twice its threshold or for a window falling into bins no known
   * regime ever occupied.
   */
  public double update(double x) {
    if (Double.isNaN(x)) {
      return 0;
    }
    if (Double.isNaN(lo)) {
      lo = x;
      hi = x;
    } else if (x < lo || x > hi) {
      widen(Math.min(lo, x), Math.max(hi, x));
    }
    values[pos] = x;
    pos = pos + 1 == WINDOW ? 0 : pos + 1;
    seen++;
    if (seen < WINDOW || !(hi > lo)) {
      return 0;
    }
    java.util.Arrays.fill(counts, 0);
    for (double v : values) {
      counts[bin(v, lo, hi)]++;
    }
    if (hypotheses == 0) {
      store(0);
      hypotheses = 1;
      return 0;
    }
    double best = Double.POSITIVE_INFINITY;
    int bestIndex = -1;
    for (int h = 0; h < hypotheses; h++) {
      final double d = statistic(logProb[h]);
      if (d < best) {
        best = d;
        bestIndex = h;
      }
    }
    if (best <= THRESHOLD) {
      matched[bestIndex]++;
      return 0;
    }
    store(hypotheses < MAX_HYPOTHESES ? hypotheses++ : leastMatched());
    return Math.min(1, best / THRESHOLD - 1);
  }

  /** 2W · KL(P̂ ‖ Q) from the current counts. */
  private double statistic(double[] logQ) {
    double kl = 0;
    for (int b = 0; b < BINS; b++) {
      final int k = counts[b];
      if (k > 0) {
        kl += k * (LOG_FRACTION[k] - logQ[b]);
      }
    }
    return 2 * kl; // Σ k·(…) = W·KL
  }

  private void store(int h) {
    for (int b = 0; b < BINS; b++) {
      prob[h][b] = (double) counts[b] / WINDOW;
      logProb[h][b] = LOG_FRACTION[counts[b]];
    }
    matched[h] = 1;
    created[h] = seen;
  }

  private int leastMatched() {
    int victim = 0;
    for (int h = 1; h < hypotheses; h++) {
      if (matched[h] < matched[victim]
          || (matched[h] == matched[victim] && created[h] < created[victim])) {
        victim = h;
      }
    }
    return victim;
  }

  /** Re-bins the stored hypotheses from [lo, hi] to [newLo, newHi] (mass uniform per bin). */
  private void widen(double newLo, double newHi) {
    if (hi > lo) {
      final double oldWidth = (hi - lo) / BINS;
      final double newWidth = (newHi - newLo) / BINS;
      final double[] moved = new double[BINS];
      for (int h = 0; h < hypotheses; h++) {
        java.util.Arrays.fill(moved, 0);
        for (int b = 0; b < BINS; b++) {
          final double a = lo + b * oldWidth;
          final double c = a + oldWidth;
          for (int nb = 0; nb < BINS; nb++) {
            final double x = newLo + nb * newWidth;
            final double overlap = Math.min(c, x + newWidth) - Math.max(a, x);
            if (overlap > 0) {
              moved[nb] += prob[h][b] * overlap / oldWidth;
            }
          }
        }
        for (int b = 0; b < BINS; b++) {
          prob[h][b] = moved[b];
          logProb[h][b] = moved[b] > 0 ? Math.log(moved[b]) : Double.NEGATIVE_INFINITY;
        }
      }
    }
    lo = newLo;
    hi = newHi;
  }

  static int bin(double v, double lo, double hi) {
    return Math.min(BINS - 1, Math.max(0, (int) ((v - lo) / (hi - lo) * BINS)));
  }
}
