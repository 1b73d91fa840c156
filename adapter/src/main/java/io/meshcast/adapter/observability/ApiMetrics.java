package io.meshcast.adapter.observability;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;

/**
 * The adapter's own API metrics: requests by route, API version and code, and request latency.
 * Registered in an injected registry so tests can use a fresh one.
 */
public final class ApiMetrics {

  private final Counter requests;
  private final Histogram duration;

  public ApiMetrics(PrometheusRegistry registry) {
    requests =
        Counter.builder()
            .name("meshcast_api_requests_total")
            .help("API requests served, by route, API version and HTTP status code")
            .labelNames("route", "version", "code")
            .register(registry);
    duration =
        Histogram.builder()
            .name("meshcast_api_request_duration_seconds")
            .help("Time from request received to response written, by route")
            .unit(Unit.SECONDS)
            .classicUpperBounds(
                0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1)
            .labelNames("route")
            .register(registry);
  }

  /** Records one finished request. */
  public void record(String route, String version, int code, long durationNanos) {
    requests.labelValues(route, version, Integer.toString(code)).inc();
    duration.labelValues(route).observe(Unit.nanosToSeconds(durationNanos));
  }
}
