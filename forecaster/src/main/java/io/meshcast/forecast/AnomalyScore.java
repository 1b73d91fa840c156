package io.meshcast.forecast;

/**
 * The anomaly assessment of one observation.
 *
 * @param score 0–100 with Elastic ML semantics (percentile of the raw score among this series'
 *     recent raw scores, mapped through fixed knots); 0 for missing points and during warm-up
 * @param severity the band of {@code score}
 * @param probability tail probability of the point (the smaller of the point's own and of the
 *     short-window aggregate's), in (0, 1]; NaN for a missing point
 * @param rawScore {@code -ln(probability)}, the quantity the percentile is taken of; NaN if missing
 * @param expected the one-step forecast this point was compared with (original units); NaN if no
 *     forecast existed yet
 */
public record AnomalyScore(
    double score, Severity severity, double probability, double rawScore, double expected) {

  /** The score of a missing (NaN) observation or of one that could not be assessed. */
  public static AnomalyScore missing(double expected) {
    return new AnomalyScore(0, Severity.NONE, Double.NaN, Double.NaN, expected);
  }
}
