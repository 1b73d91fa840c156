package io.meshcast.adapter.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshcast.adapter.auth.ClientCertificateVerifier.VerificationException;
import io.meshcast.adapter.tls.CertificateAuthority;
import io.meshcast.adapter.tls.LeafSpec;
import io.meshcast.adapter.tls.PemCertificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

final class VerifiedChainsTest {

  private static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");

  private final CertificateAuthority frontProxyCa =
      CertificateAuthority.create("front-proxy-ca", NOW.minusSeconds(3600), NOW.plusSeconds(86400));
  private final CertificateAuthority otherCa =
      CertificateAuthority.create("other-ca", NOW.minusSeconds(3600), NOW.plusSeconds(86400));
  private final FakeTicker ticker = new FakeTicker();
  private final AtomicInteger pathBuilds = new AtomicInteger();
  private final VerifiedChains chains = new VerifiedChains(ticker, Duration.ofSeconds(10),
      (chain, roots, now) -> {
        pathBuilds.incrementAndGet();
        return ClientCertificateVerifier.verify(chain, roots, now);
      });

  private List<X509Certificate> client(Instant notAfter) {
    PemCertificate c = frontProxyCa.issue(
        LeafSpec.client("front-proxy-client", List.of(), NOW.minusSeconds(60), notAfter));
    return c.chain();
  }

  @Test
  void sameChainAndBundle_buildsThePathOncePerTtl() throws Exception {
    List<X509Certificate> chain = client(NOW.plusSeconds(3600));
    List<X509Certificate> roots = List.of(frontProxyCa.certificate());
    for (int i = 0; i < 5; i++) {
      assertThat(chains.verify(chain, roots, NOW)).isEqualTo(chain.get(0));
    }
    assertThat(pathBuilds).hasValue(1);
    ticker.advance(Duration.ofSeconds(11));
    chains.verify(chain, roots, NOW.plusSeconds(11));
    assertThat(pathBuilds).hasValue(2);
  }

  @Test
  void cachedChain_isRefusedTheMomentItExpires() throws Exception {
    List<X509Certificate> chain = client(NOW.plusSeconds(5));
    List<X509Certificate> roots = List.of(frontProxyCa.certificate());
    chains.verify(chain, roots, NOW);
    assertThatThrownBy(() -> chains.verify(chain, roots, NOW.plusSeconds(6)))
        .isInstanceOf(VerificationException.class);
  }

  @Test
  void rotatedBundle_isADifferentKey_andFailuresAreNotCached() throws Exception {
    List<X509Certificate> chain = client(NOW.plusSeconds(3600));
    chains.verify(chain, List.of(frontProxyCa.certificate()), NOW);
    List<X509Certificate> rotated = List.of(otherCa.certificate());
    assertThatThrownBy(() -> chains.verify(chain, rotated, NOW))
        .isInstanceOf(VerificationException.class);
    assertThatThrownBy(() -> chains.verify(chain, rotated, NOW))
        .isInstanceOf(VerificationException.class);
    assertThat(pathBuilds).hasValue(3);
  }
}
