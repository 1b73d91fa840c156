package io.meshcast.adapter.api;

import io.meshcast.adapter.tls.AuthTls;
import io.meshcast.adapter.tls.HeaderDeadline;
import io.meshcast.adapter.health.Health;
import io.meshcast.adapter.health.HealthHandler;
import io.meshcast.adapter.http.RequestInfo;
import io.meshcast.adapter.http.StatusException;
import io.meshcast.adapter.observability.ApiMetrics;
import io.meshcast.adapter.provider.CustomMetricsProvider;
import io.meshcast.adapter.provider.ExternalMetricsProvider;
import io.meshcast.adapter.tls.ServingCertificate;
import io.meshcast.adapter.tls.ServingCertificate.CertFiles;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.ServerSSLOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.meshcast.adapter.api.model.WireJson;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.LinkedHashMap;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;

/**
 * The HTTPS server of the custom and external metrics APIs: discovery, the metric routes, health
 * endpoints, and whatever extra routes the composition root mounts (debug pages, {@code
 * /metrics}).
 *
 * <p>TLS is always on. The serving certificate comes from files, re-read every {@code
 * certReloadInterval} and swapped in without dropping connections, or is generated self-signed
 * at start. Client certificates are requested but not required, so kubelet probes connect
 * without one; their verification belongs to the authentication filter.
 *
 * <p>Every failure becomes a Kubernetes {@code Status}: bad paths and selectors (400), unknown
 * metrics and paths (404), other methods (405), unavailable data (503), bugs (500 with the
 * cause), and even requests the HTTP codec rejects (400).
 */
public final class ApiServer {

  private static final Logger LOG = Logger.getLogger(ApiServer.class.getName());

  /** Listening and TLS options; {@code certFiles} empty means a self-signed certificate. */
  public record Options(
      String bindAddress,
      int securePort,
      Optional<CertFiles> certFiles,
      Duration certReloadInterval,
      List<String> selfSignedDnsNames,
      boolean accessLog) {

    public Options {
      Objects.requireNonNull(bindAddress, "bindAddress");
      if (securePort < 0 || securePort > 65535) {
        throw new IllegalArgumentException("--secure-port must be 0..65535, got " + securePort);
      }
      Objects.requireNonNull(certFiles, "certFiles");
      Objects.requireNonNull(certReloadInterval, "certReloadInterval");
      if (certReloadInterval.toMillis() < 1) {
        throw new IllegalArgumentException("certificate reload interval must be positive");
      }
      selfSignedDnsNames = List.copyOf(selfSignedDnsNames);
    }

    /** Defaults: 127.0.0.1:6443, self-signed, certificate files checked every 10 s. */
    public static Options defaults() {
      return new Options(
          "127.0.0.1", 6443, Optional.empty(), Duration.ofSeconds(10), List.of("localhost"), true);
    }

    public Options withPort(int port) {
      return new Options(bindAddress, port, certFiles, certReloadInterval, selfSignedDnsNames,
          accessLog);
    }
  }

  private final Vertx vertx;
  private final Options options;
  private final CustomMetricsProvider custom;
  private final ExternalMetricsProvider external;
  private final Health health;
  private final PrometheusRegistry registry;
  private final List<Handler<RoutingContext>> filters;
  private final Map<String, Handler<RoutingContext>> mounts;
  private final Map<String, Router> subRouters;
  private final Clock clock;
  private final long answerCacheBytes;
  private final AtomicReference<ServingCertificate> certificate = new AtomicReference<>();
  private HttpServer server;
  private long reloadTimer = -1;

  private ApiServer(Builder b) {
    this.vertx = b.vertx;
    this.options = b.options;
    this.custom = Objects.requireNonNull(b.custom, "custom metrics provider");
    this.external = Objects.requireNonNull(b.external, "external metrics provider");
    this.health = b.health;
    this.registry = b.registry;
    this.filters = List.copyOf(b.filters);
    this.mounts = new LinkedHashMap<>(b.mounts);
    this.subRouters = new LinkedHashMap<>(b.subRouters);
    this.clock = b.clock;
    this.answerCacheBytes = b.answerCacheBytes;
  }

  public static Builder builder(Vertx vertx) {
    return new Builder(vertx);
  }

  /** Collects the server's parts; {@link #build()} validates them. */
  public static final class Builder {
    private final Vertx vertx;
    private Options options = Options.defaults();
    private CustomMetricsProvider custom;
    private ExternalMetricsProvider external;
    private Health health = new Health();
    private PrometheusRegistry registry = new PrometheusRegistry();
    private final List<Handler<RoutingContext>> filters = new ArrayList<>();
    private final Map<String, Handler<RoutingContext>> mounts = new LinkedHashMap<>();
    private final Map<String, Router> subRouters = new LinkedHashMap<>();
    private Clock clock = Clock.systemUTC();
    private long answerCacheBytes = AnswerCaches.DEFAULT_MAX_BYTES;

    private Builder(Vertx vertx) {
      this.vertx = Objects.requireNonNull(vertx, "vertx");
    }

    public Builder options(Options options) {
      this.options = Objects.requireNonNull(options, "options");
      return this;
    }

    public Builder customMetrics(CustomMetricsProvider provider) {
      this.custom = provider;
      return this;
    }

    public Builder externalMetrics(ExternalMetricsProvider provider) {
      this.external = provider;
      return this;
    }

    public Builder health(Health health) {
      this.health = Objects.requireNonNull(health, "health");
      return this;
    }

    /**
     * The clock the providers' staleness policies read: cached answers are reused only while it
     * says they would still be answered the same (default: the system clock, UTC).
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Bytes of encoded answers kept per API group (custom, external); 0 keeps none. */
    public Builder answerCacheBytes(long bytes) {
      if (bytes < 0) {
        throw new IllegalArgumentException("answer cache bytes must not be negative, got "
            + bytes);
      }
      this.answerCacheBytes = bytes;
      return this;
    }

    public Builder registry(PrometheusRegistry registry) {
      this.registry = Objects.requireNonNull(registry, "registry");
      return this;
    }

    /**
     * Adds a handler that runs before every route except the health endpoints (e.g.
     * authentication); it must call {@code ctx.next()} or {@code ctx.fail(StatusException)}.
     */
    public Builder filter(Handler<RoutingContext> filter) {
      filters.add(Objects.requireNonNull(filter, "filter"));
      return this;
    }

    /** Mounts a handler at a path (vertx-web syntax, e.g. {@code /debug/*}) behind the filters. */
    public Builder mount(String path, Handler<RoutingContext> handler) {
      mounts.put(Objects.requireNonNull(path, "path"), Objects.requireNonNull(handler, "handler"));
      return this;
    }

    /**
     * Mounts a sub-router at a path ending in {@code /*} (e.g. {@code /debug/*}) in front of the
     * filters: it brings its own (e.g. the debug pages' access filter), the API's do not run for
     * it. Its failures are rendered as {@code Status} objects like every other route's.
     */
    public Builder subRouter(String path, Router router) {
      if (!Objects.requireNonNull(path, "path").endsWith("/*")) {
        throw new IllegalArgumentException("a sub-router path ends in /*, got " + path);
      }
      subRouters.put(path, Objects.requireNonNull(router, "router"));
      return this;
    }

    public ApiServer build() {
      return new ApiServer(this);
    }
  }

  /** Loads the certificate (off the event loop), binds and starts serving; yields the port. */
  public Future<Integer> start() {
    return vertx
        .executeBlocking(this::loadCertificate)
        .compose(
            cert -> {
              certificate.set(cert);
              LOG.info(
                  () -> String.format(
                      "event=tls_certificate source=\"%s\" sha256=%s", cert.source(),
                      cert.sha256Fingerprint()));
              server = vertx.createHttpServer(serverOptions(cert));
              server.invalidRequestHandler(ApiServer::invalidRequest);
              HeaderDeadline deadline = HeaderDeadline.create(vertx, AuthTls.HEADER_DEADLINE);
              return server
                  .connectionHandler(deadline.connectionHandler())
                  .requestHandler(deadline.wrap(router()))
                  .listen();
            })
        .map(
            s -> {
              options.certFiles().ifPresent(this::scheduleReload);
              LOG.info(
                  () -> String.format(
                      "event=listening address=%s port=%d", options.bindAddress(), s.actualPort()));
              return s.actualPort();
            });
  }

  /** The bound port (useful with port 0). */
  public int port() {
    return server.actualPort();
  }

  /** The registry {@code /metrics} serves: meshcast's own metrics (docs/metrics.md). */
  public PrometheusRegistry registry() {
    return registry;
  }

  /** The certificate currently served. */
  public ServingCertificate certificate() {
    return certificate.get();
  }

  public Future<Void> close() {
    if (reloadTimer >= 0) {
      vertx.cancelTimer(reloadTimer);
    }
    // In-flight requests get a short grace period; idle keep-alive connections are closed.
    return server == null ? Future.succeededFuture() : server.shutdown(Duration.ofSeconds(2));
  }

  private ServingCertificate loadCertificate() {
    if (options.certFiles().isPresent()) {
      return ServingCertificate.load(options.certFiles().get());
    }
    return ServingCertificate.selfSigned(options.selfSignedDnsNames(), List.of("127.0.0.1"));
  }

  /**
   * TLS 1.2+, client certificates requested but not required (probes have none) and accepted at
   * handshake time whatever their issuer: the authentication filter verifies them against the
   * current CAs, so CA rotation needs no TLS reload. Bounded request heads and idle connections.
   */
  private HttpServerOptions serverOptions(ServingCertificate cert) {
    return AuthTls.harden(
        new HttpServerOptions()
            .setHost(options.bindAddress())
            .setPort(options.securePort())
            .setKeyCertOptions(keyCert(cert))
            .setIdleTimeout(60));
  }

  private static PemKeyCertOptions keyCert(ServingCertificate cert) {
    return new PemKeyCertOptions()
        .setCertValue(Buffer.buffer(cert.certChainPem()))
        .setKeyValue(Buffer.buffer(cert.privateKeyPem()));
  }

  private void scheduleReload(CertFiles files) {
    reloadTimer =
        vertx.setPeriodic(
            options.certReloadInterval().toMillis(),
            id ->
                vertx
                    .executeBlocking(() -> certificate.get().reloadIfChanged(files))
                    .compose(
                        fresh -> {
                          if (fresh.isEmpty()) {
                            return Future.succeededFuture();
                          }
                          ServerSSLOptions ssl = serverOptions(fresh.get()).getSslOptions();
                          return server
                              .updateSSLOptions(ssl)
                              .map(
                                  updated -> {
                                    certificate.set(fresh.get());
                                    LOG.info(
                                        "event=tls_certificate_reloaded sha256="
                                            + fresh.get().sha256Fingerprint());
                                    return null;
                                  });
                        })
                    .onFailure(
                        e ->
                            LOG.warning(
                                "event=tls_certificate_reload_failed keeping=previous error=\""
                                    + e.getMessage() + "\"")));
  }

  private Router router() {
    Router router = Router.router(vertx);
    ApiMetrics metrics = new ApiMetrics(registry);
    // The request is decoded once, here; authorization, routing and the access log read it.
    router.route().handler(RequestInfo.HANDLER);
    router.route().handler(new AccessLog(metrics, options.accessLog()));
    HealthHandler healthHandler = new HealthHandler(health);
    for (String endpoint : List.of("/healthz", "/livez", "/readyz")) {
      router.route(endpoint).handler(healthHandler);
      router.route(endpoint + "/*").handler(healthHandler);
    }
    StatusFailureHandler failures = new StatusFailureHandler();
    subRouters.forEach((path, sub) -> {
      sub.route().failureHandler(failures);
      router.route(path).subRouter(sub);
    });
    for (Handler<RoutingContext> filter : filters) {
      router.route().handler(filter);
    }
    MetricsApiHandler api = new MetricsApiHandler(custom, external,
        AnswerCaches.create(clock, answerCacheBytes, registry));
    router.route("/apis").handler(api);
    router.route("/apis/*").handler(api);
    // OpenAPI v2 and v3 for the three group versions, which the aggregator merges.
    OpenApi openApi = new OpenApi();
    router.route("/openapi").handler(openApi);
    router.route("/openapi/*").handler(openApi);
    mounts.forEach((path, handler) -> router.route(path).handler(handler));
    router.route().handler(ctx -> ctx.fail(StatusException.notFound(
        "the server could not find the requested resource (path "
            + RequestInfo.abbreviate(ctx.request().path()) + ")")));
    router.route().failureHandler(failures);
    // Failures raised by vertx-web itself before any route runs (e.g. an undecodable path) skip
    // route failure handlers; the router's error handlers catch them.
    for (int code : new int[] {400, 404, 405, 406, 413, 414, 415, 431, 500}) {
      router.errorHandler(code, new StatusFailureHandler(code));
    }
    return router;
  }

  /** Requests the HTTP codec could not parse still get a Status, not a bare 400. */
  private static void invalidRequest(HttpServerRequest request) {
    Throwable cause = request.decoderResult().cause();
    String message = "malformed HTTP request" + (cause == null ? "" : ": " + cause.getMessage());
    int code = cause instanceof io.netty.handler.codec.TooLongFrameException ? 431 : 400;
    request
        .response()
        .setStatusCode(code)
        .putHeader("Content-Type", "application/json")
        .putHeader("Connection", "close")
        .end(Buffer.buffer(WireJson.status(code, "BadRequest", message, null, null, null, null)))
        .onComplete(v -> request.connection().close());
  }
}
