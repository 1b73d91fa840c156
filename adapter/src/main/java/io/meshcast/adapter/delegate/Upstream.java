package io.meshcast.adapter.delegate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshcast.adapter.config.DelegateConfig;
import io.meshcast.adapter.http.StatusException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * One delegate: forwards requests with Vert.x WebClient (never blocking the event loop), guarded
 * by a timeout and a {@link Breaker}, and keeps the upstream's discovery lists, refreshed in the
 * background (a failed or malformed refresh keeps the previous lists). Thread-safe.
 */
final class Upstream {

  private static final Logger LOG = Logger.getLogger(Upstream.class.getName());
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A resource an upstream lists: {@code pods/x} (custom) or {@code x} (external). */
  record Listed(String name, boolean namespaced) {}

  /** A forwarded answer: the upstream's status, content type and body, unchanged. */
  record Answer(int status, String contentType, Buffer body) {}

  private final Vertx vertx;
  private final DelegateConfig config;
  private final WebClient client;
  private final Breaker breaker;
  private final DelegateMetrics metrics;
  private final String base;
  private volatile Map<String, List<Listed>> lists = Map.of();
  private volatile Optional<String> discoveryError = Optional.of("not discovered yet");
  private volatile String token;
  private volatile long tokenModified = -1;

  Upstream(Vertx vertx, DelegateConfig config, Clock clock, DelegateMetrics metrics) {
    this.vertx = vertx;
    this.config = config;
    this.metrics = metrics;
    this.breaker = new Breaker(clock, config.failureThreshold(), config.openFor());
    WebClientOptions o = new WebClientOptions()
        .setUserAgent("meshcast-delegate")
        .setSsl("https".equals(config.url().getScheme()))
        .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, config.timeout().toMillis()));
    config.caFile().ifPresent(ca -> o.setTrustOptions(new PemTrustOptions()
        .addCertPath(ca.toString())));
    config.certFile().ifPresent(c -> o.setKeyCertOptions(new PemKeyCertOptions()
        .setCertPath(c.toString()).setKeyPath(config.keyFile().orElseThrow().toString())));
    if (config.insecureSkipVerify()) {
      o.setTrustAll(true).setVerifyHost(false);
    }
    this.client = WebClient.create(vertx, o);
    String s = config.url().toString();
    this.base = s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }

  String group() {
    return config.group();
  }

  String describe() {
    return config.group() + " upstream " + base;
  }

  Breaker breaker() {
    return breaker;
  }

  /** The last successfully read resource lists, by version. */
  Map<String, List<Listed>> lists() {
    return lists;
  }

  Optional<String> discoveryError() {
    return discoveryError;
  }

  /**
   * Forwards {@code pathAndQuery}: the upstream's answer whatever its status, or a 503 {@link
   * StatusException} naming the upstream when the breaker is open or the call fails or times out.
   */
  Future<Answer> forward(String pathAndQuery) {
    if (!breaker.tryAcquire()) {
      metrics.request(group(), "breaker_open");
      return Future.failedFuture(new StatusException(503, "ServiceUnavailable",
          describe() + " is unavailable: circuit breaker open after " + breaker.failures()
              + " consecutive failures; next try at " + breaker.retryAt()));
    }
    return get(pathAndQuery)
        .transform(ar -> {
          if (ar.failed()) {
            breaker.onFailure();
            metrics.request(group(), "error");
            metrics.breaker(group(), breaker.state());
            return Future.failedFuture(new StatusException(503, "ServiceUnavailable",
                describe() + " is unavailable: " + cause(ar.cause())));
          }
          HttpResponse<Buffer> r = ar.result();
          if (r.statusCode() >= 500) {
            breaker.onFailure();
          } else {
            breaker.onSuccess();
          }
          metrics.request(group(), r.statusCode() >= 500 ? "upstream_5xx" : "ok");
          metrics.breaker(group(), breaker.state());
          String type = r.getHeader("Content-Type");
          return Future.succeededFuture(new Answer(r.statusCode(),
              type == null ? "application/json" : type,
              r.body() == null ? Buffer.buffer() : r.body()));
        });
  }

  /** Re-reads the upstream's resource list of each version; keeps the old ones on failure. */
  Future<Void> refreshDiscovery(List<String> versions) {
    List<Future<List<Listed>>> parts = new ArrayList<>();
    for (String v : versions) {
      parts.add(get("/apis/" + group() + "/" + v).map(r -> parse(r, v)));
    }
    return Future.join(parts).transform(ignored -> {
      Map<String, List<Listed>> next = new LinkedHashMap<>(lists);
      List<String> errors = new ArrayList<>();
      for (int i = 0; i < versions.size(); i++) {
        if (parts.get(i).succeeded()) {
          next.put(versions.get(i), parts.get(i).result());
        } else {
          errors.add(versions.get(i) + ": " + cause(parts.get(i).cause()));
        }
      }
      lists = Map.copyOf(next);
      Optional<String> err = errors.isEmpty() ? Optional.empty()
          : Optional.of(String.join("; ", errors));
      if (!err.equals(discoveryError)) {
        if (err.isPresent()) {
          LOG.warning("event=delegate_discovery_failed upstream=\"" + describe() + "\" error=\""
              + err.get() + "\" keeping=previous");
        } else {
          LOG.info("event=delegate_discovery upstream=\"" + describe() + "\" resources="
              + next.values().stream().mapToInt(List::size).sum());
        }
      }
      discoveryError = err;
      metrics.discovery(group(), err.isEmpty());
      return Future.succeededFuture();
    });
  }

  Future<Void> close() {
    client.close();
    return Future.succeededFuture();
  }

  private Future<HttpResponse<Buffer>> get(String pathAndQuery) {
    return bearer().compose(auth -> {
      HttpRequest<Buffer> req = client.getAbs(base + pathAndQuery)
          .timeout(config.timeout().toMillis())
          .putHeader("Accept", "application/json");
      auth.ifPresent(a -> req.putHeader("Authorization", "Bearer " + a));
      return req.send();
    });
  }

  /** The service-account token, re-read when the projected file changes (it rotates). */
  private Future<Optional<String>> bearer() {
    if (config.bearerTokenFile().isEmpty()) {
      return Future.succeededFuture(Optional.empty());
    }
    String file = config.bearerTokenFile().get().toString();
    return vertx.fileSystem().props(file).compose(p -> {
      if (p.lastModifiedTime() == tokenModified && token != null) {
        return Future.succeededFuture(Optional.of(token));
      }
      return vertx.fileSystem().readFile(file).map(b -> {
        token = b.toString(StandardCharsets.UTF_8).trim();
        tokenModified = p.lastModifiedTime();
        return Optional.of(token);
      });
    });
  }

  private List<Listed> parse(HttpResponse<Buffer> r, String version) {
    if (r.statusCode() != 200) {
      throw new IllegalStateException("HTTP " + r.statusCode() + " for /apis/" + group() + "/"
          + version);
    }
    JsonNode root;
    try {
      root = JSON.readTree(r.body() == null ? new byte[0] : r.body().getBytes());
    } catch (java.io.IOException e) {
      throw new IllegalStateException("malformed APIResourceList: " + e.getMessage());
    }
    if (root == null || !"APIResourceList".equals(root.path("kind").asText())
        || !root.path("resources").isArray()) {
      throw new IllegalStateException("not an APIResourceList with resources");
    }
    List<Listed> out = new ArrayList<>();
    for (JsonNode res : root.get("resources")) {
      String name = res.path("name").asText("");
      boolean custom = group().startsWith("custom.");
      // Placeholders some servers list when they have nothing to serve.
      if (name.isEmpty() || (custom && !name.contains("/"))
          || name.equals("externalmetrics")) {
        continue;
      }
      out.add(new Listed(name, res.path("namespaced").asBoolean(true)));
    }
    return out;
  }

  private static String cause(Throwable e) {
    String m = e.getMessage();
    String n = e.getClass().getSimpleName();
    if (n.toLowerCase(java.util.Locale.ROOT).contains("timeout")
        || (m != null && m.toLowerCase(java.util.Locale.ROOT).contains("timeout"))) {
      return "no answer within the timeout (" + m + ")";
    }
    return n + (m == null ? "" : ": " + m);
  }
}
