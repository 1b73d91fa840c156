package io.meshcast.adapter.predict;

import io.meshcast.adapter.pipeline.Level;
import io.meshcast.adapter.pipeline.SeriesIdentity;
import io.meshcast.adapter.predict.PredictConfig.Safety;
import io.meshcast.forecast.AnomalyScore;
import io.meshcast.forecast.Forecast;
import io.meshcast.forecast.ForecastPoint;
import io.meshcast.forecast.ForecasterConfig;
import io.meshcast.forecast.ModelStatus;
import io.meshcast.forecast.SeriesForecaster;
import io.meshcast.forecast.Severity;
import java.time.Instant;
import java.util.Optional;

/**
 * One series' forecaster plus the safety rules that turn its forecast into a served value.
 *
 * <p>Served forecast, with {@code y} the latest observation and {@code F(h)} the mean forecast h
 * steps ahead, {@code L} the lead in steps:
 *
 * <pre>
 *   peak   = max_{h=1..L} F(h)                      (scale for the highest predicted point)
 *   served = y                                      if the model is untrustworthy (fallback)
 *          = max(peak, y)                           safety MAX_WITH_OBSERVED (default)
 *          = peak                                   safety FORECAST
 *   then clipped to the signal's range ([0, inf), [0, 1] for ratios)
 * </pre>
 *
 * A model is untrustworthy when the forecaster says so (history shorter than its minimum, no refit
 * yet, or recent error worse than naive) or when its recent error exceeds {@code
 * maxRelativeError} times the naive forecast's. A NaN observation gives a NaN served value: the
 * base metric's NaN policy decides what the HPA sees.
 *
 * <p>Not thread-safe by itself: {@link #observe} is called by one refresh at a time; the
 * forecaster's own lock makes concurrent refits safe.
 */
final class SeriesModel {

  private final SeriesForecaster forecaster;
  private final long stepMillis;
  private final int leadSteps;
  private final Safety safety;
  private final double maxRelativeError;
  private final boolean ratio;
  private long anchorMillis;
  private long lastIndex = Long.MIN_VALUE;
  volatile boolean refitting;
  volatile long lastSeenGeneration;
  private volatile SeriesReport report;

  SeriesModel(SeriesForecaster forecaster, Optional<Long> lastBootstrapMillis, int leadSteps,
      Safety safety, double maxRelativeError, boolean ratio) {
    this.forecaster = forecaster;
    this.stepMillis = forecaster.config().stepMillis();
    this.leadSteps = Math.max(1, leadSteps);
    this.safety = safety;
    this.maxRelativeError = maxRelativeError;
    this.ratio = ratio;
    lastBootstrapMillis.ifPresent(t -> {
      anchorMillis = t;
      lastIndex = 0;
    });
  }

  SeriesForecaster forecaster() {
    return forecaster;
  }

  SeriesReport report() {
    return report;
  }

  /**
   * Feeds one observation (ignored when it falls on the grid step already fed, e.g. two refreshes
   * within one step) and recomputes the report. Returns whether the point was new.
   */
  boolean observe(String id, Level level, SeriesIdentity identity, Instant at, double value) {
    long t = at.toEpochMilli();
    if (lastIndex == Long.MIN_VALUE) {
      anchorMillis = t;
      lastIndex = -1;
    }
    long index = Math.floorDiv(t - anchorMillis + stepMillis / 2, stepMillis);
    boolean fresh = index > lastIndex;
    AnomalyScore score = null;
    if (fresh) {
      lastIndex = index;
      double v = Double.isInfinite(value) ? Double.NaN : value;
      try {
        score = forecaster.update(anchorMillis + index * stepMillis, v);
      } catch (IllegalArgumentException e) {
        // The grid guard above makes this unreachable; keep serving the previous state if not.
        score = AnomalyScore.missing(Double.NaN);
      }
    }
    SeriesReport previous = report;
    double anomaly = score != null ? score.score()
        : previous == null ? 0 : previous.anomalyScore();
    report = compute(id, level, identity, at, value, anomaly);
    return fresh;
  }

  private SeriesReport compute(String id, Level level, SeriesIdentity identity, Instant at,
      double observed, double anomaly) {
    ModelStatus status = forecaster.status();
    Forecast path = null;
    double peak = Double.NaN;
    double lower = Double.NaN;
    double upper = Double.NaN;
    if (status.pointsSeen() > 0) {
      path = forecaster.forecast(leadSteps);
      for (ForecastPoint p : path.points()) {
        peak = Double.isNaN(peak) ? p.mean() : Math.max(peak, p.mean());
      }
      ForecastPoint atLead = path.at(leadSteps);
      lower = atLead.lower80();
      upper = atLead.upper80();
    }
    Optional<String> fallback = fallbackReason(status);
    double served;
    if (Double.isNaN(observed)) {
      served = Double.NaN;
    } else if (fallback.isPresent() || Double.isNaN(peak)) {
      served = observed;
    } else if (safety == Safety.MAX_WITH_OBSERVED) {
      served = Math.max(peak, observed);
    } else {
      served = peak;
    }
    served = clip(served);
    String object = level == Level.POD ? identity.pod()
        : identity.service().isEmpty() ? identity.kumaService() : identity.service();
    return new SeriesReport(id, signalOf(id), level, identity.namespace(), object,
        identity.kumaService(), identity.labels(), observed, at, clip(peak), lower, upper, served,
        anomaly, Severity.of(anomaly), status.modelName(), status.relativeError(),
        fallback.isEmpty(), fallback, status.historySize(), status.refits(), path);
  }

  private Optional<String> fallbackReason(ModelStatus s) {
    int min = forecaster.config().minFitPoints();
    if (s.historySize() < min) {
      return Optional.of("insufficient history: " + s.historySize() + " of " + min + " points");
    }
    if (s.refits() == 0) {
      return Optional.of("no model fitted yet");
    }
    double rel = s.relativeError();
    if (!Double.isNaN(rel) && rel > maxRelativeError) {
      return Optional.of(String.format(java.util.Locale.ROOT,
          "recent error %.2f x naive exceeds %.2f", rel, maxRelativeError));
    }
    if (!s.trustworthy()) {
      return Optional.of("model untrustworthy (recent error worse than naive)");
    }
    return Optional.empty();
  }

  private double clip(double v) {
    if (Double.isNaN(v)) {
      return v;
    }
    double x = Math.max(0, v);
    return ratio ? Math.min(1, x) : x;
  }

  private static String signalOf(String id) {
    String tail = id.substring(id.lastIndexOf('/') + 1);
    int at = tail.indexOf('@');
    return at < 0 ? tail : tail.substring(0, at);
  }

  /** The forecaster settings for a series with the given step and lead. */
  static ForecasterConfig forecasterConfig(PredictConfig c, java.time.Duration step, int lead) {
    int h = Math.max(2, lead);
    int capacity = Math.max(c.historyPoints(), 8 * h);
    ForecasterConfig d = ForecasterConfig.defaults(step)
        .withMinFitPoints(Math.max(32, 4 * h))
        .withMaxHorizonSteps(h)
        .withMinFitPoints(Math.min(capacity, Math.max(32, 4 * h)))
        .withHistoryCapacity(capacity);
    // Memories scale with the model's history rather than with wall time, so a time-compressed
    // demo behaves like production: the error tracking (default: a day of points, which barely
    // moves at short steps) remembers a quarter of the history, and an anomaly episode (default:
    // two hours) lasts at most 1/24 of it.
    ForecasterConfig f = new ForecasterConfig(d.step(), d.maxHorizonSteps(), d.historyCapacity(),
        d.refitEverySteps(), d.minFitPoints(), d.gapPolicy(),
        Math.min(d.errorMemoryPoints(), Math.max(100, capacity / 4)), d.anomalyWindow(),
        d.anomalyMemoryPoints(), c.anomalyWarmupPoints(),
        Math.min(d.anomalyEpisodePoints(), Math.max(10, capacity / 24)));
    if (c.refitEvery().isPresent()) {
      f = f.withRefitEverySteps((int) Math.max(1,
          c.refitEvery().get().toMillis() / step.toMillis()));
    }
    return f;
  }
}
