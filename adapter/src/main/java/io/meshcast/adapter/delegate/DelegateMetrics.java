package io.meshcast.adapter.delegate;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/** Forwarded requests by outcome, breaker state and discovery outcome per delegated group. */
final class DelegateMetrics {

  private final Counter requests;
  private final Gauge breaker;
  private final Counter discoveries;

  DelegateMetrics(PrometheusRegistry registry) {
    requests = Counter.builder().name("meshcast_delegate_requests_total")
        .help("Requests forwarded to a delegate upstream, by API group and outcome"
            + " (ok, upstream_5xx, error, breaker_open)")
        .labelNames("group", "outcome").register(registry);
    breaker = Gauge.builder().name("meshcast_delegate_breaker_open")
        .help("1 while the delegate's circuit breaker is open or half-open, else 0")
        .labelNames("group").register(registry);
    discoveries = Counter.builder().name("meshcast_delegate_discovery_total")
        .help("Refreshes of a delegate's discovery lists, by outcome (ok, error)")
        .labelNames("group", "outcome").register(registry);
  }

  void request(String group, String outcome) {
    requests.labelValues(group, outcome).inc();
  }

  void breaker(String group, Breaker.State s) {
    breaker.labelValues(group).set(s == Breaker.State.CLOSED ? 0 : 1);
  }

  void discovery(String group, boolean ok) {
    discoveries.labelValues(group, ok ? "ok" : "error").inc();
  }
}
