package io.meshcast.adapter.source.prometheus;

import io.meshcast.adapter.config.PrometheusConfig;
import io.meshcast.adapter.config.PrometheusConfig.Method;
import io.meshcast.adapter.source.MetricSource;
import io.meshcast.adapter.source.RangeSeries;
import io.meshcast.adapter.source.Sample;
import io.meshcast.adapter.source.SourceException;
import io.meshcast.adapter.source.SourceException.Kind;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * {@link MetricSource} over the Prometheus HTTP API ({@code /api/v1/query}, {@code
 * /api/v1/query_range}) with Vert.x WebClient. Works with any PromQL-compatible API (Thanos,
 * Mimir/Cortex with {@code X-Scope-OrgID}, VictoriaMetrics).
 *
 * <p>Bearer token and basic-auth password files are re-read when their modification time or size
 * changes (projected service-account tokens rotate). Queries longer than {@value #LONG_QUERY}
 * characters are POSTed as a form in {@code AUTO} mode, since proxies cap URL length. Thread-safe.
 */
public final class PrometheusSource implements MetricSource {

  static final int LONG_QUERY = 1500;

  private final Vertx vertx;
  private final PrometheusConfig config;
  private final WebClient client;
  private final String base;
  private final Map<Path, CachedFile> files = new ConcurrentHashMap<>();

  private record CachedFile(long modified, long size, String content) {}

  private PrometheusSource(Vertx vertx, PrometheusConfig config) {
    this.vertx = vertx;
    this.config = config;
    boolean https = "https".equals(config.url().getScheme());
    WebClientOptions options = new WebClientOptions()
        .setUserAgent("meshcast-adapter")
        .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, config.timeout().toMillis()))
        .setSsl(https)
        .setDecompressionSupported(true);
    config.tls().caFile().ifPresent(ca ->
        options.setTrustOptions(new PemTrustOptions().addCertPath(ca.toString())));
    if (config.tls().certFile().isPresent()) {
      options.setKeyCertOptions(new PemKeyCertOptions()
          .setCertPath(config.tls().certFile().get().toString())
          .setKeyPath(config.tls().keyFile().orElseThrow().toString()));
    }
    if (config.tls().insecureSkipVerify()) {
      options.setTrustAll(true).setVerifyHost(false);
    }
    this.client = WebClient.create(vertx, options);
    String s = config.url().toString();
    this.base = s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }

  /** Creates a source; no I/O happens until the first query. */
  public static PrometheusSource create(Vertx vertx, PrometheusConfig config) {
    return new PrometheusSource(vertx, config);
  }

  @Override
  public Future<List<Sample>> query(String promql, Instant time) {
    MultiMap params = MultiMap.caseInsensitiveMultiMap()
        .add("query", promql)
        .add("time", seconds(time))
        .add("timeout", config.timeout().toMillis() + "ms");
    return send("/api/v1/query", promql, params, body -> PrometheusJson.vector(body, promql));
  }

  @Override
  public Future<List<RangeSeries>> queryRange(
      String promql, Instant start, Instant end, Duration step) {
    MultiMap params = MultiMap.caseInsensitiveMultiMap()
        .add("query", promql)
        .add("start", seconds(start))
        .add("end", seconds(end))
        .add("step", (step.toMillis() / 1000.0) + "")
        .add("timeout", config.timeout().toMillis() + "ms");
    return send("/api/v1/query_range", promql, params, body -> PrometheusJson.matrix(body, promql));
  }

  @Override
  public Future<List<Map<String, String>>> series(String match, Instant start, Instant end) {
    MultiMap params = MultiMap.caseInsensitiveMultiMap()
        .add("match[]", match)
        .add("start", seconds(start))
        .add("end", seconds(end));
    return send("/api/v1/series", match, params, body -> PrometheusJson.series(body, match));
  }

  @Override
  public Future<Void> close() {
    client.close();
    return Future.succeededFuture();
  }

  private <T> Future<T> send(
      String path, String promql, MultiMap params, Function<byte[], T> decode) {
    return authorization().compose(auth -> {
      boolean post = config.method() == Method.POST
          || config.method() == Method.AUTO && encodedLength(params) > LONG_QUERY;
      HttpRequest<Buffer> req = client
          .requestAbs(post ? HttpMethod.POST : HttpMethod.GET, base + path)
          .timeout(config.timeout().toMillis())
          .putHeader("Accept", "application/json");
      config.headers().forEach(req::putHeader);
      auth.ifPresent(a -> req.putHeader("Authorization", a));
      if (!post) {
        params.forEach(e -> req.addQueryParam(e.getKey(), e.getValue()));
      }
      Future<HttpResponse<Buffer>> sent = post ? req.as(new LimitedBody(config.maxResponseBytes()))
          .sendForm(params) : req.as(new LimitedBody(config.maxResponseBytes())).send();
      return sent
          .recover(e -> Future.failedFuture(transportFailure(e)))
          .compose(resp -> vertx.executeBlocking(() -> decode(resp, promql, decode), false));
    });
  }

  private <T> T decode(HttpResponse<Buffer> resp, String promql, Function<byte[], T> decode) {
    byte[] body = resp.body() == null ? new byte[0] : resp.body().getBytes();
    if (resp.statusCode() == 200) {
      return decode.apply(body);
    }
    // Prometheus answers 400/422/503 with the JSON error envelope: surface its message.
    String detail;
    try {
      decode.apply(body);
      detail = "";
    } catch (SourceException e) {
      detail = e.kind() == Kind.QUERY_ERROR ? ": " + e.getMessage() : bodyPreview(body);
    }
    throw new SourceException(Kind.HTTP_STATUS, "Prometheus answered HTTP " + resp.statusCode()
        + " for " + base + detail + (detail.contains("[query:") ? ""
            : " [query: " + PrometheusJson.abbreviate(promql) + "]"));
  }

  private Throwable transportFailure(Throwable e) {
    if (e instanceof SourceException) {
      return e;
    }
    String name = e.getClass().getSimpleName().toLowerCase(Locale.ROOT);
    String msg = String.valueOf(e.getMessage());
    if (name.contains("timeout") || msg.toLowerCase(Locale.ROOT).contains("timeout")) {
      return new SourceException(Kind.TIMEOUT, "no answer from Prometheus at " + base
          + " within " + config.timeout().toMillis() + "ms");
    }
    return new SourceException(Kind.UNREACHABLE, "cannot reach Prometheus at " + base + ": "
        + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
  }

  /** The Authorization header value, if any; secret files are re-read when they change. */
  private Future<Optional<String>> authorization() {
    if (config.bearerTokenFile().isPresent()) {
      return readSecret(config.bearerTokenFile().get()).map(t -> Optional.of("Bearer " + t));
    }
    if (config.basicAuth().isPresent()) {
      PrometheusConfig.BasicAuth b = config.basicAuth().get();
      Future<String> pw = b.password().isPresent()
          ? Future.succeededFuture(b.password().get())
          : readSecret(b.passwordFile().orElseThrow());
      return pw.map(p -> Optional.of("Basic " + Base64.getEncoder().encodeToString(
          (b.username() + ":" + p).getBytes(StandardCharsets.UTF_8))));
    }
    return Future.succeededFuture(Optional.empty());
  }

  private Future<String> readSecret(Path file) {
    return vertx.fileSystem().props(file.toString())
        .compose(props -> {
          CachedFile c = files.get(file);
          if (c != null && c.modified() == props.lastModifiedTime() && c.size() == props.size()) {
            return Future.succeededFuture(c.content());
          }
          return vertx.fileSystem().readFile(file.toString()).map(buf -> {
            String content = buf.toString(StandardCharsets.UTF_8).trim();
            files.put(file, new CachedFile(props.lastModifiedTime(), props.size(), content));
            return content;
          });
        })
        .recover(e -> Future.failedFuture(new SourceException(Kind.UNREACHABLE,
            "cannot read credentials file " + file + ": " + e.getMessage())));
  }

  private static int encodedLength(MultiMap params) {
    int n = 0;
    for (Map.Entry<String, String> e : params) {
      n += e.getKey().length() + 2 + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)
          .length();
    }
    return n;
  }

  private static String seconds(Instant t) {
    return String.format(Locale.ROOT, "%.3f", t.toEpochMilli() / 1000.0);
  }

  private static String bodyPreview(byte[] body) {
    String s = new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8)
        .replaceAll("\\s+", " ").trim();
    return s.isEmpty() ? "" : ": " + s;
  }
}
