package io.meshcast.adapter.api;

import io.meshcast.adapter.provider.GroupResource;
import io.meshcast.adapter.provider.ObjectReference;
import io.meshcast.adapter.provider.memory.InMemoryMetricsProvider;
import io.meshcast.adapter.provider.memory.InMemoryMetricsProvider.ExternalSeries;
import io.meshcast.adapter.provider.memory.InMemoryMetricsProvider.ObjectSeries;
import io.meshcast.adapter.testing.Kubectl;
import io.meshcast.adapter.tls.CertificateAuthority;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A real ApiServer on 127.0.0.1 (free port, self-signed certificate) over a fixed in-memory table,
 * plus an HTTPS client that trusts exactly that certificate.
 */
final class ApiFixture implements AutoCloseable {

  static final Instant T = Instant.parse("2026-08-20T10:00:00Z");

  final Vertx vertx = Vertx.vertx();
  final InMemoryMetricsProvider provider = new InMemoryMetricsProvider();
  final ApiServer server;
  final HttpClient client;
  final String base;

  ApiFixture() throws Exception {
    provider.publish(objects(), externals());
    server =
        ApiServer.builder(vertx)
            .options(ApiServer.Options.defaults().withPort(0))
            .customMetrics(provider)
            .externalMetrics(provider)
            .build();
    int port = server.start().toCompletionStage().toCompletableFuture().get();
    base = "https://127.0.0.1:" + port;
    client = HttpClient.newBuilder().sslContext(trusting(server.certificate().certChainPem()))
        .connectTimeout(Duration.ofSeconds(30)).build();
  }

  static List<ObjectSeries> objects() {
    Map<String, String> web = Map.of("app", "web");
    return List.of(
        new ObjectSeries("http_requests", GroupResource.PODS, ObjectReference.pod("default", "web-1"),
            web, Map.of(), 0.5, T),
        new ObjectSeries("http_requests", GroupResource.PODS, ObjectReference.pod("default", "web-2"),
            web, Map.of(), 1.5, T),
        new ObjectSeries("http_requests", GroupResource.PODS, ObjectReference.pod("default", "api-1"),
            Map.of("app", "api"), Map.of(), 12, T),
        new ObjectSeries("http_requests", GroupResource.PODS, ObjectReference.pod("other", "web-9"),
            web, Map.of(), 7, T),
        new ObjectSeries("status", GroupResource.PODS, ObjectReference.pod("default", "web-1"),
            web, Map.of(), 1, T),
        new ObjectSeries("queue_depth", GroupResource.DEPLOYMENTS,
            ObjectReference.deployment("default", "web"), web, Map.of("queue", "orders"), 12, T),
        new ObjectSeries("cpu_temp", new GroupResource("", "nodes"),
            new ObjectReference("Node", "", "node-1", "v1"), Map.of("zone", "a"), Map.of(),
            33.033, T),
        new ObjectSeries("queue_depth", GroupResource.NAMESPACES, ObjectReference.namespace("default"),
            Map.of(), Map.of(), 1500, T));
  }

  static List<ExternalSeries> externals() {
    return List.of(
        new ExternalSeries("queue_messages_ready", "default", Map.of("queue", "worker_tasks"), 42, T),
        new ExternalSeries("queue_messages_ready", "default", Map.of("queue", "other"), 2000, T),
        new ExternalSeries("status", "", Map.of(), 0.25, T));
  }

  HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
    return send("GET", pathAndQuery);
  }

  HttpResponse<String> send(String method, String pathAndQuery)
      throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(base + pathAndQuery))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .header("Accept", "application/vnd.kubernetes.protobuf, */*")
            .timeout(Duration.ofSeconds(60))
            .build();
    return client.send(request, HttpResponse.BodyHandlers.ofString());
  }

  /** A kubeconfig for this server (see {@link Kubectl#kubeconfig}). */
  Path kubeconfig(Path dir) throws IOException {
    return Kubectl.kubeconfig(dir, server.port());
  }

  static SSLContext trusting(String pem) throws Exception {
    KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
    ks.load(null, null);
    int i = 0;
    for (Certificate c : CertificateAuthority.parsePemBundle(pem)) {
      ks.setCertificateEntry("c" + i++, c);
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(ks);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    return ctx;
  }

  @Override
  public void close() throws Exception {
    try {
      server.close().toCompletionStage().toCompletableFuture().get(60, java.util.concurrent.TimeUnit.SECONDS);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(60, java.util.concurrent.TimeUnit.SECONDS);
    }
  }
}
