package io.meshcast.forecast;

import io.meshcast.forecast.internal.anomaly.AnomalyScorer;
import io.meshcast.forecast.internal.anomaly.AnomalyTuning;
import io.meshcast.forecast.internal.anomaly.RegimeDetector;

/**
 * The anomaly half of a {@link SeriesForecaster}: the residual scorer and the regime detector, and
 * how one observed value is scored from them. The forecaster owns one per series and feeds it
 * every point; {@link Forecasters#anomalyStream} gives one on its own so a benchmark can measure
 * its cost per point and its state without a model in front of it.
 *
 * <p>Not thread-safe: one stream per series, fed in time order.
 */
public final class AnomalyStream {
  private final ForecasterConfig config;
  private AnomalyScorer scorer;
  /** sees every observed value, across refits: regimes are a property of the data, not the model */
  private final RegimeDetector regimes = new RegimeDetector();

  AnomalyStream(ForecasterConfig config) {
    this.config = config;
    this.scorer = newScorer();
  }

  /**
   * Scores one observed value.
   *
   * @param y the observed value
   * @param expected what the model predicted for it
   * @param residual the model's error on the scale its intervals are computed on (y − expected,
   *     or its transformed equivalent)
   */
  public AnomalyScore score(double y, double expected, double residual) {
    return score(y, expected, residual, observe(y));
  }

  /** The scorer's tuning in effect (the evaluation harness can override it; see AnomalyTuning). */
  public static String tuning() {
    return AnomalyTuning.fromProperty(System.getProperty(AnomalyTuning.PROPERTY)).text();
  }

  /** The regime detector sees a value (every observed value, scored or not); its shift. */
  double observe(double y) {
    return regimes.update(y);
  }

  /** Scores a value {@link #observe}d with {@code regimeShift}. */
  AnomalyScore score(double y, double expected, double residual, double regimeShift) {
    final AnomalyScorer.Result r = scorer.combine(scorer.score(residual, expected), regimeShift,
        regimes.knownTransition(expected, y));
    return new AnomalyScore(r.score(), Severity.of(r.score()), r.probability(), r.rawScore(),
        r.expected());
  }

  /** how many residuals the scorer has scored */
  long scored() {
    return scorer.scored();
  }

  /** whether {@code residuals} one-step residuals are enough to restart the scorer from */
  static boolean enoughToRestart(int residuals) {
    return AnomalyScorer.enoughToRestart(residuals);
  }

  /** Restarts the residual scorer from a new model's residuals, keeping its episode memory. */
  void restartFrom(double[] residuals) {
    scorer = newScorer().continuing(scorer);
    for (double r : residuals) {
      scorer.score(r, Double.NaN);
    }
  }

  private AnomalyScorer newScorer() {
    return new AnomalyScorer(config.anomalyWindow(), config.anomalyMemoryPoints(),
        config.anomalyWarmupPoints(), config.anomalyEpisodePoints());
  }
}
