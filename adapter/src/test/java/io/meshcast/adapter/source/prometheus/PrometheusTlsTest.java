package io.meshcast.adapter.source.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshcast.adapter.config.ConfigLoader;
import io.meshcast.adapter.source.SourceException;
import io.meshcast.adapter.tls.CertificateAuthority;
import io.meshcast.adapter.tls.LeafSpec;
import io.meshcast.adapter.tls.PemCertificate;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The source over HTTPS with a private CA and mutual TLS: a Vert.x server on 127.0.0.1 that
 * requires a client certificate signed by its CA and answers like Prometheus.
 */
final class PrometheusTlsTest {

  private static final Instant NOW = Instant.now();
  private final Vertx vertx = Vertx.vertx();
  @TempDir Path dir;
  private HttpServer server;
  private CertificateAuthority serverCa;
  private CertificateAuthority clientCa;

  @BeforeEach
  void start() throws Exception {
    serverCa = CertificateAuthority.create("prom-ca", NOW.minusSeconds(60), NOW.plusSeconds(3600));
    clientCa = CertificateAuthority.create("client-ca", NOW.minusSeconds(60),
        NOW.plusSeconds(3600));
    PemCertificate leaf = serverCa.issue(LeafSpec.server("prometheus", List.of("localhost"),
        List.of("127.0.0.1"), NOW.minusSeconds(60), NOW.plusSeconds(3600)));
    server = vertx.createHttpServer(new HttpServerOptions().setSsl(true)
        .setKeyCertOptions(new PemKeyCertOptions()
            .setCertValue(Buffer.buffer(leaf.chainPem()))
            .setKeyValue(Buffer.buffer(leaf.privateKeyPem())))
        .setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(
            clientCa.certificatePem())))
        .setClientAuth(ClientAuth.REQUIRED))
        .requestHandler(req -> req.response().putHeader("Content-Type", "application/json")
            .end("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{"
                + "\"metric\":{},\"value\":[1,\"7\"]}]}}"));
    await(server.listen(0, "127.0.0.1"));
  }

  @AfterEach
  void stop() throws Exception {
    await(vertx.close());
  }

  private static <T> T await(Future<T> f) throws Exception {
    try {
      return f.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw (Exception) e.getCause();
    }
  }

  private Path write(String name, String pem) throws Exception {
    Path p = dir.resolve(name);
    Files.writeString(p, pem);
    return p;
  }

  private PrometheusSource source(String tls) {
    return PrometheusSource.create(vertx, ConfigLoader.parse("prometheus:\n  url: https://127.0.0.1:"
        + server.actualPort() + "\n  timeout: 2s\n  tls: " + tls + "\n").prometheus());
  }

  @Test
  void mutualTls_withCaAndClientCertificate_works() throws Exception {
    PemCertificate client = clientCa.issue(LeafSpec.client("meshcast", List.of(),
        NOW.minusSeconds(60), NOW.plusSeconds(3600)));
    Path ca = write("ca.pem", serverCa.certificatePem());
    Path cert = write("client.pem", client.chainPem());
    Path key = write("client-key.pem", client.privateKeyPem());
    assertThat(await(source("{caFile: " + ca + ", certFile: " + cert + ", keyFile: " + key + "}")
        .query("up", NOW))).singleElement().satisfies(s -> assertThat(s.value()).isEqualTo(7));
  }

  @Test
  void withoutClientCertificate_orWithAnUntrustedServer_failsAsUnreachable() throws Exception {
    Path ca = write("ca.pem", serverCa.certificatePem());
    assertThatThrownBy(() -> await(source("{caFile: " + ca + "}").query("up", NOW)))
        .isInstanceOf(SourceException.class)
        .satisfies(e -> assertThat(((SourceException) e).kind())
            .isEqualTo(SourceException.Kind.UNREACHABLE));
    PemCertificate client = clientCa.issue(LeafSpec.client("meshcast", List.of(),
        NOW.minusSeconds(60), NOW.plusSeconds(3600)));
    Path otherCa = write("other.pem", clientCa.certificatePem());
    Path cert = write("client.pem", client.chainPem());
    Path key = write("client-key.pem", client.privateKeyPem());
    assertThatThrownBy(() -> await(source("{caFile: " + otherCa + ", certFile: " + cert
            + ", keyFile: " + key + "}").query("up", NOW)))
        .isInstanceOf(SourceException.class).hasMessageContaining("cannot reach Prometheus");
  }

  @Test
  void insecureSkipVerify_skipsOnlyServerVerification() throws Exception {
    PemCertificate client = clientCa.issue(LeafSpec.client("meshcast", List.of(),
        NOW.minusSeconds(60), NOW.plusSeconds(3600)));
    Path cert = write("client.pem", client.chainPem());
    Path key = write("client-key.pem", client.privateKeyPem());
    assertThat(await(source("{insecureSkipVerify: true, certFile: " + cert + ", keyFile: " + key
        + "}").query("up", NOW))).hasSize(1);
  }
}
