package io.meshcast.adapter.auth;

import io.meshcast.adapter.http.RequestInfo;
import io.meshcast.adapter.http.StatusException;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.logging.Logger;

/**
 * The union of apiserver's request-header, x509 and token authenticators, in that order; the
 * first success wins, and if none succeeds any failure (a credential was presented but rejected)
 * makes the request 401 rather than anonymous (apiserver {@code unionauth.NewFailOnError} around
 * the anonymous authenticator, delegating.go).
 */
final class DelegatingAuthenticator implements Authenticator {

  private static final Logger LOG = Logger.getLogger(DelegatingAuthenticator.class.getName());

  private final AuthConfigSource config;
  private final TokenReviewAuthenticator tokens;
  private final VerifiedChains chains;
  private final Clock clock;

  DelegatingAuthenticator(
      AuthConfigSource config, TokenReviewAuthenticator tokens, VerifiedChains chains,
      Clock clock) {
    this.config = Objects.requireNonNull(config, "config");
    this.tokens = tokens;
    this.chains = Objects.requireNonNull(chains, "chains");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public Future<UserInfo> authenticate(
      List<? extends Certificate> peerCertificates, MultiMap headers) {
    AuthConfig cfg = config.current();
    List<String> failures = new ArrayList<>(2);
    UserInfo user = null;
    if (!peerCertificates.isEmpty()) {
      try {
        List<X509Certificate> chain = ClientCertificateVerifier.x509(peerCertificates);
        user = fromRequestHeaders(cfg, chain, headers, failures);
        if (user == null) {
          user = fromClientCertificate(cfg, chain, failures);
        }
      } catch (ClientCertificateVerifier.VerificationException e) {
        failures.add(e.getMessage());
      }
    }
    if (user != null) {
      return Future.succeededFuture(user.withAuthenticatedGroup());
    }
    String token = bearerToken(headers);
    if (token != null && tokens != null) {
      return tokens
          .review(token)
          .transform(
              ar -> {
                if (ar.succeeded() && ar.result().isPresent()) {
                  return Future.succeededFuture(ar.result().get().withAuthenticatedGroup());
                }
                if (ar.failed()) {
                  LOG.warning("TokenReview failed: " + ar.cause());
                } else {
                  LOG.fine(() -> "bearer token rejected by TokenReview; other failures " + failures);
                }
                return Future.failedFuture(StatusException.unauthorized());
              });
    }
    if (token != null) {
      failures.add("bearer token presented but token authentication is not configured");
    }
    if (!failures.isEmpty()) {
      LOG.fine(() -> "authentication failed: " + failures);
      return Future.failedFuture(StatusException.unauthorized());
    }
    return Future.succeededFuture(UserInfo.anonymous());
  }

  /**
   * apiserver's request-header authenticator: only a chain that verifies against the front-proxy
   * CA, with an allowed CN, makes the identity headers trustworthy. Returns null (and adds no
   * failure) when front-proxy auth is not configured or no username header is present.
   */
  private UserInfo fromRequestHeaders(
      AuthConfig cfg, List<X509Certificate> chain, MultiMap headers, List<String> failures) {
    if (cfg.requestHeaderCas().isEmpty()) {
      return null;
    }
    X509Certificate leaf;
    try {
      leaf = chains.verify(chain, cfg.requestHeaderCas(), clock.instant());
    } catch (ClientCertificateVerifier.VerificationException e) {
      failures.add("front-proxy: " + e.getMessage());
      return null;
    }
    String cn = ClientCertificateVerifier.commonName(leaf);
    if (!cfg.allowedNames().isEmpty() && !cfg.allowedNames().contains(cn)) {
      failures.add("front-proxy: subject with cn=" + cn + " is not in the allowed list");
      return null;
    }
    String name = firstValue(headers, cfg.usernameHeaders());
    if (name.isEmpty()) {
      return null;
    }
    return new UserInfo(
        name, firstValue(headers, cfg.uidHeaders()), allValues(headers, cfg.groupHeaders()),
        extras(headers, cfg.extraHeaderPrefixes()));
  }

  /** apiserver's x509 authenticator: user = CN, groups = O, against {@code client-ca-file}. */
  private UserInfo fromClientCertificate(
      AuthConfig cfg, List<X509Certificate> chain, List<String> failures) {
    if (cfg.clientCas().isEmpty()) {
      return null;
    }
    try {
      X509Certificate leaf =
          chains.verify(chain, cfg.clientCas(), clock.instant());
      String cn = ClientCertificateVerifier.commonName(leaf);
      if (cn.isEmpty()) {
        failures.add("client certificate has an empty common name");
        return null;
      }
      return new UserInfo(cn, "", ClientCertificateVerifier.organizations(leaf), Map.of());
    } catch (ClientCertificateVerifier.VerificationException e) {
      failures.add("client-ca: " + e.getMessage());
      return null;
    }
  }

  /** The bearer token of an {@code Authorization: Bearer <token>} header, else null. */
  static String bearerToken(MultiMap headers) {
    String auth = headers.get("Authorization");
    if (auth == null) {
      return null;
    }
    String[] parts = auth.trim().split(" ");
    if (parts.length < 2 || !parts[0].equalsIgnoreCase("bearer")) {
      return null;
    }
    String token = parts[1];
    return token.isEmpty() ? null : token;
  }

  private static String firstValue(MultiMap headers, List<String> names) {
    for (String name : names) {
      String v = headers.get(name);
      if (v != null && !v.isEmpty()) {
        return v;
      }
    }
    return "";
  }

  private static List<String> allValues(MultiMap headers, List<String> names) {
    List<String> out = new ArrayList<>();
    for (String name : names) {
      for (String v : headers.getAll(name)) {
        if (!v.isEmpty()) {
          out.add(v);
        }
      }
    }
    return out;
  }

  /** Extra attributes: key = path-unescaped lower-case header suffix (requestheader.go). */
  private static Map<String, List<String>> extras(MultiMap headers, List<String> prefixes) {
    Map<String, List<String>> extra = new LinkedHashMap<>();
    for (Map.Entry<String, String> header : headers) {
      String lower = header.getKey().toLowerCase(Locale.ROOT);
      for (String prefix : prefixes) {
        if (!lower.startsWith(prefix)) {
          continue;
        }
        String key = pathUnescape(lower.substring(prefix.length()));
        if (key != null && !key.isEmpty()) {
          extra.computeIfAbsent(key, k -> new ArrayList<>()).add(header.getValue());
        }
      }
    }
    return extra;
  }

  /** Go's url.PathUnescape ('+' stays '+'); null on a malformed escape. */
  private static String pathUnescape(String s) {
    try {
      return RequestInfo.percentDecode(s, false, "header");
    } catch (StatusException e) {
      return null;
    }
  }
}
