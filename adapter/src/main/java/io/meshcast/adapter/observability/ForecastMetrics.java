package io.meshcast.adapter.observability;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.function.DoubleSupplier;

/**
 * The predictive layer's own metrics: model fits, forecast error relative to naive per series
 * class (signal and level), anomaly score distribution, fallbacks to the observed value, series
 * count, processing time and snapshot age. Create once per registry. Thread-safe.
 */
public final class ForecastMetrics {

  private final Counter fits;
  private final Histogram fitSeconds;
  private final Counter fallbacks;
  private final Gauge fallbackSeries;
  private final Gauge relativeError;
  private final Gauge series;
  private final Histogram anomalyScores;
  private final Histogram updateSeconds;
  private final Counter unavailable;
  private final Counter bootstrapPoints;
  private final Counter partialSkipped;

  /** Registers every metric; {@code snapshotAgeSeconds} is read at scrape time. */
  public ForecastMetrics(PrometheusRegistry registry, DoubleSupplier snapshotAgeSeconds) {
    fits = Counter.builder()
        .name("meshcast_forecast_fits_total")
        .help("Model refits run on the worker pool, by outcome")
        .labelNames("outcome")
        .register(registry);
    fitSeconds = Histogram.builder()
        .name("meshcast_forecast_fit_duration_seconds")
        .help("Wall time of one model refit (seasonality, parameters, model selection)")
        .unit(Unit.SECONDS)
        .classicUpperBounds(0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
        .register(registry);
    fallbacks = Counter.builder()
        .name("meshcast_forecast_fallbacks_total")
        .help("Series-refreshes whose forecast metric served the observed value instead of the "
            + "forecast, by signal and reason")
        .labelNames("signal", "reason")
        .register(registry);
    fallbackSeries = Gauge.builder()
        .name("meshcast_forecast_fallback_series")
        .help("Series currently serving the observed value as their forecast, by signal, level "
            + "and reason")
        .labelNames("signal", "level", "reason")
        .register(registry);
    relativeError = Gauge.builder()
        .name("meshcast_forecast_relative_error_ratio")
        .help("Recent forecast MAE divided by the naive forecast's MAE (a rolling MASE-like "
            + "ratio; < 1 beats naive), mean over the series of a class")
        .unit(Unit.RATIO)
        .labelNames("signal", "level")
        .register(registry);
    series = Gauge.builder()
        .name("meshcast_forecast_series")
        .help("Series with a forecasting model, by signal and level")
        .labelNames("signal", "level")
        .register(registry);
    anomalyScores = Histogram.builder()
        .name("meshcast_anomaly_score")
        .help("Anomaly scores (0-100) of observed points, by signal")
        .classicUpperBounds(3, 25, 50, 75, 90, 100)
        .labelNames("signal")
        .register(registry);
    updateSeconds = Histogram.builder()
        .name("meshcast_forecast_update_duration_seconds")
        .help("Time to feed one refresh's observations to the models and derive the served "
            + "metrics")
        .unit(Unit.SECONDS)
        .classicUpperBounds(0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5)
        .register(registry);
    unavailable = Counter.builder()
        .name("meshcast_forecast_unavailable_total")
        .help("Requests for a derived metric answered with an error (stale data, bootstrapping, "
            + "no series), by metric")
        .labelNames("metric")
        .register(registry);
    bootstrapPoints = Counter.builder()
        .name("meshcast_forecast_bootstrap_points_total")
        .help("Historical points loaded from Prometheus range queries to bootstrap models")
        .register(registry);
    partialSkipped = Counter.builder()
        .name("meshcast_forecast_partial_observations_skipped_total")
        .help("Refreshed values not fed to the forecasters and anomaly scorer because their rate"
            + " window was only partly covered by samples, by metric")
        .labelNames("metric")
        .register(registry);
    GaugeWithCallback.builder()
        .name("meshcast_snapshot_age_seconds")
        .help("Age of the metrics snapshot being served (time since the last refresh published)")
        .unit(Unit.SECONDS)
        .callback(cb -> cb.call(snapshotAgeSeconds.getAsDouble()))
        .register(registry);
  }

  public void fit(boolean ok, long nanos) {
    fits.labelValues(ok ? "ok" : "error").inc();
    if (ok) {
      fitSeconds.observe(Unit.nanosToSeconds(nanos));
    }
  }

  public void fallback(String signal, String reason) {
    fallbacks.labelValues(signal, reason).inc();
  }

  public void fallbackSeries(String signal, String level, String reason, int n) {
    fallbackSeries.labelValues(signal, level, reason).set(n);
  }

  public void relativeError(String signal, String level, double mean) {
    relativeError.labelValues(signal, level).set(mean);
  }

  public void series(String signal, String level, int n) {
    series.labelValues(signal, level).set(n);
  }

  public void anomalyScore(String signal, double score) {
    anomalyScores.labelValues(signal).observe(score);
  }

  public void update(long nanos) {
    updateSeconds.observe(Unit.nanosToSeconds(nanos));
  }

  /** A partial-window value was kept away from the models. */
  public void partialSkipped(String metric) {
    partialSkipped.labelValues(metric).inc();
  }

  public void unavailable(String metric) {
    unavailable.labelValues(metric).inc();
  }

  public double unavailableCount(String metric) {
    return unavailable.labelValues(metric).get();
  }

  public void bootstrapPoints(long n) {
    bootstrapPoints.inc(n);
  }
}
