package io.meshcast.adapter.tls;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Generates a self-signed TLS serving certificate at startup, for installs that do not mount a
 * certificate (the APIService then uses {@code insecureSkipTLSVerify: true}, or the operator pins
 * the printed fingerprint / puts the certificate into {@code caBundle}).
 *
 * <p>The certificate is ECDSA P-256 / SHA-256, CA=false, keyUsage digitalSignature, EKU
 * ServerAuth, with every DNS name and IP address as a subject alternative name (Go clients ignore
 * the CN). Its validity starts one minute in the past to tolerate clock skew between nodes.
 */
public final class SelfSignedCertificates {

  /** Backdating of notBefore, for clock skew between the adapter and its clients. */
  static final Duration CLOCK_SKEW = Duration.ofMinutes(1);

  private SelfSignedCertificates() {}

  /**
   * A fresh self-signed serving certificate valid from now (minus one minute) for {@code validity}.
   *
   * @param dnsNames e.g. {@code ["meshcast.meshcast.svc", "meshcast.meshcast.svc.cluster.local",
   *     "localhost"]}; the first one becomes the CN
   * @param ips IP literals such as {@code "127.0.0.1"}
   * @throws IllegalArgumentException if both lists are empty, an IP is not a literal, or the
   *     validity is not positive
   */
  public static PemCertificate generate(List<String> dnsNames, List<String> ips, Duration validity) {
    return generate(dnsNames, ips, validity, Clock.systemUTC());
  }

  /** As {@link #generate(List, List, Duration)} with an explicit clock. */
  public static PemCertificate generate(
      List<String> dnsNames, List<String> ips, Duration validity, Clock clock) {
    Objects.requireNonNull(dnsNames, "dnsNames");
    Objects.requireNonNull(ips, "ips");
    Objects.requireNonNull(validity, "validity");
    if (dnsNames.isEmpty() && ips.isEmpty()) {
      throw new IllegalArgumentException("at least one DNS name or IP address is required");
    }
    if (validity.isNegative() || validity.isZero()) {
      throw new IllegalArgumentException("validity must be positive, got " + validity);
    }
    Instant now = clock.instant();
    String cn = dnsNames.isEmpty() ? ips.get(0) : dnsNames.get(0);
    LeafSpec spec =
        LeafSpec.server(cn, dnsNames, ips, now.minus(CLOCK_SKEW), now.plus(validity));
    try {
      KeyPair keys = CertificateAuthority.newKeyPair();
      X509Certificate cert =
          CertificateAuthority.buildLeaf(spec, keys.getPublic(), null, keys.getPrivate());
      return CertificateAuthority.pemCertificate(cert, keys.getPrivate(), List.of(cert));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot generate self-signed certificate: " + e.getMessage(), e);
    }
  }
}
