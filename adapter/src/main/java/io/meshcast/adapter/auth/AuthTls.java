package io.meshcast.adapter.auth;

import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.TrustOptions;
import java.net.Socket;
import java.security.cert.X509Certificate;
import java.util.Set;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * TLS settings for the HTTPS server that pair with {@link Authenticator}: the handshake requests a
 * client certificate but accepts any (or none), so kubelet probes and callers with untrusted
 * certificates still connect; whether a certificate means anything is decided per request
 * against the current CA bundle from {@link AuthConfigSource}. This is what makes CA rotation
 * need no TLS reload.
 */
public final class AuthTls {

  /** Largest request line we accept (bytes). */
  public static final int MAX_INITIAL_LINE_LENGTH = 8 * 1024;
  /** Largest header block we accept (bytes); larger requests get 431 from Vert.x. */
  public static final int MAX_HEADER_SIZE = 16 * 1024;

  private AuthTls() {}

  /**
   * Trust options whose trust manager accepts every client certificate chain at handshake time
   * and advertises no acceptable issuers (so clients send their certificate unconditionally).
   * Never use this for a client or for server-certificate verification.
   */
  public static TrustOptions acceptAnyClientCertificate() {
    return TrustOptions.wrap(AcceptAnyClientTrustManager.INSTANCE);
  }

  /**
   * Applies the security-relevant server options: TLS 1.2+, client certificates requested but
   * not required, {@link #acceptAnyClientCertificate()}, and bounded request line and header
   * sizes. The caller still sets the key/cert, host and port.
   */
  public static HttpServerOptions harden(HttpServerOptions options) {
    return options
        .setSsl(true)
        .setClientAuth(ClientAuth.REQUEST)
        .setTrustOptions(acceptAnyClientCertificate())
        .setEnabledSecureTransportProtocols(Set.of("TLSv1.2", "TLSv1.3"))
        .setMaxInitialLineLength(MAX_INITIAL_LINE_LENGTH)
        .setMaxHeaderSize(MAX_HEADER_SIZE);
  }

  /**
   * Extended (not plain X509TrustManager) so the JDK does not wrap it with its own checks. The
   * server-side methods throw: this manager must only ever judge clients.
   */
  private static final class AcceptAnyClientTrustManager extends X509ExtendedTrustManager {
    static final AcceptAnyClientTrustManager INSTANCE = new AcceptAnyClientTrustManager();
    private static final X509Certificate[] NONE = new X509Certificate[0];

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType)
        throws java.security.cert.CertificateException {
      throw new java.security.cert.CertificateException("server certificates are never trusted");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws java.security.cert.CertificateException {
      checkServerTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws java.security.cert.CertificateException {
      checkServerTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return NONE;
    }
  }
}
