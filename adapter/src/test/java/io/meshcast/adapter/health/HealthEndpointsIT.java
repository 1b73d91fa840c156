package io.meshcast.adapter.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshcast.adapter.api.ApiServer;
import io.meshcast.adapter.provider.memory.InMemoryMetricsProvider;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** /livez, /readyz and /healthz in the k8s.io/apiserver text format, passing and failing. */
final class HealthEndpointsIT {

  private static final AtomicReference<HealthCheck.Result> SOURCE =
      new AtomicReference<>(HealthCheck.Result.ok());
  private static Vertx vertx;
  private static ApiServer server;
  private static HttpClient client;
  private static String base;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    Health health = new Health().addReadiness(HealthCheck.of("source", SOURCE::get));
    InMemoryMetricsProvider provider = new InMemoryMetricsProvider();
    server = ApiServer.builder(vertx).options(ApiServer.Options.defaults().withPort(0))
        .customMetrics(provider).externalMetrics(provider).health(health).build();
    base = "https://127.0.0.1:" + server.start().toCompletionStage().toCompletableFuture().get();
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, new TrustManager[] {new X509TrustManager() {
      public void checkClientTrusted(java.security.cert.X509Certificate[] c, String a) {}
      public void checkServerTrusted(java.security.cert.X509Certificate[] c, String a) {}
      public java.security.cert.X509Certificate[] getAcceptedIssuers() { return new java.security.cert.X509Certificate[0]; }
    }}, null);
    client = HttpClient.newBuilder().sslContext(ctx).build();
  }

  @AfterAll
  static void stop() throws Exception {
    server.close().toCompletionStage().toCompletableFuture().get();
    vertx.close().toCompletionStage().toCompletableFuture().get();
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create(base + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void healthy_answersOk_andVerboseListsChecks() throws Exception {
    SOURCE.set(HealthCheck.Result.ok());
    HttpResponse<String> r = get("/readyz");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("ok");
    assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");
    assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    assertThat(get("/readyz?verbose").body())
        .isEqualTo("[+]ping ok\n[+]source ok\nreadyz check passed\n");
    assertThat(get("/livez?verbose").body()).isEqualTo("[+]ping ok\nlivez check passed\n");
  }

  @Test
  void failingReadinessCheck_fails_readyz_but_not_livez() throws Exception {
    SOURCE.set(HealthCheck.Result.failed("no snapshot yet"));
    try {
      HttpResponse<String> r = get("/readyz");
      assertThat(r.statusCode()).isEqualTo(500);
      assertThat(r.body()).isEqualTo(
          "[+]ping ok\n[-]source failed: no snapshot yet\nreadyz check failed\n");
      assertThat(get("/healthz").statusCode()).isEqualTo(500);
      assertThat(get("/livez").statusCode()).isEqualTo(200);
      assertThat(get("/readyz/source").body()).isEqualTo("internal server error: no snapshot yet\n");
      assertThat(get("/readyz?exclude=source").statusCode()).isEqualTo(200);
    } finally {
      SOURCE.set(HealthCheck.Result.ok());
    }
  }

  @Test
  void healthyWithDetail_showsTheNoteWhenVerbose() throws Exception {
    SOURCE.set(HealthCheck.Result.ok("config reload failed, serving previous config"));
    try {
      assertThat(get("/readyz?verbose").body())
          .contains("[+]source ok (config reload failed, serving previous config)");
    } finally {
      SOURCE.set(HealthCheck.Result.ok());
    }
  }

  @Test
  void perCheckPaths_andUnknownChecks() throws Exception {
    assertThat(get("/livez/ping").body()).isEqualTo("ok");
    assertThat(get("/livez/nope").statusCode()).isEqualTo(404);
  }
}
