package io.meshcast.forecast.internal.anomaly;

/**
 * Streaming anomaly score of forecast residuals, 0–100 with Elastic ML's semantics.
 *
 * <p>Per residual r (observation minus one-step forecast, in the interval scale):
 *
 * <pre>
 *   b          = exponentially weighted mean of |r| before this point (memory ≈ 1/ρ points)
 *   s          = |r| / b                        point surprise: −ln P(|R| ≥ |r|) for R ~ Laplace(0, b)
 *   m          = mean of s over the last W points          short-window aggregate
 *   p_window   = decayed fraction of past m at or above this m (at least 1/(count+1)): the
 *                tail probability of the recent surprise against its long-run distribution,
 *                as HTM's anomaly likelihood (which uses a Gaussian tail instead)
 *   raw        = max(s, −ln p_window),   p = e^−raw
 *   percentile = 100 × (decayed fraction of past raw scores below raw)
 *   score      = min(90, ScoreNormaliser(percentile)) while raw ≤ M, the decayed maximum raw
 *                score; a new record scores 90 + 10·min(1, raw/M − 1): Elastic's map, capped by
 *                the maximum raw score seen, 100 meaning twice as surprising as anything before
 * </pre>
 *
 * <p>The point term catches spikes, the window term sustained shifts whose single points are
 * unremarkable (Ahmad et al. 2017, "Unsupervised real-time anomaly detection for streaming data",
 * Neurocomputing 262:134–147, §4.2). The percentile step calibrates per series: a noisy series
 * does not alert more often than a quiet one. Scores are 0 during the first {@code warmupPoints}
 * points. O(1) per point (plus a 320-bin scan), no allocation besides the result; not
 * thread-safe.
 *
 * <p>Episodes: a score ≥ 50 opens an episode lasting {@code episodePoints} after the last
 * point that would have alerted. Within it, a point scores at most 24 (below "minor") unless its
 * raw score is more than twice the episode's peak, i.e. its probability is below the square of
 * the most extreme one seen in the episode. One incident thus raises one alert, not one per
 * point while the model re-adapts (alert fatigue; NAB likewise counts only the first detection in
 * a window and charges every further false one).
 *
 * <p>Significance: whatever its percentile, a point scores at most 24 (below "minor") unless
 * {@code p · n · k < 1}, with p its probability, n the points remembered (at most the memory) and
 * k {@link AnomalyTuning#significance} (20): a point that improbable is expected less than once
 * in twenty of the series' remembered histories, i.e. a family-wise 5 % level over the points a
 * series has shown. The percentile map alone puts the top 3 % of any series, pure noise
 * included, at 25 or more; this is the absolute check HTM's anomaly likelihood makes with its
 * tail threshold. (With k = 1 about one point per history of pure noise passed.) The window
 * term passes only if its mean surprise is also improbable in absolute terms (Gamma tail of W
 * unit exponentials, same level): its empirical tail alone is passed by whichever window is the
 * most extreme remembered, which pure noise produces now and then.
 *
 * <p>Repeats ("seen this before", {@link AnomalyTuning#repeatRatio}): a point that is not a
 * record scores at most 24 if one of the last 8 alerting residuals (score ≥ 50) within the
 * memory had the same sign and at least 0.8 times its size: a level that keeps switching between
 * the same values, or a burst of a size the series already showed, is its known behaviour.
 *
 * <p>The forecaster reports {@link #combine}{@code (score(...), regimeShift)}: residual records
 * compressed into 90–93, corroborated regime shifts ({@link RegimeDetector}) at 90–100, weaker
 * the more regime events the series had recently.
 */
public final class AnomalyScorer {
  /** raw score below which a point never counts as a record (p ≥ 1 %) */
  private static final double MIN_RAW_FOR_MAX = 4.6;
  private static final double MAX_SURPRISE = 50;
  /** a score from which an episode starts (Elastic's "major") */
  private static final double ALERT = 50;
  /** within an episode, scores are capped here (just below "minor") ... */
  private static final double EPISODE_CAP = 24;
  /** ... unless the raw score exceeds the episode's peak this many times (p below peak p²) */
  private static final double EPISODE_FACTOR = 2;
  /** points that only establish the running statistics */
  private static final int STABILISE = 30;
  /** the score of a residual record; regime shifts rank above it (see {@link #combine}) */
  private static final double RECORD_FLOOR = 90;
  /** Elastic's "warning": the residual evidence a regime shift needs (see {@link #combine}) */
  private static final double WARNING = 3;
  /** a regime event alerts only above this strength (after the discount) */
  private static final double MIN_EVENT_STRENGTH = 0.05;
  /** alerting residuals remembered for the repeat rule */
  private static final int ALERT_MEMORY = 8;

  private final AnomalyTuning tuning;
  /** −ln of the tuning's likelihood gate (+∞ when the gate is off) */
  private final double likelihoodRaw;
  private final double scaleRate;
  private final double maxDecay;
  private final int warmupPoints;
  private final double[] window;
  private final DecayingQuantileSketch sketch;
  private final DecayingQuantileSketch windowSketch;

  private double scale = Double.NaN;
  private double windowSum;
  private int windowPos;
  private int windowFill;
  private double maxRaw;
  private long scored;
  private final int episodePoints;
  private long episodeEnd;
  private double episodePeak;
  /** value of {@code scored} after the last point scoring at least "warning" */
  private long lastWarning = Long.MIN_VALUE / 2;
  private final int memoryPoints;
  /** {@code scored} after the last point whose window likelihood passed the gate */
  private long lastLikely = Long.MIN_VALUE / 2;
  /** series position ({@link #position}) of recent corroborated regime events, a ring */
  private final long[] events;
  private int eventPos;
  /** the last alerting residuals (score ≥ 50) and when they were scored, a ring */
  private final double[] alerts = new double[ALERT_MEMORY];
  private final long[] alertAt = new long[ALERT_MEMORY];
  private int alertPos;
  /** points combined so far; survives {@link #continuing} so event memory spans restarts */
  private long position;
  /** round 6's likelihood score (null: off), shared across restarts */
  private AnomalyLikelihood likelihood;

  /**
   * @param window W, short-window length in points
   * @param memoryPoints memory of the raw-score sketch and its maximum
   * @param warmupPoints points scored 0 at the start
   * @param episodePoints how long after an alerting point (score ≥ 50) further points belong to
   *     the same episode
   */
  public AnomalyScorer(int window, int memoryPoints, int warmupPoints, int episodePoints) {
    this(window, memoryPoints, warmupPoints, episodePoints, AnomalyTuning.ACTIVE);
  }

  /** As {@link #AnomalyScorer(int, int, int, int)} with the given combination constants. */
  public AnomalyScorer(int window, int memoryPoints, int warmupPoints, int episodePoints,
      AnomalyTuning tuning) {
    this.tuning = java.util.Objects.requireNonNull(tuning, "tuning");
    // more than 1/discount recent events already take any strength to 0
    this.events = new long[tuning.eventDiscount() > 0
        ? (int) Math.ceil(1 / tuning.eventDiscount()) : 1];
    this.likelihoodRaw = tuning.likelihoodGate() > 0 ? -Math.log(tuning.likelihoodGate())
        : Double.POSITIVE_INFINITY;
    this.episodePoints = episodePoints;
    this.window = new double[window];
    this.sketch = new DecayingQuantileSketch(memoryPoints);
    this.windowSketch = new DecayingQuantileSketch(memoryPoints);
    this.maxDecay = 1 - 1.0 / memoryPoints;
    this.scaleRate = 1.0 / Math.min(memoryPoints, 500);
    this.warmupPoints = warmupPoints;
    this.memoryPoints = memoryPoints;
    java.util.Arrays.fill(events, Long.MIN_VALUE / 2);
    java.util.Arrays.fill(alertAt, Long.MIN_VALUE / 2);
    this.likelihood = tuning.likelihoodScore() > 0
        ? new AnomalyLikelihood(tuning.significance(), window) : null;
  }

  /**
   * Carries the regime-event and alert memory of {@code previous} (a scorer this one replaces,
   * e.g. after a refit) over to this one; the residual statistics start afresh. Returns this.
   */
  public AnomalyScorer continuing(AnomalyScorer previous) {
    System.arraycopy(previous.events, 0, events, 0,
        Math.min(events.length, previous.events.length));
    eventPos = previous.eventPos;
    position = previous.position;
    // alerting residuals, re-timed to this scorer's count (the model, not the data, changed)
    for (int i = 0; i < alerts.length; i++) {
      alerts[i] = previous.alerts[i];
      alertAt[i] = previous.alertAt[i] - previous.scored;
    }
    alertPos = previous.alertPos;
    likelihood = previous.likelihood; // live points only: surprise is relative to either model
    return this;
  }

  /**
   * The assessment of one residual; the forecaster turns it into the public {@code AnomalyScore}
   * (adding the severity band), so this package does not depend on the API package above it.
   *
   * @param score 0–100 (Elastic ML semantics, see the class comment)
   * @param probability tail probability of the point, in (0, 1]
   * @param rawScore {@code -ln(probability)}
   * @param expected the forecast the point was compared with, passed through
   */
  public record Result(double score, double probability, double rawScore, double expected) {}

  /**
   * Whether {@code residuals} replayed residuals are enough to restart a scorer from (see {@link
   * #continuing}): the first {@value #STABILISE} only establish the running statistics and score
   * nothing, so a scorer primed with fewer would be blind to the next live points, and one primed
   * with barely more would judge them against a handful of raw scores. Twice that many leave as
   * many raw scores as were spent stabilising.
   */
  public static boolean enoughToRestart(int residuals) {
    return residuals >= 2 * STABILISE;
  }

  /** Points scored so far. */
  public long scored() {
    return scored;
  }

  /** Scores one residual. {@code expected} is only passed through to the result. */
  public Result score(double residual, double expected) {
    final double a = Math.abs(residual);
    final double s;
    if (Double.isNaN(scale)) {
      s = 0;
      scale = a;
    } else {
      s = scale > 0 ? Math.min(MAX_SURPRISE, a / scale) : (a == 0 ? 0 : MAX_SURPRISE);
      // running mean at first, exponential forgetting once enough points were seen
      scale += Math.max(scaleRate, 1.0 / (scored + 1)) * (a - scale);
    }
    windowSum += s - window[windowPos];
    window[windowPos] = s;
    windowPos = windowPos + 1 == window.length ? 0 : windowPos + 1;
    windowFill = Math.min(window.length, windowFill + 1);
    final double m = Math.max(0, windowSum) / windowFill;

    // Empirical tail of the window mean against its decayed history (HTM: a Gaussian's tail)
    double windowRaw = 0;
    if (windowSketch.count() >= STABILISE) {
      final double tail = Math.max(1 - windowSketch.fractionBelow(m),
          1.0 / (windowSketch.count() + 1));
      windowRaw = -Math.log(tail);
    }
    windowSketch.add(m);
    final double raw = Math.max(s, windowRaw);
    if (likelihood != null && !Double.isNaN(expected)) {
      likelihood.update(m, Math.min(scored + 1, memoryPoints), scored >= warmupPoints);
    }

    double score = 0;
    if (scored >= warmupPoints && sketch.count() > 0) {
      final boolean record = raw > maxRaw && raw >= MIN_RAW_FOR_MAX;
      if (record) {
        // a record: 90 at the previous maximum, 100 at twice it (probability p_max squared)
        score = 90 + 10 * Math.min(1, raw / maxRaw - 1);
      } else {
        score = Math.min(90, ScoreNormaliser.score(100 * sketch.fractionBelow(raw)));
      }
      final boolean inEpisode = scored < episodeEnd;
      final boolean alerting = score >= ALERT;
      if (inEpisode && raw <= EPISODE_FACTOR * episodePeak) {
        // same episode, not far more extreme than its peak: already reported
        score = Math.min(score, EPISODE_CAP);
      }
      if (alerting) {
        episodePeak = inEpisode ? Math.max(episodePeak, raw) : raw;
        episodeEnd = scored + 1 + episodePoints;
      }
      // Significance (class comment): ordinary for this series if expected once or more among
      // the n points remembered, however high its percentile. The window term's empirical tail
      // is never below 1/(count + 1), so it needs p · n < 1 and an absolute Gamma tail too.
      final double n = Math.min(scored + 1, memoryPoints);
      if (Math.exp(-s) * n * tuning.significance() >= 1
          && (Math.exp(-windowRaw) * n >= 1
              || windowTail(windowSum, windowFill) * n * tuning.significance() >= 1)) {
        score = Math.min(score, EPISODE_CAP);
      }
      // "Seen this before": a residual of this sign and size already alerted within the memory
      // (a level that keeps switching between the same values, a recurring burst), so its
      // percentile says nothing new. A record (more surprising than anything remembered,
      // relative to the residual scale) keeps its score: capping records too cost NAB 3 points.
      if (tuning.repeatRatio() > 0 && residual != 0) {
        if (!record && isRepeat(residual)) {
          score = Math.min(score, EPISODE_CAP);
        }
        if (alerting) {
          alerts[alertPos] = residual;
          alertAt[alertPos] = scored;
          alertPos = alertPos + 1 == alerts.length ? 0 : alertPos + 1;
        }
      }
    }
    if (!Double.isNaN(expected)) {
      // replayed residuals (no forecast to report) prime the statistics but are not news
      if (score >= WARNING) {
        lastWarning = scored + 1;
      }
      if (windowRaw >= likelihoodRaw) {
        lastLikely = scored + 1;
      }
    }
    if (scored >= STABILISE) {
      sketch.add(raw);
      maxRaw = Math.max(raw, maxRaw * maxDecay);
    }
    scored++;
    return new Result(score, Math.exp(-raw), raw, expected);
  }

  /**
   * P(S ≥ x) for S the sum of {@code k} independent unit exponentials (Gamma(k, 1)): the tail of
   * a window's summed surprise if each point's surprise were what the residual scale predicts
   * (s = |r| / b is a unit exponential for Laplace residuals, lighter-tailed for Gaussian ones).
   */
  static double windowTail(double x, int k) {
    if (!(x > 0)) {
      return 1;
    }
    double term = 1;
    double sum = 1;
    for (int j = 1; j < k; j++) {
      term *= x / j;
      sum += term;
    }
    return Math.min(1, Math.exp(Math.log(sum) - x));
  }

  private boolean isRepeat(double residual) {
    for (int i = 0; i < alerts.length; i++) {
      if (scored - alertAt[i] <= memoryPoints && alerts[i] * residual > 0
          && Math.abs(alerts[i]) >= tuning.repeatRatio() * Math.abs(residual)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Combines this scorer's latest result with the strength of a regime shift
   * ({@link RegimeDetector}, 0 for none, else in (0, 1]) as a ranked, corroborated maximum:
   *
   * <pre>
   *   residual  = r ≤ 90 ? r : 90 + 0.3·(r − 90)         records ranked in 90–93
   *   weight    = 1 if some residual score of the last W points reached 3, else 0
   *   strength  = weight · min(1, shift) − 0.05 · (events in the 300 points before)
   *   score     = max(residual, shift > 0 and strength > 0.05 ? 90 + 10·strength : 0)
   * </pre>
   *
   * <p>The constants are {@link AnomalyTuning}'s. With its likelihood gate g on, the weight is 1
   * only if the window term's tail fell below g within W points, else {@code unlikelyWeight} if a
   * warning did; a record whose likelihood is below g scores at least 90 + 10·{@code likelyRecord}.
   *
   * <p>The discount is a "seen this before" rule for regimes: a series whose distribution keeps
   * moving (slow drift, e.g. a temperature over seasons) produces a new regime every few dozen
   * points, and each further one is less news; NAB charged the undiscounted version 40 false
   * rows on one such file. Residual records rank between weak and strong regime events: a record
   * on a bursty series is often an ordinary burst, but not always (the factor 0.3, the memory
   * 300 and the discount 0.05 were chosen by leave-one-category-out cross-validation on NAB).
   *
   * <p>A new regime outranks residual records (often ordinary bursts on bursty series); requiring
   * a warning (score ≥ 3) within its window removes most of the shift test's false alarms on
   * stationary noise. Probability and raw score stay the residual's. With {@link
   * AnomalyTuning#likelihoodScore} on, the {@link AnomalyLikelihood} score joins the maximum.
   *
   * @param residual the result {@link #score} just returned
   * @param regimeShift what {@link RegimeDetector#update} returned for the same point
   */
  public Result combine(Result residual, double regimeShift) {
    return combine(residual, regimeShift, false);
  }

  /**
   * As {@link #combine(Result, double)}; {@code knownTransition} says the point jumped between
   * two levels the series has long held ({@link RegimeDetector#knownTransition}), which caps its
   * residual score at 24: "seen this before" for levels. A series switching between two usual
   * values would otherwise raise a residual record at a switch once the residual scale had shrunk
   * between switches.
   */
  public Result combine(Result residual, double regimeShift, boolean knownTransition) {
    if (knownTransition && residual.score() > EPISODE_CAP) {
      residual = new Result(EPISODE_CAP, residual.probability(), residual.rawScore(),
          residual.expected());
    }
    final double likely = likelihood == null ? 0 : likelihood.score(knownTransition);
    // corroboration: the residual score reached "warning" within the window or, with the
    // likelihood gate on, the window surprise was that improbable for this series
    final boolean warned = scored - lastWarning < RegimeDetector.WINDOW;
    final double weight = tuning.likelihoodGate() <= 0 ? (warned ? 1 : 0)
        : scored - lastLikely < RegimeDetector.WINDOW ? 1
        : warned ? tuning.unlikelyWeight() : 0;
    double regime = 0;
    if (regimeShift < 0 && likelihood != null) {
      // likelihood mode 2: a window only the one-sample test calls new counts if corroborated
      regimeShift = likelihood.passedWithin(RegimeDetector.WINDOW) ? -regimeShift : 0;
    }
    if (regimeShift > 0 && weight > 0) {
      int recent = 0;
      for (long t : events) {
        recent += position - t <= tuning.eventMemory() ? 1 : 0;
      }
      events[eventPos] = position;
      eventPos = eventPos + 1 == events.length ? 0 : eventPos + 1;
      final double strength =
          weight * Math.min(1, regimeShift) - tuning.eventDiscount() * recent;
      regime = strength > MIN_EVENT_STRENGTH ? RECORD_FLOOR + 10 * strength : 0;
    }
    position++;
    final double r = residual.score();
    final double ranked = r > RECORD_FLOOR ? RECORD_FLOOR + tuning.recordSpread() * (r - RECORD_FLOOR) : r;
    final double likelyRecord = r > RECORD_FLOOR && lastLikely == scored
        ? RECORD_FLOOR + 10 * tuning.likelyRecord() : 0;
    final double score = Math.max(Math.max(ranked, likelyRecord),
        Math.max(regime, likely));
    if (score == r) {
      return residual;
    }
    return new Result(score, residual.probability(), residual.rawScore(), residual.expected());
  }
}
