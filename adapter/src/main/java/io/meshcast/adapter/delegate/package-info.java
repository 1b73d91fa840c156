/**
 * Delegation of metrics meshcast does not serve to another metrics server per API group (KEDA's
 * for {@code external.metrics.k8s.io}, an existing prometheus-adapter for {@code
 * custom.metrics.k8s.io}), so one APIService can front both during a migration: requests are
 * forwarded asynchronously over TLS with meshcast's own credentials, behind a timeout and a
 * circuit breaker; discovery lists are merged from a background-refreshed cache.
 */
package io.meshcast.adapter.delegate;
