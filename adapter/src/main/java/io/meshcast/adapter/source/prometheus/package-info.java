/**
 * {@link io.meshcast.adapter.source.MetricSource} over the Prometheus HTTP API with Vert.x
 * WebClient: GET/POST, timeout, bearer token and basic-auth files re-read on change, CA and client
 * certificates, extra headers, bounded streaming decode.
 */
package io.meshcast.adapter.source.prometheus;
