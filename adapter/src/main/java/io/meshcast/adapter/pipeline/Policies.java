package io.meshcast.adapter.pipeline;

import io.meshcast.adapter.config.PolicyConfig;
import io.meshcast.adapter.pipeline.PipelineMetrics.Decision;
import io.meshcast.adapter.provider.MetricsException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * Applies the configured staleness, empty and NaN policies when a request reads the snapshot.
 * Every decision other than "fresh finite value" is logged (fine level: one line per request would
 * flood at HPA rates; the counter is the primary signal) and counted. Thread-safe.
 */
public final class Policies {

  private static final Logger LOG = Logger.getLogger(Policies.class.getName());

  private final Function<String, PolicyConfig> policyFor;
  private final PipelineMetrics metrics;
  private final Clock clock;

  public Policies(Function<String, PolicyConfig> policyFor, PipelineMetrics metrics, Clock clock) {
    this.policyFor = policyFor;
    this.metrics = metrics;
    this.clock = clock;
  }

  /**
   * Fails with 503 unless the result was refreshed within the metric's {@code maxAge}. The message
   * names the metric, its age and the latest refresh error.
   */
  public void requireFresh(MetricResult r) {
    String metric = r.definition().name();
    if (r.refreshedAt().isEmpty()) {
      metrics.decision(metric, Decision.NOT_YET_REFRESHED);
      throw new MetricsException.Unavailable("metric " + metric + " has no data yet: "
          + r.lastError().map(e -> "queries are failing: " + e)
              .orElse("the first refresh has not completed"));
    }
    Duration maxAge = policyFor.apply(metric).maxAge();
    Duration age = Duration.between(r.refreshedAt().get(), clock.instant());
    if (age.compareTo(maxAge) > 0) {
      metrics.decision(metric, Decision.STALE);
      String why = "metric " + metric + " is stale: last successful refresh " + age.toSeconds()
          + "s ago, maxAge " + maxAge.toSeconds() + "s"
          + r.lastError().map(e -> "; last error: " + e).orElse("");
      LOG.fine(why);
      throw new MetricsException.Unavailable(why);
    }
  }

  /**
   * The value to serve for an object, given what the snapshot has for it.
   *
   * @param value empty if no series names the object
   * @param object human-readable object, e.g. {@code services kuma-demo/backend}
   * @throws MetricsException.NotFound when empty and no fallback is configured
   * @throws MetricsException.Unavailable when NaN and no fallback is configured
   */
  public double resolve(String metric, Optional<Double> value, String object) {
    PolicyConfig p = policyFor.apply(metric);
    if (value.isEmpty()) {
      if (p.onEmpty().isPresent()) {
        metrics.decision(metric, Decision.EMPTY_FALLBACK);
        LOG.fine(() -> "metric " + metric + " has no series for " + object + "; serving fallback "
            + p.onEmpty().getAsDouble());
        return p.onEmpty().getAsDouble();
      }
      metrics.decision(metric, Decision.EMPTY_ERROR);
      throw new MetricsException.NotFound("the server could not find the metric " + metric
          + " for " + object + " (no series in the latest refresh)");
    }
    double v = value.get();
    if (Double.isNaN(v)) {
      if (p.onNaN().isPresent()) {
        metrics.decision(metric, Decision.NAN_FALLBACK);
        return p.onNaN().getAsDouble();
      }
      metrics.decision(metric, Decision.NAN_ERROR);
      throw new MetricsException.Unavailable("metric " + metric + " for " + object
          + " is undefined (NaN), e.g. a ratio or quantile without traffic in the window;"
          + " configure metrics." + metric + ".onNaN to serve a fallback");
    }
    return v;
  }

  /** The policy's clock, for timestamps of fallback values. */
  public Instant now() {
    return clock.instant();
  }
}
