package io.meshcast.adapter.auth;

import io.meshcast.adapter.http.RequestInfo;
import io.meshcast.adapter.http.StatusException;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.logging.Logger;
import javax.net.ssl.SSLPeerUnverifiedException;

/** Runs authentication then authorization; see {@link AuthHandler}. */
final class DefaultAuthHandler implements AuthHandler {

  private static final Logger LOG = Logger.getLogger(DefaultAuthHandler.class.getName());
  private static final String REMOTE_PREFIX = "x-remote-";

  private final AuthConfigSource config;
  private final Authenticator authenticator;
  private final Authorizer authorizer;

  DefaultAuthHandler(AuthConfigSource config, Authenticator authenticator, Authorizer authorizer) {
    this.config = Objects.requireNonNull(config, "config");
    this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
    this.authorizer = Objects.requireNonNull(authorizer, "authorizer");
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest req = ctx.request();
    // Copy the headers as received, then strip identity headers from the live request at once,
    // whatever the outcome: only the authenticator ever sees them.
    MultiMap received = MultiMap.caseInsensitiveMultiMap().addAll(req.headers());
    stripIdentityHeaders(req.headers(), config.current());

    RequestAttributes attributes;
    try {
      attributes = RequestAttributes.from(RequestInfo.of(ctx));
    } catch (IllegalArgumentException e) {
      LOG.fine(() -> "rejecting request: " + e.getMessage());
      ctx.fail(StatusException.badRequest("invalid request path"));
      return;
    }
    authenticator
        .authenticate(peerCertificates(req), received)
        .compose(user -> authorize(user, attributes))
        .onSuccess(
            user -> {
              ctx.put(USER_KEY, user);
              ctx.put(ATTRIBUTES_KEY, attributes);
              ctx.next();
            })
        .onFailure(err -> ctx.fail(asStatus(err)));
  }

  private Future<UserInfo> authorize(UserInfo user, RequestAttributes attributes) {
    if (user.isAnonymous() && !DelegatingAuthorizer.isAlwaysAllowed(attributes)) {
      // Anonymous callers may only probe health; no SubjectAccessReview is spent on them.
      return Future.failedFuture(StatusException.unauthorized());
    }
    return authorizer
        .authorize(user, attributes)
        .compose(
            decision ->
                decision.allowed()
                    ? Future.succeededFuture(user)
                    : Future.failedFuture(forbidden(user, attributes, decision.reason())));
  }

  private static StatusException asStatus(Throwable err) {
    if (err instanceof StatusException s) {
      return s;
    }
    LOG.warning("authorization failed with an error: " + err);
    return new StatusException(
        500, "InternalError", "Internal error occurred: authorization check failed");
  }

  static List<Certificate> peerCertificates(HttpServerRequest req) {
    if (!req.isSSL()) {
      return List.of();
    }
    try {
      List<Certificate> chain = req.connection().peerCertificates();
      return chain == null ? List.of() : chain;
    } catch (SSLPeerUnverifiedException e) {
      return List.of(); // no client certificate: fine (probes)
    }
  }

  static void stripIdentityHeaders(MultiMap headers, AuthConfig cfg) {
    List<String> doomed = new ArrayList<>();
    for (String name : headers.names()) {
      if (name.toLowerCase(Locale.ROOT).startsWith(REMOTE_PREFIX) || cfg.isIdentityHeader(name)) {
        doomed.add(name);
      }
    }
    doomed.forEach(headers::remove);
  }

  /**
   * apiserver's 403 (responsewriters.Forbidden + errors.NewForbidden): message {@code
   * <resource>.<group> "<name>" is forbidden: User "<u>" cannot <verb> resource "<res[/sub]>" in
   * API group "<g>" in the namespace "<ns>"[: <reason>]}, or {@code forbidden: User "<u>" cannot
   * <verb> path "<path>"} for non-resource requests; details {name, group, kind=resource}.
   */
  static StatusException forbidden(UserInfo user, RequestAttributes a, String reason) {
    String why;
    if (!a.resourceRequest()) {
      why = "User " + quote(user.name()) + " cannot " + a.verb() + " path " + quote(a.path());
    } else {
      String resource =
          a.subresource().isEmpty() ? a.resource() : a.resource() + "/" + a.subresource();
      why = "User " + quote(user.name()) + " cannot " + a.verb() + " resource " + quote(resource)
          + " in API group " + quote(a.apiGroup())
          + (a.namespace().isEmpty()
              ? " at the cluster scope"
              : " in the namespace " + quote(a.namespace()));
    }
    if (!reason.isEmpty()) {
      why = why + ": " + reason;
    }
    if (!a.resourceRequest() || a.resource().isEmpty()) {
      return new StatusException(403, "Forbidden", "forbidden: " + why);
    }
    String qualified = a.apiGroup().isEmpty() ? a.resource() : a.resource() + "." + a.apiGroup();
    String message =
        a.name().isEmpty()
            ? qualified + " is forbidden: " + why
            : qualified + " " + quote(a.name()) + " is forbidden: " + why;
    return new StatusException(
        403, "Forbidden", message, a.name().isEmpty() ? null : a.name(),
        a.apiGroup().isEmpty() ? null : a.apiGroup(), a.resource());
  }

  /** Go's %q for the strings we format (printable ASCII plus escapes). */
  static String quote(String s) {
    StringBuilder out = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            out.append(String.format("\\x%02x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }
}
