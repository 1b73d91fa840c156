package io.meshcast.adapter.auth;

import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;

/**
 * Verifies a TLS client certificate chain the way Go's {@code x509.Certificate.Verify} does for
 * apiserver's x509 authenticators: a PKIX path from the leaf to one of the given roots
 * (intermediates may come from the peer's chain), every certificate valid at {@code now}, and the
 * leaf usable for client authentication (EKU ClientAuth or anyExtendedKeyUsage; a leaf without an
 * EKU extension is accepted, as in Go). Revocation is not checked (apiserver does not either).
 * Stateless and thread-safe.
 */
final class ClientCertificateVerifier {

  static final String EKU_CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
  static final String EKU_ANY = "2.5.29.37.0";

  private ClientCertificateVerifier() {}

  /** Thrown when a chain does not verify; the message says why (it is logged, never sent). */
  static final class VerificationException extends Exception {
    private static final long serialVersionUID = 1L;

    VerificationException(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * Returns the verified leaf.
   *
   * @throws VerificationException if the chain is empty, does not chain to {@code roots}, is not
   *     valid at {@code now}, or the leaf lacks the ClientAuth usage
   */
  static X509Certificate verify(
      List<X509Certificate> peerChain, List<X509Certificate> roots, Instant now)
      throws VerificationException {
    if (peerChain.isEmpty()) {
      throw new VerificationException("no client certificate");
    }
    if (roots.isEmpty()) {
      throw new VerificationException("no CA configured");
    }
    X509Certificate leaf = peerChain.get(0);
    requireClientAuth(leaf);
    Set<TrustAnchor> anchors = new HashSet<>();
    for (X509Certificate root : roots) {
      anchors.add(new TrustAnchor(root, null));
    }
    try {
      X509CertSelector target = new X509CertSelector();
      target.setCertificate(leaf);
      PKIXBuilderParameters params = new PKIXBuilderParameters(anchors, target);
      params.setRevocationEnabled(false);
      params.setDate(Date.from(now));
      params.addCertStore(
          CertStore.getInstance("Collection", new CollectionCertStoreParameters(peerChain)));
      CertPathBuilder.getInstance("PKIX").build(params);
      return leaf;
    } catch (InvalidAlgorithmParameterException e) {
      throw new VerificationException("invalid trust configuration: " + e.getMessage());
    } catch (GeneralSecurityException e) {
      throw new VerificationException(
          "certificate " + leaf.getSubjectX500Principal().getName() + " does not verify: "
              + e.getMessage());
    }
  }

  /** Converts a TLS peer chain (javax Certificates) to X.509; non-X.509 entries are rejected. */
  static List<X509Certificate> x509(List<? extends Certificate> chain) throws VerificationException {
    List<X509Certificate> out = new ArrayList<>(chain.size());
    for (Certificate c : chain) {
      if (!(c instanceof X509Certificate x)) {
        throw new VerificationException("not an X.509 certificate: " + c.getType());
      }
      out.add(x);
    }
    return out;
  }

  /** The subject CN (empty if absent). */
  static String commonName(X509Certificate cert) {
    List<String> cns = rdnValues(cert, BCStyle.CN);
    return cns.isEmpty() ? "" : cns.get(0);
  }

  /** The subject O values in order (Kubernetes groups). */
  static List<String> organizations(X509Certificate cert) {
    return rdnValues(cert, BCStyle.O);
  }

  private static List<String> rdnValues(
      X509Certificate cert, org.bouncycastle.asn1.ASN1ObjectIdentifier type) {
    X500Name name = X500Name.getInstance(cert.getSubjectX500Principal().getEncoded());
    List<String> out = new ArrayList<>();
    for (RDN rdn : name.getRDNs(type)) {
      ASN1Encodable value = rdn.getFirst().getValue();
      out.add(
          value instanceof ASN1String s ? s.getString() : IETFUtils.valueToString(value));
    }
    return out;
  }

  private static void requireClientAuth(X509Certificate leaf) throws VerificationException {
    List<String> ekus;
    try {
      ekus = leaf.getExtendedKeyUsage();
    } catch (CertificateParsingException e) {
      throw new VerificationException("unparseable extended key usage: " + e.getMessage());
    }
    if (ekus != null && !ekus.contains(EKU_CLIENT_AUTH) && !ekus.contains(EKU_ANY)) {
      throw new VerificationException(
          "certificate " + leaf.getSubjectX500Principal().getName()
              + " is not valid for client authentication (extended key usage " + ekus + ")");
    }
  }
}
