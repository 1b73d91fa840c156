package io.meshcast.adapter.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * An in-memory X.509 certificate authority (ECDSA P-256, SHA-256) that issues client and server
 * certificates. Used at runtime by {@link SelfSignedCertificates} and by tests that need a
 * front-proxy CA, a client CA, or deliberately broken certificates (wrong CA, wrong CN, expired,
 * missing ClientAuth usage).
 *
 * <p>The CA certificate has basicConstraints CA=true (path length 0) and keyUsage
 * keyCertSign+cRLSign. Issued leaves have CA=false, keyUsage digitalSignature, the requested
 * extended key usages and subject alternative names, a random 127-bit serial, and subject/authority
 * key identifiers. Thread-safe (issuing is stateless apart from the secure random source).
 */
public final class CertificateAuthority {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String SIGNATURE_ALGORITHM = "SHA256withECDSA";

  private final X509Certificate certificate;
  private final PrivateKey privateKey;

  private CertificateAuthority(X509Certificate certificate, PrivateKey privateKey) {
    this.certificate = certificate;
    this.privateKey = privateKey;
  }

  /**
   * Creates a new self-signed root CA valid over {@code [notBefore, notAfter]}.
   *
   * @throws IllegalArgumentException if the window is empty or the CN is blank
   */
  public static CertificateAuthority create(String commonName, Instant notBefore, Instant notAfter) {
    requireName(commonName);
    requireWindow(notBefore, notAfter);
    try {
      KeyPair keys = newKeyPair();
      X500Name subject = name(commonName, List.of());
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
                  subject, serial(), Date.from(notBefore), Date.from(notAfter), subject,
                  keys.getPublic())
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
              .addExtension(
                  Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
              .addExtension(
                  Extension.subjectKeyIdentifier, false,
                  ext.createSubjectKeyIdentifier(keys.getPublic()));
      return new CertificateAuthority(sign(builder, keys.getPrivate()), keys.getPrivate());
    } catch (GeneralSecurityException | CertIOException e) {
      throw new IllegalStateException("cannot create CA " + commonName + ": " + e.getMessage(), e);
    }
  }

  /** The CA certificate (the trust anchor to put into a CA bundle). */
  public X509Certificate certificate() {
    return certificate;
  }

  /** The CA certificate as PEM. */
  public String certificatePem() {
    return toPem(certificate);
  }

  /** The CA certificate and key, e.g. to hand a CA to cert-manager or to sign elsewhere. */
  public PemCertificate asPemCertificate() {
    return pemCertificate(certificate, privateKey, List.of(certificate));
  }

  /**
   * Issues a leaf certificate signed by this CA. The window is taken verbatim from the spec (it is
   * not clamped to the CA's window, so tests can build certificates a verifier must reject).
   */
  public PemCertificate issue(LeafSpec spec) {
    Objects.requireNonNull(spec, "spec");
    try {
      KeyPair keys = newKeyPair();
      X509Certificate leaf = buildLeaf(spec, keys.getPublic(), certificate, privateKey);
      return pemCertificate(leaf, keys.getPrivate(), List.of(leaf));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(
          "cannot issue certificate for " + spec.commonName() + ": " + e.getMessage(), e);
    }
  }

  /** Builds a leaf; {@code issuer == null} makes it self-signed with {@code leafKey}. */
  static X509Certificate buildLeaf(
      LeafSpec spec, PublicKey leafKey, X509Certificate issuer, PrivateKey signingKey) {
    try {
      X500Name subject = name(spec.commonName(), spec.organizations());
      X500Name issuerName =
          issuer == null
              ? subject
              : X500Name.getInstance(issuer.getSubjectX500Principal().getEncoded());
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
                  issuerName, serial(), Date.from(spec.notBefore()), Date.from(spec.notAfter()),
                  subject, leafKey)
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
              .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
              .addExtension(
                  Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(leafKey));
      if (issuer != null) {
        builder.addExtension(
            Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(issuer));
      }
      if (!spec.usages().isEmpty()) {
        List<KeyPurposeId> purposes = new ArrayList<>();
        for (LeafSpec.Usage usage : spec.usages()) {
          purposes.add(
              usage == LeafSpec.Usage.CLIENT_AUTH
                  ? KeyPurposeId.id_kp_clientAuth
                  : KeyPurposeId.id_kp_serverAuth);
        }
        builder.addExtension(
            Extension.extendedKeyUsage, false,
            new ExtendedKeyUsage(purposes.toArray(KeyPurposeId[]::new)));
      }
      List<GeneralName> sans = new ArrayList<>();
      for (String dns : spec.dnsNames()) {
        sans.add(new GeneralName(GeneralName.dNSName, dns));
      }
      for (String ip : spec.ipAddresses()) {
        requireIpLiteral(ip);
        sans.add(new GeneralName(GeneralName.iPAddress, ip));
      }
      if (!sans.isEmpty()) {
        builder.addExtension(
            Extension.subjectAlternativeName, false,
            new GeneralNames(sans.toArray(GeneralName[]::new)));
      }
      return sign(builder, signingKey);
    } catch (GeneralSecurityException | CertIOException e) {
      throw new IllegalStateException(
          "cannot issue certificate for " + spec.commonName() + ": " + e.getMessage(), e);
    }
  }

  static KeyPair newKeyPair() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
    return generator.generateKeyPair();
  }

  static PemCertificate pemCertificate(
      X509Certificate leaf, PrivateKey key, List<X509Certificate> chain) {
    StringBuilder chainPem = new StringBuilder();
    for (X509Certificate c : chain) {
      chainPem.append(toPem(c));
    }
    return new PemCertificate(
        leaf, key, chain, toPem(leaf), chainPem.toString(),
        pem("PRIVATE KEY", key.getEncoded()), fingerprint(leaf));
  }

  /** PEM text of one certificate. */
  public static String toPem(X509Certificate certificate) {
    try {
      return pem("CERTIFICATE", certificate.getEncoded());
    } catch (CertificateException e) {
      throw new IllegalStateException("cannot encode certificate: " + e.getMessage(), e);
    }
  }

  /**
   * Parses every certificate in a PEM bundle (order preserved).
   *
   * @throws IllegalArgumentException if the text holds no certificate or a malformed one
   */
  public static List<X509Certificate> parsePemBundle(String pem) {
    Objects.requireNonNull(pem, "pem");
    try {
      Collection<? extends java.security.cert.Certificate> parsed =
          CertificateFactory.getInstance("X.509")
              .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
      List<X509Certificate> out = new ArrayList<>();
      for (java.security.cert.Certificate c : parsed) {
        out.add((X509Certificate) c);
      }
      if (out.isEmpty()) {
        throw new IllegalArgumentException("no PEM certificate found");
      }
      return List.copyOf(out);
    } catch (CertificateException e) {
      throw new IllegalArgumentException("malformed PEM certificate bundle: " + e.getMessage(), e);
    }
  }

  /** SHA-256 of the DER encoding, upper-case hex pairs joined by ':'. */
  public static String fingerprint(X509Certificate certificate) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
      return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot fingerprint certificate: " + e.getMessage(), e);
    }
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key)
      throws GeneralSecurityException {
    try {
      ContentSigner signer = new JcaContentSignerBuilder(SIGNATURE_ALGORITHM).build(key);
      X509CertificateHolder holder = builder.build(signer);
      return new JcaX509CertificateConverter().getCertificate(holder);
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException(e.getMessage(), e);
    }
  }

  private static X500Name name(String commonName, List<String> organizations) {
    X500NameBuilder builder = new X500NameBuilder(BCStyle.INSTANCE);
    for (String o : organizations) {
      builder.addRDN(BCStyle.O, o);
    }
    builder.addRDN(BCStyle.CN, commonName);
    return builder.build();
  }

  private static BigInteger serial() {
    // 127 random bits: positive and below the 20-octet limit of RFC 5280 §4.1.2.2.
    return new BigInteger(127, RANDOM).setBit(0);
  }

  private static String pem(String type, byte[] der) {
    String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
        .encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
  }

  private static void requireName(String commonName) {
    if (commonName == null || commonName.isBlank()) {
      throw new IllegalArgumentException("commonName must not be blank");
    }
  }

  static void requireWindow(Instant notBefore, Instant notAfter) {
    Objects.requireNonNull(notBefore, "notBefore");
    Objects.requireNonNull(notAfter, "notAfter");
    if (!notAfter.isAfter(notBefore)) {
      throw new IllegalArgumentException(
          "notAfter " + notAfter + " must be after notBefore " + notBefore);
    }
  }

  private static void requireIpLiteral(String ip) {
    // InetAddress.getByName would resolve host names; only accept literals.
    if (ip.isEmpty() || !(ip.chars().allMatch(ch -> Character.digit(ch, 16) >= 0 || ch == '.'
        || ch == ':'))) {
      throw new IllegalArgumentException("not an IP address literal: '" + ip + "'");
    }
    try {
      InetAddress.getByName(ip);
    } catch (IOException e) {
      throw new IllegalArgumentException("not an IP address literal: '" + ip + "'", e);
    }
  }
}
