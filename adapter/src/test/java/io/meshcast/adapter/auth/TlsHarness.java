package io.meshcast.adapter.auth;

import io.meshcast.adapter.http.StatusException;
import io.meshcast.adapter.tls.AuthTls;
import io.meshcast.adapter.tls.HeaderDeadline;
import io.meshcast.adapter.tls.PemCertificate;
import io.meshcast.adapter.tls.SelfSignedCertificates;
import com.github.benmanes.caffeine.cache.Ticker;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.time.Clock;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * A real HTTPS server on 127.0.0.1 with the {@link AuthHandler} mounted, an echo route that shows
 * who the handler decided the caller is (and which X-Remote headers survived), and a test-only
 * failure handler that renders {@link StatusException} as a Kubernetes Status.
 */
final class TlsHarness implements AutoCloseable {

  final Vertx vertx = Vertx.vertx();
  final PemCertificate serving =
      SelfSignedCertificates.generate(List.of("localhost"), List.of("127.0.0.1"), Duration.ofHours(1));
  final AtomicReference<AuthConfig> config = new AtomicReference<>(AuthConfig.EMPTY);
  final HeaderDeadline deadline;
  private final HttpServer server;

  /** A server with the production authenticator and authorizer talking to {@code client}. */
  TlsHarness(KubernetesClient client, Ticker ticker, Duration headerDeadline) {
    this(client, ticker, headerDeadline, null);
  }

  /** As above, or with {@code handler} (e.g. insecure mode) instead when non-null. */
  TlsHarness(
      KubernetesClient client, Ticker ticker, Duration headerDeadline, AuthHandler handler) {
    AuthConfigSource source = config::get;
    WorkerExecutor worker = vertx.createSharedWorkerExecutor("meshcast-auth-test", 4);
    AuthHandler auth =
        handler != null
            ? handler
            : AuthHandler.create(
                source,
                Authenticator.delegating(source, client, worker, Clock.systemUTC(), ticker),
                Authorizer.delegating(client, worker, ticker));
    Router router = Router.router(vertx);
    router.route().handler(auth);
    router.route().handler(TlsHarness::echo);
    router.route().failureHandler(TlsHarness::renderFailure);
    deadline = HeaderDeadline.create(vertx, headerDeadline);
    HttpServerOptions options =
        AuthTls.harden(new HttpServerOptions())
            .setHost("127.0.0.1")
            .setPort(0)
            // generous: a cold client on a loaded machine can take seconds to finish a handshake
            .setSslHandshakeTimeout(10)
            .setSslHandshakeTimeoutUnit(java.util.concurrent.TimeUnit.SECONDS)
            .setKeyCertOptions(
                new PemKeyCertOptions()
                    .addKeyValue(Buffer.buffer(serving.privateKeyPem()))
                    .addCertValue(Buffer.buffer(serving.certificatePem())));
    server =
        vertx
            .createHttpServer(options)
            .connectionHandler(deadline.connectionHandler())
            .requestHandler(deadline.wrap(router))
            .listen()
            .await();
  }

  int port() {
    return server.actualPort();
  }

  private static void echo(RoutingContext ctx) {
    UserInfo user = ctx.get(AuthHandler.USER_KEY);
    JsonArray remote = new JsonArray();
    ctx.request().headers().names().stream()
        .filter(n -> n.toLowerCase().startsWith("x-remote") || n.toLowerCase().contains("remote"))
        .forEach(remote::add);
    JsonObject extra = new JsonObject();
    user.extra().forEach((k, v) -> extra.put(k, new JsonArray(v)));
    ctx.json(
        new JsonObject()
            .put("user", user.name())
            .put("uid", user.uid())
            .put("groups", new JsonArray(user.groups()))
            .put("extra", extra)
            .put("remoteHeaders", remote));
  }

  private static void renderFailure(RoutingContext ctx) {
    Throwable f = ctx.failure();
    StatusException s =
        f instanceof StatusException se
            ? se
            : new StatusException(ctx.statusCode() > 0 ? ctx.statusCode() : 500, "InternalError",
                String.valueOf(f));
    JsonObject status =
        new JsonObject()
            .put("kind", "Status")
            .put("apiVersion", "v1")
            .put("metadata", new JsonObject())
            .put("status", "Failure")
            .put("message", s.getMessage())
            .put("reason", s.reason());
    if (s.detailsName() != null || s.detailsGroup() != null || s.detailsKind() != null) {
      JsonObject details = new JsonObject();
      if (s.detailsName() != null) {
        details.put("name", s.detailsName());
      }
      if (s.detailsGroup() != null) {
        details.put("group", s.detailsGroup());
      }
      if (s.detailsKind() != null) {
        details.put("kind", s.detailsKind());
      }
      status.put("details", details);
    }
    status.put("code", s.code());
    ctx.response()
        .setStatusCode(s.code())
        .putHeader("Content-Type", "application/json")
        .end(status.encode());
  }

  /** An SSLContext presenting {@code client} (may be null) and trusting only our serving cert. */
  SSLContext sslContext(PemCertificate client) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("serving", serving.certificate());
    TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
    tmf.init(trust);
    KeyManagerFactory kmf = KeyManagerFactory.getInstance("SunX509"); // SunX509: no EKU filtering
    KeyStore keys = KeyStore.getInstance("PKCS12");
    keys.load(null, null);
    if (client != null) {
      keys.setKeyEntry(
          "client", client.privateKey(), new char[0],
          client.chain().toArray(X509Certificate[]::new));
    }
    kmf.init(keys, new char[0]);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    return ctx;
  }

  HttpClient client(PemCertificate clientCert) throws Exception {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .sslContext(sslContext(clientCert))
        .connectTimeout(Duration.ofSeconds(30))
        .build();
  }

  /** GET {@code path} with header pairs (name, value, name, value, ...). */
  HttpResponse<String> get(PemCertificate clientCert, String path, String... headers)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port() + path))
            .timeout(Duration.ofSeconds(60));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return client(clientCert).send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  /** A raw TLS socket presenting {@code clientCert} (may be null) for byte-level attacks. */
  SSLSocket rawSocket(PemCertificate clientCert) throws Exception {
    SSLSocket socket =
        (SSLSocket) sslContext(clientCert).getSocketFactory().createSocket("127.0.0.1", port());
    SSLParameters p = socket.getSSLParameters();
    socket.setSSLParameters(p);
    socket.setSoTimeout(60_000);
    socket.startHandshake();
    return socket;
  }

  static JsonObject json(HttpResponse<String> r) {
    return new JsonObject(r.body());
  }

  static Map<String, Object> map(HttpResponse<String> r) {
    return json(r).getMap();
  }

  @Override
  public void close() {
    vertx.close().await();
  }
}
