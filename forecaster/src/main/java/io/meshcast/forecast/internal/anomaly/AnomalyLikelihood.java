package io.meshcast.forecast.internal.anomaly;

/**
 * HTM's anomaly likelihood as a score of its own (round 6's experiment, {@link
 * AnomalyTuning#likelihoodScore}; off in the product): the upper Gaussian tail q of the
 * short-window mean surprise (the scorer's W-point mean of s = |r| / b; m below is its cube
 * root, see {@link #update}) against a Gaussian fitted to m's long-run history (exponentially weighted mean and variance, memory {@value
 * #MEMORY} points), after Ahmad et al. 2017 §4.2.
 *
 * <pre>
 *   z     = (m − μ) / σ,   q = P(Z ≥ z)        μ, σ from the points before this one
 *   alert when q · n · k &lt; 1                    n points remembered, k the significance (20):
 *                                              the scorer's family-wise gate, applied to q
 *   score = 90 + 10 · min(1, −ln q / ln(n·k) − 1)   90 at the gate, 100 at its square
 * </pre>
 *
 * <p>A jump between two known levels ({@link RegimeDetector#knownTransition}) is known behaviour
 * for the residual score, and its surprise stays in the window for W points: no likelihood score
 * then. One alert per excursion: while q stays below the gate, a later point alerts again only if
 * −ln q is more than twice the excursion's peak (the scorer's episode rule). No score before
 * {@value #MIN_POINTS} points: a Gaussian fitted to fewer windows (30 independent ones of 10) is
 * its own source of false alarms. Not thread-safe.
 */
final class AnomalyLikelihood {
  /** memory of the long-run Gaussian, points ("the last few thousand") */
  static final int MEMORY = 2_000;
  /** windows of history needed before the Gaussian is trusted */
  static final int MIN_POINTS = 300;
  /** terms of the Mills-ratio continued fraction (accurate far beyond 1e-6 for z ≥ 2) */
  private static final int FRACTION_TERMS = 40;

  private final double significance;
  private final int window;
  /** live points seen, and when the gate was last passed and a known transition last seen */
  private long count;
  private long lastPass = Long.MIN_VALUE / 2;
  private long lastTransition = Long.MIN_VALUE / 2;
  private double lastScore;
  private double mean;
  private double var;
  private boolean inExcursion;
  private double peak;
  /** −ln q of the latest point (0 before the Gaussian is trusted) */
  private double lastRaw;

  AnomalyLikelihood(double significance, int window) {
    this.significance = significance;
    this.window = window;
  }

  /**
   * Adds the window mean surprise of the latest live point; {@code n} is the number of points
   * the scorer remembers, {@code scoring} false during its warm-up.
   */
  void update(double windowMean, double n, boolean scoring) {
    // W·m sums W roughly exponential surprises (Gamma-like, skewed right): a Gaussian fitted to m
    // itself under-states its upper tail, so white noise alerts. Wilson and Hilferty's cube root
    // makes a Gamma variable nearly Gaussian, so the Gaussian is fitted to m^(1/3) instead.
    final double m = Math.cbrt(Math.max(0, windowMean));
    double score = 0;
    lastRaw = 0;
    boolean lastPassed = false;
    if (count >= MIN_POINTS && var > 0) {
      final double z = (m - mean) / Math.sqrt(var);
      lastRaw = -logUpperTail(z);
      final double gate = Math.log(n * significance);
      lastPassed = lastRaw > gate;
      if (lastPassed) {
        if (!inExcursion || lastRaw > 2 * peak) {
          score = 90 + 10 * Math.min(1, lastRaw / gate - 1);
          peak = Math.max(peak, lastRaw);
        }
        inExcursion = true;
      } else {
        inExcursion = false;
        peak = 0;
      }
    }
    final double rate = Math.max(1.0 / MEMORY, 1.0 / (count + 1));
    final double d = m - mean;
    mean += rate * d;
    var = (1 - rate) * (var + rate * d * d);
    count++;
    lastPass = lastPassed ? count : lastPass;
    lastScore = scoring ? score : 0;
  }

  /** The latest point's score (0 or 90–100), given whether it was a known transition. */
  double score(boolean knownTransition) {
    lastTransition = knownTransition ? count : lastTransition;
    return count - lastTransition < window ? 0 : lastScore;
  }

  /** whether the gate was passed within the last {@code points} live points */
  boolean passedWithin(int points) {
    return count - lastPass < points;
  }

  /** ln P(Z ≥ z) for a standard normal Z (exact enough where it matters, z ≥ 2) */
  static double logUpperTail(double z) {
    if (z < 2) {
      // never near the gate; a rough value keeps the result monotone
      return Math.log(0.5 * erfcRough(z / Math.sqrt(2)));
    }
    // Mills ratio: P(Z ≥ z) = φ(z) / (z + 1/(z + 2/(z + 3/(z + …))))
    double f = z;
    for (int k = FRACTION_TERMS; k >= 1; k--) {
      f = z + k / f;
    }
    return -0.5 * z * z - 0.5 * Math.log(2 * Math.PI) - Math.log(f);
  }

  /** erfc(x), Abramowitz and Stegun 7.1.26 (absolute error 1.5e-7), any sign */
  private static double erfcRough(double x) {
    final double t = 1 / (1 + 0.3275911 * Math.abs(x));
    final double y = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741
        + t * (-1.453152027 + t * 1.061405429)))) * Math.exp(-x * x);
    return x >= 0 ? y : 2 - y;
  }
}
