package io.meshcast.forecast.internal.anomaly;

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
 * <p>"Seen this level before": the detector also keeps the long-run occupancy of the range (a
 * decayed histogram of all values, 40 bins, memory 2,000 points). A value is at a known level when
 * the bins around it (1/8 of the range) held a quarter of the remembered time. A new histogram
 * that is a mix of two distinct known levels (a series switching between its usual values) is
 * learnt as a regime but raises no event, and {@link #knownTransition} lets the scorer treat a
 * jump between two known levels as known behaviour.
 *
 * <p>Bounded: at most {@code MAX_HYPOTHESES} regimes are kept; a new one replaces the one matched
 * least often (the oldest among ties). Per point O(W + m·B + 40) arithmetic (W = 52, B = 5, m ≤ 32),
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
  /** bins of the long-run level occupancy ("seen this level before") */
  static final int LEVEL_BINS = 40;
  /** memory of the level occupancy in points */
  private static final int LEVEL_MEMORY = 2_000;
  private static final double LEVEL_DECAY = 1 - 1.0 / LEVEL_MEMORY;
  /** a level is known when its neighbourhood held this share of the remembered time */
  static final double KNOWN_LEVEL_SHARE = 0.25;
  /** a level's neighbourhood: its bin ± this many (5 of 40 bins, 1/8 of the range) */
  private static final int LEVEL_REACH = 2;
  /** share of a window's values at known levels that makes it a mix of known levels */
  private static final double KNOWN_WINDOW_SHARE = 0.9;
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
  /** long-run occupancy of the range: decayed weights over LEVEL_BINS equal bins of [lo, hi] */
  private final double[] level = new double[LEVEL_BINS];
  private double levelTotal;
  /** {@link AnomalyTuning#likelihoodScore}: 0 one-sample test only (the product), 1 or 2 see there */
  private final int calibration;

  /** A detector with the active tuning's calibration (the product's: none). */
  public RegimeDetector() {
    this(AnomalyTuning.ACTIVE.likelihoodScore() % 3);
  }

  /**
   * @param calibration 0: one-sample test; 1: an event needs the two-sample test to reject too,
   *     a window it accepts is stored as a regime; 2: as 1, but such a window is reported with a
   *     negative strength (the scorer counts it only when its likelihood corroborates)
   */
  RegimeDetector(int calibration) {
    this.calibration = calibration;
  }

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
    if (hi > lo) {
      for (int b = 0; b < LEVEL_BINS; b++) {
        level[b] *= LEVEL_DECAY;
      }
      levelTotal = levelTotal * LEVEL_DECAY + 1;
      level[levelBin(x)] += 1;
    }
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
    // round 6: the two-sample G test treats each stored regime as the 52-value sample it is
    final boolean sampling = calibration > 0 && minTwoSample() <= THRESHOLD;
    store(hypotheses < MAX_HYPOTHESES ? hypotheses++ : leastMatched());
    if (sampling && calibration == 1) {
      return 0;
    }
    if (windowAtKnownLevels()) {
      // a window made of levels the series has long held (e.g. the mix of its two usual levels
      // while it switches between them) is a new histogram but not a new regime
      return 0;
    }
    final double strength = Math.min(1, best / THRESHOLD - 1);
    return sampling ? -strength : strength;
  }

  /** min over stored regimes of the two-sample G statistic (both samples W values), χ²(B − 1) */
  private double minTwoSample() {
    double best = Double.POSITIVE_INFINITY;
    for (int h = 0; h < hypotheses; h++) {
      double g = 0;
      for (int b = 0; b < BINS; b++) {
        final double c1 = counts[b];
        final double c2 = prob[h][b] * WINDOW;
        final double e = (c1 + c2) / 2;
        if (c1 > 0) {
          g += c1 * Math.log(c1 / e);
        }
        if (c2 > 0) {
          g += c2 * Math.log(c2 / e);
        }
      }
      best = Math.min(best, 2 * g);
    }
    return best;
  }

  /**
   * Whether {@code x} lies at a level the series has held for a large share of its remembered
   * time: the bins within {@value #LEVEL_REACH} of its bin (of {@value #LEVEL_BINS} over the
   * range) hold at least {@value #KNOWN_LEVEL_SHARE} of the decayed occupancy, e.g. either level
   * of a series that keeps switching between two values.
   */
  public boolean knownLevel(double x) {
    if (!(hi > lo) || seen < 4L * WINDOW || Double.isNaN(x) || x < lo || x > hi) {
      return false;
    }
    final int b = levelBin(x);
    double mass = 0;
    for (int k = Math.max(0, b - LEVEL_REACH); k <= Math.min(LEVEL_BINS - 1, b + LEVEL_REACH);
        k++) {
      mass += level[k];
    }
    return mass >= KNOWN_LEVEL_SHARE * levelTotal;
  }

  /**
   * Whether {@code from} and {@code to} are two distinct {@link #knownLevel known levels} (their
   * neighbourhoods do not overlap): a jump between them is the series' known behaviour.
   */
  public boolean knownTransition(double from, double to) {
    return knownLevel(from) && knownLevel(to)
        && Math.abs(levelBin(from) - levelBin(to)) > 2 * LEVEL_REACH;
  }

  /**
   * Whether the current window is a mix of two distinct {@link #knownLevel known levels}: 90 % of
   * its values lie at known levels, and not all at the same one (a window within one known level
   * may still be a new regime, e.g. a change of spread).
   */
  boolean windowAtKnownLevels() {
    int known = 0;
    int lowest = LEVEL_BINS;
    int highest = -1;
    for (double v : values) {
      if (knownLevel(v)) {
        known++;
        final int b = levelBin(v);
        lowest = Math.min(lowest, b);
        highest = Math.max(highest, b);
      }
    }
    return known >= KNOWN_WINDOW_SHARE * WINDOW && highest - lowest > 2 * LEVEL_REACH;
  }

  private int levelBin(double v) {
    return Math.min(LEVEL_BINS - 1, Math.max(0, (int) ((v - lo) / (hi - lo) * LEVEL_BINS)));
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

  /**
   * Re-bins the stored hypotheses and the level occupancy from [lo, hi] to [newLo, newHi] (mass
   * uniform per bin).
   */
  private void widen(double newLo, double newHi) {
    if (hi > lo) {
      final double[] moved = new double[LEVEL_BINS];
      for (int h = 0; h < hypotheses; h++) {
        java.util.Arrays.fill(moved, 0, BINS, 0);
        rebin(prob[h], BINS, lo, hi, moved, newLo, newHi);
        for (int b = 0; b < BINS; b++) {
          prob[h][b] = moved[b];
          logProb[h][b] = moved[b] > 0 ? Math.log(moved[b]) : Double.NEGATIVE_INFINITY;
        }
      }
      java.util.Arrays.fill(moved, 0);
      rebin(level, LEVEL_BINS, lo, hi, moved, newLo, newHi);
      System.arraycopy(moved, 0, level, 0, LEVEL_BINS);
    }
    lo = newLo;
    hi = newHi;
  }

  /**
   * Adds the mass of the first {@code bins} bins of {@code from} (equal bins of [lo, hi]) to
   * {@code to} (equal bins of [newLo, newHi] ⊇ [lo, hi]), mass uniform within each old bin.
   */
  private static void rebin(double[] from, int bins, double lo, double hi, double[] to,
      double newLo, double newHi) {
    final double oldWidth = (hi - lo) / bins;
    final double newWidth = (newHi - newLo) / bins;
    for (int b = 0; b < bins; b++) {
      final double a = lo + b * oldWidth;
      final double c = a + oldWidth;
      for (int nb = 0; nb < bins; nb++) {
        final double x = newLo + nb * newWidth;
        final double overlap = Math.min(c, x + newWidth) - Math.max(a, x);
        if (overlap > 0) {
          to[nb] += from[b] * overlap / oldWidth;
        }
      }
    }
  }

  static int bin(double v, double lo, double hi) {
    return Math.min(BINS - 1, Math.max(0, (int) ((v - lo) / (hi - lo) * BINS)));
  }
}
