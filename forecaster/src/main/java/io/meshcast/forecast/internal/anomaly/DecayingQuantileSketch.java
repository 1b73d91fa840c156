package io.meshcast.forecast.internal.anomaly;

/**
 * Exponentially decaying histogram of non-negative raw scores, answering "what fraction of the
 * (recency-weighted) past lies below x". Each insert multiplies the weight of everything seen
 * before by {@code decay}, so a point n inserts ago weighs decayⁿ (the decaying-histogram idea of
 * Autopilot, Rzadca et al., EuroSys 2020, and of Elastic ML's quantile state). Implemented
 * lazily: the insert weight grows by 1/decay instead, with a rescale when it gets large.
 *
 * <p>Bins: width 1/8 on [0, 16), then 16 log-spaced bins per doubling up to 2¹²·16; values inside
 * a bin are treated as uniform. O(bins) query, O(1) insert, no allocation, not thread-safe.
 */
public final class DecayingQuantileSketch {
  private static final int LINEAR_BINS = 128;
  private static final double LINEAR_TOP = 16;
  private static final int LOG_BINS_PER_DOUBLING = 16;
  private static final int BINS = LINEAR_BINS + 12 * LOG_BINS_PER_DOUBLING;

  private final double[] weight = new double[BINS];
  private final double decay;
  private double increment = 1;
  private double total;
  private long count;

  /** @param memoryPoints effective memory: decay = 1 − 1/memoryPoints */
  public DecayingQuantileSketch(int memoryPoints) {
    if (memoryPoints < 1) {
      throw new IllegalArgumentException("memoryPoints must be >= 1, was " + memoryPoints);
    }
    this.decay = 1 - 1.0 / memoryPoints;
  }

  /** Adds {@code x >= 0} (negative values count as 0, NaN is ignored). */
  public void add(double x) {
    if (Double.isNaN(x)) {
      return;
    }
    weight[bin(x)] += increment;
    total += increment;
    count++;
    increment /= decay;
    if (increment > 1e100) {
      for (int i = 0; i < BINS; i++) {
        weight[i] /= increment;
      }
      total /= increment;
      increment = 1;
    }
  }

  /** Points inserted so far. */
  public long count() {
    return count;
  }

  /** Weighted fraction of past values strictly below {@code x}, in [0, 1]; 0 when empty. */
  public double fractionBelow(double x) {
    if (total <= 0 || Double.isNaN(x)) {
      return 0;
    }
    final int b = bin(x);
    double below = 0;
    for (int i = 0; i < b; i++) {
      below += weight[i];
    }
    final double lo = lowerEdge(b);
    final double hi = lowerEdge(b + 1);
    final double inside = hi > lo ? Math.max(0, Math.min(1, (x - lo) / (hi - lo))) : 0;
    below += weight[b] * inside;
    return Math.min(1, below / total);
  }

  static int bin(double x) {
    if (!(x > 0)) {
      return 0;
    }
    if (x < LINEAR_TOP) {
      return (int) (x * (LINEAR_BINS / LINEAR_TOP));
    }
    final int b = LINEAR_BINS
        + (int) (Math.log(x / LINEAR_TOP) / Math.log(2) * LOG_BINS_PER_DOUBLING);
    return Math.min(BINS - 1, b);
  }

  static double lowerEdge(int b) {
    if (b <= LINEAR_BINS) {
      return b * (LINEAR_TOP / LINEAR_BINS);
    }
    return LINEAR_TOP * Math.pow(2, (double) (b - LINEAR_BINS) / LOG_BINS_PER_DOUBLING);
  }
}
