package io.meshcast.adapter.predict;

import io.meshcast.adapter.config.PredictConfig;
import io.meshcast.adapter.pipeline.Level;
import io.meshcast.adapter.pipeline.SeriesIdentity;
import io.meshcast.forecast.AnomalyScore;
import io.meshcast.forecast.ForecastPoint;
import io.meshcast.forecast.ForecasterConfig;
import io.meshcast.forecast.ModelStatus;
import io.meshcast.forecast.SeriesForecaster;
import io.meshcast.forecast.Severity;
import java.time.Instant;
import java.util.Optional;

/**
 * One series' forecaster on its regular grid: feeds each observation at most once per grid step
 * and keeps the latest {@link SeriesReport}, whose served value comes from {@link
 * ServingDecision}.
 *
 * <p>Not thread-safe by itself: {@link #observe} is called by one refresh at a time; the
 * forecaster's own lock makes concurrent refits safe.
 */
final class SeriesModel {

  private final SeriesForecaster forecaster;
  private final long stepMillis;
  private final ServingDecision decision;
  private final RecentHistory recent;
  private long anchorMillis;
  private long lastIndex = Long.MIN_VALUE;
  volatile boolean refitting;
  volatile long lastSeenGeneration;
  private volatile SeriesReport report;

  SeriesModel(SeriesForecaster forecaster, Optional<Long> lastBootstrapMillis,
      ServingDecision decision) {
    this.forecaster = forecaster;
    this.stepMillis = forecaster.config().stepMillis();
    this.decision = decision;
    this.recent = new RecentHistory(decision.leadSteps(), decision.windowSteps(),
        forecaster.config().historyCapacity());
    lastBootstrapMillis.ifPresent(t -> {
      anchorMillis = t;
      lastIndex = 0;
    });
  }

  /** Seeds the recent history with bootstrap points (oldest first). */
  void seed(double[] grid) {
    for (double v : grid) {
      recent.add(v);
    }
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
      recent.add(v);
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
    ServingDecision.Decision d = decision.decide(forecaster, value, recent);
    ModelStatus status = forecaster.status();
    double lower = Double.NaN;
    double upper = Double.NaN;
    if (d.path() != null) {
      ForecastPoint atLead = d.path().at(d.path().points().size());
      lower = atLead.lower80();
      upper = atLead.upper80();
    }
    String object = level == Level.POD ? identity.pod()
        : identity.service().isEmpty() ? identity.kumaService() : identity.service();
    report = new SeriesReport(id, signalOf(id), level, identity.namespace(), object,
        identity.kumaService(), identity.labels(), value, at, d.forecast(), lower, upper,
        d.served(), anomaly, Severity.of(anomaly), status.modelName(), status.relativeError(),
        d.fallback().isEmpty(), d.fallback().map(r -> d.detail()), status.historySize(),
        status.refits(), d.path(), d.rule(), d.fallback());
    return fresh;
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
