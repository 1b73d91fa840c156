package io.meshcast.forecast.anomaly;

import io.meshcast.forecast.AnomalyScore;
import io.meshcast.forecast.Severity;
import org.apache.commons.math3.special.Erf;

/**
 * Streaming anomaly score of forecast residuals, 0–100 with Elastic ML's semantics.
 *
 * <p>Per residual r (observation minus one-step forecast, in the interval scale):
 *
 * <pre>
 *   b          = exponentially weighted mean of |r| before this point (memory ≈ 1/ρ points)
 *   s          = |r| / b                        point surprise: −ln P(|R| ≥ |r|) for R ~ Laplace(0, b)
 *   m          = mean of s over the last W points          short-window aggregate
 *   μ, σ²      = exponentially weighted mean / variance of m (long-run distribution)
 *   p_window   = Q((m − μ) / σ)                 Gaussian upper tail, as HTM's anomaly likelihood
 *   raw        = max(s, −ln p_window),   p = e^−raw
 *   percentile = 100 × (decayed fraction of past raw scores below raw)
 *   score      = ScoreNormaliser(percentile), or 100 if raw exceeds every raw score still in memory
 * </pre>
 *
 * <p>Episodes: a score ≥ 50 opens an episode lasting {@code episodePoints} after the last
 * point that would have alerted. Within it, a point scores at most 24 (below "minor") unless its
 * raw score is more than twice the episode's peak, i.e. its probability is below the square of
 * the most extreme one seen in the episode. One
 * incident thus raises one alert, not one per point while the model re-adapts (alert fatigue; NAB
 * likewise counts only the first detection in a window and charges every further false one).
 *
 * The point term catches spikes, the window term sustained shifts whose single points are
 * unremarkable (Ahmad et al. 2017, "Unsupervised real-time anomaly detection for streaming data",
 * Neurocomputing 262:134–147, §4.2). The percentile step calibrates per series: a noisy series
 * does not alert more often than a quiet one. Scores are 0 during the first {@code warmupPoints}
 * points. O(1) per point (plus a 320-bin scan), no allocation besides the result; not
 * thread-safe.
 */
public final class AnomalyScorer {
  /** raw score below which a point is never forced to 100 (p ≥ 1 %) */
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

  private final double scaleRate;
  private final double longRate;
  private final double maxDecay;
  private final int warmupPoints;
  private final double[] window;
  private final DecayingQuantileSketch sketch;

  private double scale = Double.NaN;
  private double windowSum;
  private int windowPos;
  private int windowFill;
  private double longMean = Double.NaN;
  private double longVar;
  private double maxRaw;
  private long scored;
  private final int episodePoints;
  private long episodeEnd;
  private double episodePeak;

  /**
   * @param window W, short-window length in points
   * @param memoryPoints memory of the raw-score sketch and its maximum
   * @param warmupPoints points scored 0 at the start
   * @param episodePoints how long after an alerting point (score ≥ 50) further points belong to
   *     the same episode
   */
  public AnomalyScorer(int window, int memoryPoints, int warmupPoints, int episodePoints) {
    this.episodePoints = episodePoints;
    this.window = new double[window];
    this.sketch = new DecayingQuantileSketch(memoryPoints);
    this.maxDecay = 1 - 1.0 / memoryPoints;
    this.scaleRate = 1.0 / Math.min(memoryPoints, 500);
    this.longRate = 1.0 / Math.min(memoryPoints, 2_000);
    this.warmupPoints = warmupPoints;
  }

  /** Points scored so far. */
  public long scored() {
    return scored;
  }

  /** Scores one residual. {@code expected} is only passed through to the result. */
  public AnomalyScore score(double residual, double expected) {
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

    double windowRaw = 0;
    if (Double.isNaN(longMean)) {
      longMean = m;
    } else {
      final double sd = Math.sqrt(longVar);
      if (sd > 1e-12) {
        windowRaw = Math.min(MAX_SURPRISE, minusLnUpperTail((m - longMean) / sd));
      } else if (m > longMean + 1e-12) {
        windowRaw = MAX_SURPRISE;
      }
      final double d = m - longMean;
      final double rate = Math.max(longRate, 1.0 / (scored + 1));
      longMean += rate * d;
      longVar = (1 - rate) * (longVar + rate * d * d);
    }
    final double raw = Math.max(s, windowRaw);

    double score = 0;
    if (scored >= warmupPoints && sketch.count() > 0) {
      if (raw > maxRaw && raw >= MIN_RAW_FOR_MAX) {
        score = 100;
      } else {
        score = ScoreNormaliser.score(100 * sketch.fractionBelow(raw));
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
    }
    if (scored >= STABILISE) {
      // the first points only establish the running statistics; their raw scores are transients
      sketch.add(raw);
      maxRaw = Math.max(raw, maxRaw * maxDecay);
    }
    scored++;
    return new AnomalyScore(score, Severity.of(score), Math.exp(-raw), raw, expected);
  }

  /** −ln Q(z) for the standard normal upper tail; ≈ 0.69 at z = 0, 0 for very negative z. */
  static double minusLnUpperTail(double z) {
    if (z < -8) {
      return 0;
    }
    if (z < 25) {
      return -Math.log(0.5 * Erf.erfc(z / Math.sqrt(2)));
    }
    // Mills-ratio asymptote: Q(z) ≈ φ(z)/z
    return 0.5 * z * z + Math.log(z * Math.sqrt(2 * Math.PI));
  }
}
