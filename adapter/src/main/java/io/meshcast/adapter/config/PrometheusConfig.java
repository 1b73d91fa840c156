package io.meshcast.adapter.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Connection to a PromQL-compatible HTTP API (Prometheus, Thanos, Mimir, Cortex, VictoriaMetrics).
 *
 * @param url base URL; {@code /api/v1/query} is appended (a path prefix such as {@code /prometheus}
 *     for Mimir is kept)
 * @param method how queries are sent
 * @param timeout per-request timeout, also sent as the {@code timeout} query parameter
 * @param bearerTokenFile file holding a bearer token; re-read when it changes (projected tokens)
 * @param basicAuth optional basic authentication
 * @param tls CA and client certificate files
 * @param headers extra request headers, e.g. {@code X-Scope-OrgID}
 * @param maxResponseBytes responses larger than this are rejected rather than buffered
 */
public record PrometheusConfig(
    URI url,
    Method method,
    Duration timeout,
    Optional<Path> bearerTokenFile,
    Optional<BasicAuth> basicAuth,
    Tls tls,
    Map<String, String> headers,
    long maxResponseBytes) {

  public PrometheusConfig {
    headers = Map.copyOf(headers);
  }

  /** HTTP method choice. {@code AUTO} sends GET unless the encoded query is long. */
  public enum Method {
    GET,
    POST,
    AUTO
  }

  /** Basic auth; the password comes inline or, preferably, from a file re-read on change. */
  public record BasicAuth(String username, Optional<String> password, Optional<Path> passwordFile) {}

  /**
   * TLS settings for https URLs.
   *
   * @param caFile PEM bundle of trusted CAs (system trust store when absent)
   * @param certFile client certificate (PEM) for mutual TLS
   * @param keyFile client private key (PEM, PKCS#8 or PKCS#1)
   * @param insecureSkipVerify disables server certificate verification (tests only)
   */
  public record Tls(
      Optional<Path> caFile,
      Optional<Path> certFile,
      Optional<Path> keyFile,
      boolean insecureSkipVerify) {}
}
