package io.meshcast.adapter.tls;

import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.TrustOptions;
import java.net.Socket;
import java.security.cert.X509Certificate;
import java.util.Set;
import java.util.concurrent.TimeUnit;
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

  /** Longest a client may take to complete the TLS handshake. */
  public static final long HANDSHAKE_TIMEOUT_SECONDS = 10;
  /** Recommended {@link HeaderDeadline}: time to deliver a complete request head. */
  public static final java.time.Duration HEADER_DEADLINE = java.time.Duration.ofSeconds(30);

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
   * not required, {@link #acceptAnyClientCertificate()}, bounded request line and header sizes
   * (414/431 beyond them) and a TLS handshake timeout. The caller still sets the key/cert, host
   * and port, and should install a {@link HeaderDeadline} (e.g. {@link #HEADER_DEADLINE}).
   */
  public static HttpServerOptions harden(HttpServerOptions options) {
    return options
        .setSsl(true)
        .setClientAuth(ClientAuth.REQUEST)
        .setTrustOptions(acceptAnyClientCertificate())
        .setEnabledSecureTransportProtocols(Set.of("TLSv1.2", "TLSv1.3"))
        .setMaxInitialLineLength(MAX_INITIAL_LINE_LENGTH)
        .setMaxHeaderSize(MAX_HEADER_SIZE)
        // A TCP connection that never completes the handshake is dropped after this long.
        .setSslHandshakeTimeout(HANDSHAKE_TIMEOUT_SECONDS)
        .setSslHandshakeTimeoutUnit(TimeUnit.SECONDS);
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
