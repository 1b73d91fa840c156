package io.meshcast.forecast.internal.anomaly;

import java.util.Locale;

/**
 * The constants of {@link AnomalyScorer#combine} that were chosen by leave-one-category-out
 * cross-validation on NAB (see load-tests/RESULTS.md), as one value so the evaluation can run the
 * product's scorer over a declared grid. Production uses {@link #DEFAULT}; the only other source
 * is the system property {@value #PROPERTY}, read once, for the evaluation harness
 * ({@code load-tests/scripts/evaluate-anomaly.sh --cv} runs one JVM per grid setting).
 *
 * @param eventDiscount strength a regime event loses per regime event in the
 *     {@code eventMemory} points before it ("seen this before")
 * @param eventMemory points a regime event is remembered for the discount
 * @param recordSpread residual records above 90 are compressed by this factor
 * @param likelihoodGate if &gt; 0: a regime event counts only if, within the same window, the
 *     short-window surprise's tail probability against its own long-run distribution (the anomaly
 *     likelihood) fell below this level; if 0: the residual score reaching "warning" (3) suffices
 * @param unlikelyWeight with the gate on, an event corroborated only by a warning (not by the
 *     likelihood) still counts with its strength multiplied by this (0: it does not count)
 * @param likelyRecord with the gate on, a residual record at a point whose likelihood is below
 *     the gate scores at least {@code 90 + 10 · likelyRecord} (0: records stay in 90–93)
 * @param repeatRatio "seen this before" for residuals: a residual that is not a record is a
 *     repeat, and scores at most 24, if one of the last alerting residuals (score ≥ 50) within
 *     the memory had the same sign and at least {@code repeatRatio} times its size (0: off)
 * @param significance a residual scores ≥ 25 only if {@code p · n · significance < 1} (p its
 *     probability, n the points remembered); 20 is the argued default (a point expected less than
 *     once in twenty remembered histories: a family-wise 5 % level), 1 lets about one point per
 *     history of pure noise through, smaller values let less improbable points through
 * @param likelihoodScore round 6's experiment ({@link AnomalyLikelihood}), 0 off (the product):
 *     1 = regime events need the calibrated two-sample test too, and the anomaly likelihood
 *     (Gaussian tail of the short-window surprise) scores on its own; 2 = as 1, and an event
 *     only the one-sample test finds still counts when the likelihood alerted within its window;
 *     3 = the likelihood score next to the product's regime test (no calibration)
 */
public record AnomalyTuning(double eventDiscount, int eventMemory, double recordSpread,
    double likelihoodGate, double unlikelyWeight, double likelyRecord, double repeatRatio,
    double significance, int likelihoodScore) {
  /**
   * the system property an evaluation run may set:
   * {@code discount,memory,spread,gate,weight,record[,repeat,significance[,likelihood]]}
   */
  public static final String PROPERTY = "meshcast.anomaly.tuning";

  /**
   * The product's setting. The first three were chosen by cross-validation; the repeat rule
   * (0.8) by argument: it is NAB-neutral (NAB's threshold lies above every non-record residual
   * score, so no NAB number moves) and halves the anomaly-free square wave's false alarms; the
   * significance (20, a family-wise 5 % level) by argument too: it removes the residual records
   * pure noise raised (cross-validated in load-tests/RESULTS.md, round 4).
   */
  public static final AnomalyTuning DEFAULT =
      new AnomalyTuning(0.05, 300, 0.3, 0, 0, 0, 0.8, 20, 0);

  /** The first eight fields; no likelihood score. */
  public AnomalyTuning(double eventDiscount, int eventMemory, double recordSpread,
      double likelihoodGate, double unlikelyWeight, double likelyRecord, double repeatRatio,
      double significance) {
    this(eventDiscount, eventMemory, recordSpread, likelihoodGate, unlikelyWeight, likelyRecord,
        repeatRatio, significance, 0);
  }

  /** The first six fields; no repeat rule, significance 1. */
  public AnomalyTuning(double eventDiscount, int eventMemory, double recordSpread,
      double likelihoodGate, double unlikelyWeight, double likelyRecord) {
    this(eventDiscount, eventMemory, recordSpread, likelihoodGate, unlikelyWeight, likelyRecord,
        0, 1, 0);
  }

  /** what {@link AnomalyScorer} uses: {@link #DEFAULT} unless {@value #PROPERTY} is set */
  static final AnomalyTuning ACTIVE = fromProperty(System.getProperty(PROPERTY));

  public AnomalyTuning {
    check(eventDiscount >= 0 && eventDiscount <= 1, "eventDiscount", eventDiscount);
    check(eventMemory >= 0, "eventMemory", eventMemory);
    check(recordSpread >= 0 && recordSpread <= 1, "recordSpread", recordSpread);
    check(likelihoodGate >= 0 && likelihoodGate < 1, "likelihoodGate", likelihoodGate);
    check(unlikelyWeight >= 0 && unlikelyWeight <= 1, "unlikelyWeight", unlikelyWeight);
    check(likelyRecord >= 0 && likelyRecord <= 1, "likelyRecord", likelyRecord);
    check(repeatRatio >= 0 && repeatRatio <= 1, "repeatRatio", repeatRatio);
    check(significance > 0 && significance <= 1_000, "significance", significance);
    check(likelihoodScore >= 0 && likelihoodScore <= 3, "likelihoodScore", likelihoodScore);
  }

  /**
   * Parses {@code discount,memory,spread,gate,weight,record[,repeat,significance[,likelihood]]};
   * null or blank gives {@link #DEFAULT}.
   */
  public static AnomalyTuning fromProperty(String text) {
    if (text == null || text.isBlank()) {
      return DEFAULT;
    }
    final String[] f = text.split(",");
    if (f.length != 6 && f.length != 8 && f.length != 9) {
      throw new IllegalArgumentException(PROPERTY
          + " must be discount,memory,spread,gate,weight,record[,repeat,significance[,likelihood]],"
          + " was '"
          + text + "'");
    }
    try {
      return new AnomalyTuning(Double.parseDouble(f[0].strip()), Integer.parseInt(f[1].strip()),
          Double.parseDouble(f[2].strip()), Double.parseDouble(f[3].strip()),
          Double.parseDouble(f[4].strip()), Double.parseDouble(f[5].strip()),
          f.length > 6 ? Double.parseDouble(f[6].strip()) : 0,
          f.length > 6 ? Double.parseDouble(f[7].strip()) : 1,
          f.length > 8 ? Integer.parseInt(f[8].strip()) : 0);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(PROPERTY + ": not a number in '" + text + "'", e);
    }
  }

  /** The inverse of {@link #fromProperty}. */
  public String text() {
    return String.format(Locale.ROOT, "%s,%d,%s,%s,%s,%s,%s,%s", eventDiscount, eventMemory,
        recordSpread, likelihoodGate, unlikelyWeight, likelyRecord, repeatRatio, significance)
        + (likelihoodScore > 0 ? "," + likelihoodScore : "");
  }

  private static void check(boolean ok, String name, double v) {
    if (!ok) {
      throw new IllegalArgumentException(PROPERTY + ": " + name + " out of range: " + v);
    }
  }
}
