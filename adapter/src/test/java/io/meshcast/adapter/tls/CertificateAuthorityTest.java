package io.meshcast.adapter.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.Signature;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

final class CertificateAuthorityTest {

  private static final Instant NOW = Instant.parse("2026-11-21T10:00:00Z");

  @Test
  void selfSigned_hasSansServerAuthAndVerifiesItself() throws Exception {
    PemCertificate pem =
        SelfSignedCertificates.generate(
            List.of("meshcast.meshcast.svc", "localhost"), List.of("127.0.0.1"),
            Duration.ofDays(365), Clock.fixed(NOW, ZoneOffset.UTC));
    X509Certificate cert = pem.certificate();

    assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=meshcast.meshcast.svc");
    assertThat(cert.getSubjectAlternativeNames())
        .extracting(l -> (Object) l.get(1))
        .containsExactly((Object) "meshcast.meshcast.svc", "localhost", "127.0.0.1");
    assertThat(cert.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
    assertThat(cert.getBasicConstraints()).isEqualTo(-1);
    assertThat(cert.getNotBefore().toInstant()).isEqualTo(NOW.minus(Duration.ofMinutes(1)));
    assertThat(cert.getNotAfter().toInstant()).isEqualTo(NOW.plus(Duration.ofDays(365)));
    cert.verify(cert.getPublicKey());
    assertThat(pem.sha256Fingerprint()).matches("([0-9A-F]{2}:){31}[0-9A-F]{2}");
    assertThat(pem.privateKeyPem()).startsWith("-----BEGIN PRIVATE KEY-----\n");
    assertThat(CertificateAuthority.parsePemBundle(pem.certificatePem())).containsExactly(cert);
  }

  @Test
  void selfSigned_keyMatchesCertificate() throws Exception {
    PemCertificate pem =
        SelfSignedCertificates.generate(List.of("localhost"), List.of(), Duration.ofHours(1));
    Signature signer = Signature.getInstance("SHA256withECDSA");
    signer.initSign(pem.privateKey());
    signer.update(new byte[] {1, 2, 3});
    byte[] sig = signer.sign();
    Signature verifier = Signature.getInstance("SHA256withECDSA");
    verifier.initVerify(pem.certificate().getPublicKey());
    verifier.update(new byte[] {1, 2, 3});
    assertThat(verifier.verify(sig)).isTrue();
  }

  @Test
  void selfSigned_rejectsNoNamesAndBadIp() {
    assertThatThrownBy(
            () -> SelfSignedCertificates.generate(List.of(), List.of(), Duration.ofHours(1)))
        .hasMessageContaining("at least one DNS name or IP address");
    assertThatThrownBy(
            () ->
                SelfSignedCertificates.generate(
                    List.of("a"), List.of("example.com"), Duration.ofHours(1)))
        .hasMessageContaining("not an IP address literal: 'example.com'");
    assertThatThrownBy(
            () -> SelfSignedCertificates.generate(List.of("a"), List.of(), Duration.ZERO))
        .hasMessageContaining("validity must be positive");
  }

  @Test
  void issuedClientCertificate_validatesWithPkixAgainstCa() throws Exception {
    CertificateAuthority ca =
        CertificateAuthority.create("front-proxy-ca", NOW.minusSeconds(60), NOW.plusSeconds(3600));
    PemCertificate client =
        ca.issue(
            LeafSpec.client(
                "front-proxy-client", List.of("system:masters"), NOW.minusSeconds(10),
                NOW.plusSeconds(600)));

    X509Certificate cert = client.certificate();
    assertThat(cert.getSubjectX500Principal().getName())
        .isEqualTo("CN=front-proxy-client,O=system:masters");
    assertThat(cert.getIssuerX500Principal()).isEqualTo(ca.certificate().getSubjectX500Principal());
    assertThat(cert.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2");

    PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(ca.certificate(), null)));
    params.setRevocationEnabled(false);
    params.setDate(Date.from(NOW));
    CertPathValidator.getInstance("PKIX")
        .validate(CertificateFactory.getInstance("X.509").generateCertPath(List.of(cert)), params);
  }

  @Test
  void issue_keepsRequestedWindowEvenIfExpired() {
    CertificateAuthority ca =
        CertificateAuthority.create("ca", NOW.minusSeconds(3600), NOW.plusSeconds(3600));
    PemCertificate expired =
        ca.issue(LeafSpec.client("old", List.of(), NOW.minusSeconds(600), NOW.minusSeconds(1)));
    assertThat(expired.certificate().getNotAfter().toInstant()).isEqualTo(NOW.minusSeconds(1));
    assertThatThrownBy(() -> LeafSpec.client("x", List.of(), NOW, NOW))
        .hasMessageContaining("must be after notBefore");
  }
}
