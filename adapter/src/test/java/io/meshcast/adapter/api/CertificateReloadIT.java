package io.meshcast.adapter.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshcast.adapter.provider.memory.InMemoryMetricsProvider;
import io.meshcast.adapter.testing.LogCapture;
import io.meshcast.adapter.tls.CertificateAuthority;
import io.meshcast.adapter.tls.LeafSpec;
import io.meshcast.adapter.tls.PemCertificate;
import io.meshcast.adapter.tls.ServingCertificate.CertFiles;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Serving certificates from files are swapped in when the files change (as cert-manager rotates
 * them), without a restart; a broken new file keeps the previous certificate.
 */
final class CertificateReloadIT {

  /** Generous wait for an event: reached only when something is broken. */
  private static final Duration LIMIT = Duration.ofSeconds(60);

  @TempDir Path dir;

  @Test
  void changedFiles_areServedWithoutRestart_brokenFilesKeepThePrevious() throws Exception {
    Instant now = Instant.now();
    CertificateAuthority ca = CertificateAuthority.create("meshcast-test-ca", now.minusSeconds(60),
        now.plus(Duration.ofDays(1)));
    PemCertificate first = serving(ca, now);
    Path cert = dir.resolve("tls.crt");
    Path key = dir.resolve("tls.key");
    write(first, cert, key);

    Vertx vertx = Vertx.vertx();
    InMemoryMetricsProvider provider = new InMemoryMetricsProvider();
    ApiServer server =
        ApiServer.builder(vertx)
            .options(new ApiServer.Options("127.0.0.1", 0, Optional.of(new CertFiles(cert, key)),
                Duration.ofMillis(200), List.of("localhost"), false))
            .customMetrics(provider)
            .externalMetrics(provider)
            .build();
    int port = server.start().toCompletionStage().toCompletableFuture().get();
    try {
      SSLContext trust = ApiFixture.trusting(ca.certificatePem());
      assertThat(servedSerial(trust, port)).isEqualTo(first.certificate().getSerialNumber());

      PemCertificate second = serving(ca, now);
      write(second, cert, key);
      awaitSerial(trust, port, second.certificate());
      assertThat(server.certificate().sha256Fingerprint()).isEqualTo(second.sha256Fingerprint());

      // Captured from here on: a failure logged while the pair was half-moved above doesn't count.
      try (LogCapture logs = LogCapture.of(ApiServer.class)) {
        Files.writeString(cert, "not a certificate");
        logs.await("event=tls_certificate_reload_failed", LIMIT); // the broken file was read
      }
      assertThat(servedSerial(trust, port)).isEqualTo(second.certificate().getSerialNumber());
    } finally {
      server.close().toCompletionStage().toCompletableFuture().get();
      vertx.close().toCompletionStage().toCompletableFuture().get();
    }
  }

  private static PemCertificate serving(CertificateAuthority ca, Instant now) {
    return ca.issue(LeafSpec.server("localhost", List.of("localhost"), List.of("127.0.0.1"),
        now.minusSeconds(60), now.plus(Duration.ofDays(1))));
  }

  private static void write(PemCertificate pem, Path cert, Path key) throws Exception {
    // Write to temporaries and move, as kubelet's atomic writer does for mounted Secrets.
    Path tmpCert = Files.writeString(cert.resolveSibling("tls.crt.tmp"), pem.chainPem());
    Path tmpKey = Files.writeString(key.resolveSibling("tls.key.tmp"), pem.privateKeyPem());
    Files.move(tmpKey, key, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Files.move(tmpCert, cert, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  private static void awaitSerial(SSLContext trust, int port, X509Certificate expected)
      throws Exception {
    long deadline = System.nanoTime() + LIMIT.toNanos();
    while (!servedSerial(trust, port).equals(expected.getSerialNumber())) {
      assertThat(System.nanoTime()).as("new certificate served within %s", LIMIT)
          .isLessThan(deadline);
      Thread.sleep(100);
    }
  }

  private static java.math.BigInteger servedSerial(SSLContext trust, int port) throws Exception {
    try (SSLSocket s = (SSLSocket) trust.getSocketFactory().createSocket("127.0.0.1", port)) {
      s.startHandshake();
      return ((X509Certificate) s.getSession().getPeerCertificates()[0]).getSerialNumber();
    }
  }
}
