package io.meshcast.adapter.pipeline;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.meshcast.adapter.config.PolicyConfig;
import io.meshcast.adapter.pipeline.PipelineMetrics.Decision;
import io.meshcast.adapter.provider.MetricsException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Applies the configured staleness, empty and NaN policies when a request reads the snapshot.
 * Every decision other than "fresh finite value" is counted, and logged once per metric, decision
 * and object per minute (at INFO; at FINE for objects merely absent from a list answer, which are
 * routine: every Pending pod) (a Caffeine cache with expiry and a size bound remembers what
 * was logged: HPAs ask every 15 s per object, and a line per request would flood). Thread-safe.
 */
public final class Policies {

  private static final Logger LOG = Logger.getLogger(Policies.class.getName());

  private final Function<String, PolicyConfig> policyFor;
  private final PipelineMetrics metrics;
  private final Clock clock;
  private final Cache<String, Boolean> logged;

  public Policies(Function<String, PolicyConfig> policyFor, PipelineMetrics metrics, Clock clock) {
    this.policyFor = policyFor;
    this.metrics = metrics;
    this.clock = clock;
    this.logged = Caffeine.newBuilder()
        .expireAfterWrite(Duration.ofMinutes(1))
        .maximumSize(10_000)
        .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
        .build();
  }

  private void decide(String metric, Decision d, String object, String detail) {
    metrics.decision(metric, d);
    Level level = d == Decision.ABSENT_FROM_LIST ? Level.FINE : Level.INFO;
    if (!LOG.isLoggable(level)) {
      return;
    }
    String key = metric + "|" + d + "|" + object;
    if (logged.asMap().putIfAbsent(key, Boolean.TRUE) == null) {
      LOG.log(level, "event=policy decision=" + d.name().toLowerCase(java.util.Locale.ROOT)
          + " metric=" + metric + " object=\"" + object + "\" detail=\"" + detail
          + "\" (logged once a minute per metric, decision and object)");
    }
  }

  /**
   * Fails with 503 unless the result was refreshed within the metric's {@code maxAge}. The message
   * names the metric, its age and the latest refresh error.
   */
  public void requireFresh(MetricResult r) {
    String metric = r.definition().name();
    if (r.refreshedAt().isEmpty()) {
      String why = "metric " + metric + " has no data yet: "
          + r.lastError().map(e -> "queries are failing: " + e)
              .orElse("the first refresh has not completed");
      decide(metric, Decision.NOT_YET_REFRESHED, "*", why);
      throw new MetricsException.Unavailable(why);
    }
    Duration maxAge = policyFor.apply(metric).maxAge();
    Duration age = Duration.between(r.refreshedAt().get(), clock.instant());
    if (age.compareTo(maxAge) > 0) {
      String why = "metric " + metric + " is stale: last successful refresh " + age.toSeconds()
          + "s ago, maxAge " + maxAge.toSeconds() + "s"
          + r.lastError().map(e -> "; last error: " + e).orElse("");
      decide(metric, Decision.STALE, "*", why);
      throw new MetricsException.Unavailable(why);
    }
  }

  /**
   * Fails with 503 when a series for the object had too few samples in its rate window (a
   * Prometheus restart, a scrape gap, a pod seen once) and its last complete value is older than
   * the metric's {@code maxAge} or does not exist: the staleness policy, applied per series. A
   * younger complete value is served as it is (with its own timestamp).
   */
  public void requireComplete(String metric, java.util.List<SeriesValue> series, String object) {
    for (SeriesValue v : series) {
      if (v.coverage().state() != WindowCoverage.State.INSUFFICIENT) {
        continue;
      }
      Duration maxAge = policyFor.apply(metric).maxAge();
      Duration age = Duration.between(v.timestamp(), clock.instant());
      if (Double.isNaN(v.value()) || age.compareTo(maxAge) > 0) {
        String why = "metric " + metric + " for " + object + " is stale: its "
            + "rate window is covered " + Math.round(v.coverage().fraction() * 100)
            + " % by samples, with " + v.coverage().samples() + " sample(s) in the least covered"
            + " series (Prometheus or scrape gap, or a new pod), too few for a rate; "
            + (Double.isNaN(v.value()) ? "no complete value before it"
                : "last complete value " + age.toSeconds() + "s old, maxAge "
                    + maxAge.toSeconds() + "s");
        decide(metric, Decision.INSUFFICIENT_WINDOW, object, why);
        throw new MetricsException.Unavailable(why);
      }
    }
  }

  /**
   * The last instant at which {@link #requireFresh} still passes for {@code r} (its refresh time
   * plus {@code maxAge}); {@link Instant#MIN} when it fails already. Past it, the same snapshot
   * answers 503: an answer built from {@code r} may be reused until then, never after.
   */
  public Instant freshUntil(MetricResult r) {
    if (r.refreshedAt().isEmpty()) {
      return Instant.MIN;
    }
    return plusSaturated(r.refreshedAt().get(), policyFor.apply(r.definition().name()).maxAge());
  }

  /**
   * The last instant at which {@link #requireComplete} still passes for {@code series}: the
   * earliest {@code timestamp + maxAge} of a series whose window is insufficient (its last
   * complete value is served only while that young), {@link Instant#MAX} when none is.
   */
  public Instant completeUntil(String metric, java.util.List<SeriesValue> series) {
    Instant until = Instant.MAX;
    for (SeriesValue v : series) {
      if (v.coverage().state() != WindowCoverage.State.INSUFFICIENT) {
        continue;
      }
      if (Double.isNaN(v.value())) {
        return Instant.MIN;
      }
      Instant t = plusSaturated(v.timestamp(), policyFor.apply(metric).maxAge());
      until = t.isBefore(until) ? t : until;
    }
    return until;
  }

  private static Instant plusSaturated(Instant t, Duration d) {
    try {
      return t.plus(d);
    } catch (java.time.DateTimeException | ArithmeticException e) {
      return d.isNegative() ? Instant.MIN : Instant.MAX;
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
        decide(metric, Decision.EMPTY_FALLBACK, object,
            "no series; serving fallback " + p.onEmpty().getAsDouble());
        return p.onEmpty().getAsDouble();
      }
      decide(metric, Decision.EMPTY_ERROR, object, "no series; answering NotFound");
      throw new MetricsException.NotFound("the server could not find the metric " + metric
          + " for " + object + " (no series in the latest refresh)");
    }
    double v = value.get();
    if (Double.isNaN(v)) {
      if (p.onNaN().isPresent()) {
        decide(metric, Decision.NAN_FALLBACK, object,
            "value is NaN; serving fallback " + p.onNaN().getAsDouble());
        return p.onNaN().getAsDouble();
      }
      decide(metric, Decision.NAN_ERROR, object, "value is NaN; answering ServiceUnavailable");
      throw new MetricsException.Unavailable("metric " + metric + " for " + object
          + " is undefined (NaN), e.g. a ratio or quantile without traffic in the window;"
          + " configure metrics." + metric + ".onNaN to serve a fallback");
    }
    return v;
  }

  /**
   * Like {@link #resolve} for one object of a list answer, except that an object without series
   * and without an {@code onEmpty} fallback is not decided here: it is returned empty, and the
   * caller either reports it with {@link #absentFromList} (the list has other items) or resolves
   * the whole list as empty (it has none).
   */
  public Optional<Double> resolveInList(String metric, Optional<Double> value, String object) {
    if (value.isEmpty() && policyFor.apply(metric).onEmpty().isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(resolve(metric, value, object));
  }

  /** Counts (and logs at FINE) an object a successful list answer leaves out for want of data. */
  public void absentFromList(String metric, String object) {
    decide(metric, Decision.ABSENT_FROM_LIST, object, "no series; left out of the list answer");
  }

  /** The policy's clock, for timestamps of fallback values. */
  public Instant now() {
    return clock.instant();
  }
}
