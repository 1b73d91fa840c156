package io.meshcast.adapter.tls;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What to put into a certificate issued by {@link CertificateAuthority#issue}.
 *
 * <p>{@code commonName} becomes the subject CN (the Kubernetes user name of an x509 client cert),
 * each entry of {@code organizations} a subject O (a Kubernetes group). {@code usages} become the
 * extended key usage extension; an empty set omits the extension. {@code dnsNames} and {@code
 * ipAddresses} become subject alternative names. The validity window is {@code [notBefore,
 * notAfter]}, which may lie entirely in the past or future (tests use that for expired and
 * not-yet-valid certificates). Immutable.
 */
public record LeafSpec(
    String commonName,
    List<String> organizations,
    Instant notBefore,
    Instant notAfter,
    Set<Usage> usages,
    List<String> dnsNames,
    List<String> ipAddresses) {

  /** Extended key usages we issue. */
  public enum Usage {
    CLIENT_AUTH,
    SERVER_AUTH
  }

  public LeafSpec {
    Objects.requireNonNull(commonName, "commonName");
    organizations = List.copyOf(organizations);
    Objects.requireNonNull(notBefore, "notBefore");
    Objects.requireNonNull(notAfter, "notAfter");
    if (!notAfter.isAfter(notBefore)) {
      throw new IllegalArgumentException(
          "notAfter " + notAfter + " must be after notBefore " + notBefore);
    }
    usages = Set.copyOf(usages);
    dnsNames = List.copyOf(dnsNames);
    ipAddresses = List.copyOf(ipAddresses);
  }

  /** A TLS client certificate (ClientAuth EKU) for user {@code commonName} in groups {@code orgs}. */
  public static LeafSpec client(
      String commonName, List<String> organizations, Instant notBefore, Instant notAfter) {
    return new LeafSpec(
        commonName, organizations, notBefore, notAfter, Set.of(Usage.CLIENT_AUTH), List.of(),
        List.of());
  }

  /** A TLS server certificate (ServerAuth EKU) for the given DNS names and IP addresses. */
  public static LeafSpec server(
      String commonName,
      List<String> dnsNames,
      List<String> ipAddresses,
      Instant notBefore,
      Instant notAfter) {
    return new LeafSpec(
        commonName, List.of(), notBefore, notAfter, Set.of(Usage.SERVER_AUTH), dnsNames,
        ipAddresses);
  }

  /** A copy with different extended key usages (e.g. none, or ServerAuth on a client cert). */
  public LeafSpec withUsages(Set<Usage> newUsages) {
    return new LeafSpec(
        commonName, organizations, notBefore, notAfter, newUsages, dnsNames, ipAddresses);
  }
}
