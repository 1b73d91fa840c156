package io.meshcast.adapter.pipeline;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.snapshots.Unit;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The pipeline's own metrics, so every policy decision and every query is visible. Create once
 * per registry (names can be registered only once); survives config reloads. Thread-safe.
 */
public final class PipelineMetrics {

  /** Policy decisions, the {@code decision} label of {@code ..._policy_decisions_total}. */
  public enum Decision {
    STALE,
    NOT_YET_REFRESHED,
    EMPTY_ERROR,
    /**
     * An object a list answer ({@code pods/*}) leaves out because it has no series (e.g. a Pending
     * pod): not an error, the rest of the list is served; the HPA treats a missing pod
     * conservatively.
     */
    ABSENT_FROM_LIST,
    EMPTY_FALLBACK,
    NAN_ERROR,
    NAN_FALLBACK,
    /** Too few samples in the rate window and the last complete value older than maxAge. */
    INSUFFICIENT_WINDOW
  }

  private final Counter queries;
  private final Histogram queryDuration;
  private final Counter decisions;
  private final Counter refreshes;
  private final Counter unidentified;
  private final Gauge refreshSeconds;
  private final Gauge series;
  private final Counter windows;

  public PipelineMetrics(PrometheusRegistry registry) {
    queries = Counter.builder()
        .name("meshcast_source_queries_total")
        .help("Queries sent to Prometheus by the background refresh, by metric and outcome")
        .labelNames("metric", "level", "outcome")
        .register(registry);
    queryDuration = Histogram.builder()
        .name("meshcast_source_query_duration_seconds")
        .help("Latency of PromQL queries to the metrics source, by metric, level and kind "
            + "(instant for refreshes, range for bootstrap, coverage for the window-coverage "
            + "companion (metric window_coverage), covered for covered-span values), failures "
            + "included")
        .unit(Unit.SECONDS)
        .classicUpperBounds(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)
        .labelNames("metric", "level", "kind")
        .register(registry);
    decisions = Counter.builder()
        .name("meshcast_policy_decisions_total")
        .help("Requests answered by a stale/empty/NaN policy instead of a fresh value")
        .labelNames("metric", "decision")
        .register(registry);
    refreshes = Counter.builder()
        .name("meshcast_refresh_completed_total")
        .help("Completed background refreshes")
        .register(registry);
    unidentified = Counter.builder()
        .name("meshcast_refresh_unidentified_series_total")
        .help("Result series whose labels named no Kubernetes object (dropped)")
        .labelNames("metric", "level")
        .register(registry);
    refreshSeconds = Gauge.builder()
        .name("meshcast_refresh_last_duration_seconds")
        .help("Wall time of the last background refresh (all queries, in parallel)")
        .unit(Unit.SECONDS)
        .register(registry);
    series = Gauge.builder()
        .name("meshcast_snapshot_series")
        .help("Series held in the current snapshot, by metric and level")
        .labelNames("metric", "level")
        .register(registry);
    windows = Counter.builder()
        .name("meshcast_refresh_partial_windows_total")
        .help("Refreshed values whose rate window was not covered well enough by samples, by"
            + " metric, level and outcome: partial (served from the covered span, not fed to the"
            + " models), insufficient (too few samples: the staleness policy applies) or"
            + " unmeasured (the source gave no coverage rows; served unchecked)")
        .labelNames("metric", "level", "outcome")
        .register(registry);
  }

  /** A registry of its own, for tests and tools. */
  public static PipelineMetrics unregistered() {
    return new PipelineMetrics(new PrometheusRegistry());
  }

  void queryDuration(MetricDefinition d, String kind, long nanos) {
    queryDuration(d.name(), d.level(), kind, nanos);
  }

  void queryDuration(String metric, Level level, String kind, long nanos) {
    queryDuration.labelValues(metric, level.label(), kind).observe(Unit.nanosToSeconds(nanos));
  }

  void windows(MetricDefinition d, int partial, int insufficient) {
    if (partial > 0) {
      windows.labelValues(d.name(), d.level().label(), "partial").inc(partial);
    }
    if (insufficient > 0) {
      windows.labelValues(d.name(), d.level().label(), "insufficient").inc(insufficient);
    }
  }

  void unmeasured(MetricDefinition d, int n) {
    if (n > 0) {
      windows.labelValues(d.name(), d.level().label(), "unmeasured").inc(n);
    }
  }

  /** Partial ({@code insufficient=false}) or insufficient windows counted so far. */
  public double windows(String metric, Level level, boolean insufficient) {
    return windows.labelValues(metric, level.label(), insufficient ? "insufficient" : "partial")
        .get();
  }

  void query(MetricDefinition d, boolean ok) {
    queries.labelValues(d.name(), d.level().label(), ok ? "ok" : "error").inc();
  }

  /** Counts one policy decision taken while answering a request. */
  public void decision(String metric, Decision decision) {
    decisions.labelValues(metric, decision.name().toLowerCase(java.util.Locale.ROOT)).inc();
  }

  public double decisions(String metric, Decision decision) {
    return decisions.labelValues(metric, decision.name().toLowerCase(java.util.Locale.ROOT)).get();
  }

  public double queries(String metric, Level level, boolean ok) {
    return queries.labelValues(metric, level.label(), ok ? "ok" : "error").get();
  }

  void refreshed(double seconds) {
    refreshes.inc();
    refreshSeconds.set(seconds);
  }

  void unidentified(MetricDefinition d, int n) {
    if (n > 0) {
      unidentified.labelValues(d.name(), d.level().label()).inc(n);
    }
  }

  void series(MetricDefinition d, int n) {
    series.labelValues(d.name(), d.level().label()).set(n);
  }
}
