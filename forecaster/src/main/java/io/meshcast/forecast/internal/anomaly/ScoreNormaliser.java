package io.meshcast.forecast.internal.anomaly;

/**
 * Elastic ML's map from the percentile of a raw score among the series' past raw scores to a
 * 0–100 anomaly score: piecewise linear through the knots (percentile, score) = (0,0) (70,1)
 * (85,1.2) (90,1.5) (95,3) (97,20) (99,50) (99.9,90) (100,100). Most points thus score ≈ 1; only
 * the top 1 % reach 50 and the top 0.1 % 90.
 */
public final class ScoreNormaliser {
  private static final double[] PERCENTILE = {0, 70, 85, 90, 95, 97, 99, 99.9, 100};
  private static final double[] SCORE = {0, 1, 1.2, 1.5, 3, 20, 50, 90, 100};

  private ScoreNormaliser() {}

  /** Score for a percentile in [0, 100] (clamped). */
  public static double score(double percentile) {
    final double p = Math.max(0, Math.min(100, percentile));
    for (int i = 1; i < PERCENTILE.length; i++) {
      if (p <= PERCENTILE[i]) {
        final double w = (p - PERCENTILE[i - 1]) / (PERCENTILE[i] - PERCENTILE[i - 1]);
        return SCORE[i - 1] + w * (SCORE[i] - SCORE[i - 1]);
      }
    }
    return 100;
  }
}
