package io.meshcast.adapter.tls;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * A certificate with its private key and issuing chain, both as Java objects and as PEM text
 * ready for Vert.x {@code PemKeyCertOptions} or a Kubernetes Secret.
 *
 * <p>{@code chain} is leaf first and excludes the root CA unless the leaf is self-signed (then it
 * is just the leaf). {@code privateKeyPem} is unencrypted PKCS#8 ({@code BEGIN PRIVATE KEY}).
 * {@code sha256Fingerprint} is the SHA-256 of the leaf's DER encoding as upper-case hex pairs
 * joined by {@code :} (the {@code openssl x509 -fingerprint -sha256} form). Immutable.
 */
public record PemCertificate(
    X509Certificate certificate,
    PrivateKey privateKey,
    List<X509Certificate> chain,
    String certificatePem,
    String chainPem,
    String privateKeyPem,
    String sha256Fingerprint) {

  public PemCertificate {
    Objects.requireNonNull(certificate, "certificate");
    Objects.requireNonNull(privateKey, "privateKey");
    chain = List.copyOf(chain);
    Objects.requireNonNull(certificatePem, "certificatePem");
    Objects.requireNonNull(chainPem, "chainPem");
    Objects.requireNonNull(privateKeyPem, "privateKeyPem");
    Objects.requireNonNull(sha256Fingerprint, "sha256Fingerprint");
  }

  @Override
  public String toString() {
    // Never print the key.
    return "PemCertificate[" + certificate.getSubjectX500Principal().getName() + ", sha256="
        + sha256Fingerprint + "]";
  }
}
