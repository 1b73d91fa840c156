package io.meshcast.adapter.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The HTTPS server's certificate chain and key as PEM, from files ({@code --tls-cert-file},
 * {@code --tls-private-key-file}) or generated self-signed at start.
 *
 * <p>Files are re-read by {@link #reloadIfChanged}, which compares contents rather than mtimes so
 * that the atomic symlink swaps of mounted Secrets and cert-manager are seen. Immutable; {@code
 * toString} never shows the key.
 */
public record ServingCertificate(
    String certChainPem, String privateKeyPem, String sha256Fingerprint, String source) {

  public ServingCertificate {
    Objects.requireNonNull(certChainPem, "certChainPem");
    Objects.requireNonNull(privateKeyPem, "privateKeyPem");
    Objects.requireNonNull(sha256Fingerprint, "sha256Fingerprint");
    Objects.requireNonNull(source, "source");
  }

  /** The two files a serving certificate is read from. */
  public record CertFiles(Path certFile, Path keyFile) {
    public CertFiles {
      Objects.requireNonNull(certFile, "certFile");
      Objects.requireNonNull(keyFile, "keyFile");
    }
  }

  /**
   * Reads and checks the files (blocking I/O: call from a worker thread). The key itself is
   * checked by Vert.x when the server uses it.
   *
   * @throws IllegalArgumentException naming the flag, the file and the problem
   */
  public static ServingCertificate load(CertFiles files) {
    String cert = read(files.certFile(), "--tls-cert-file");
    String key = read(files.keyFile(), "--tls-private-key-file");
    if (!key.contains("PRIVATE KEY-----")) {
      throw new IllegalArgumentException(
          "--tls-private-key-file " + files.keyFile() + " contains no PEM private key");
    }
    List<X509Certificate> chain;
    try {
      chain = CertificateAuthority.parsePemBundle(cert);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "--tls-cert-file " + files.certFile() + " is not a PEM certificate: " + e.getMessage(), e);
    }
    if (chain.isEmpty()) {
      throw new IllegalArgumentException(
          "--tls-cert-file " + files.certFile() + " contains no certificate");
    }
    return new ServingCertificate(
        cert,
        key,
        CertificateAuthority.fingerprint(chain.get(0)),
        "files " + files.certFile() + ", " + files.keyFile());
  }

  /**
   * Re-reads the files; returns the new certificate if the contents changed, empty if not.
   *
   * @throws IllegalArgumentException if the new contents are unreadable or invalid
   */
  public Optional<ServingCertificate> reloadIfChanged(CertFiles files) {
    ServingCertificate fresh = load(files);
    boolean same =
        fresh.certChainPem.equals(certChainPem) && fresh.privateKeyPem.equals(privateKeyPem);
    return same ? Optional.empty() : Optional.of(fresh);
  }

  /** A self-signed certificate for the given names, valid for a year. */
  public static ServingCertificate selfSigned(List<String> dnsNames, List<String> ips) {
    PemCertificate pem = SelfSignedCertificates.generate(dnsNames, ips, Duration.ofDays(365));
    List<String> names = new java.util.ArrayList<>(dnsNames);
    names.addAll(ips);
    return new ServingCertificate(
        pem.chainPem(),
        pem.privateKeyPem(),
        pem.sha256Fingerprint(),
        "self-signed for " + String.join(",", names));
  }

  private static String read(Path file, String flag) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new IllegalArgumentException(flag + " " + file + " cannot be read: "
          + io.meshcast.adapter.config.IoReasons.of(e), e);
    }
  }

  @Override
  public String toString() {
    return "ServingCertificate[" + source + ", sha256=" + sha256Fingerprint + "]";
  }
}
