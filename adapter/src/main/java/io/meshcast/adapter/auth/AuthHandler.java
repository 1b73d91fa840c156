package io.meshcast.adapter.auth;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * The vertx-web handler that authenticates and authorizes every request; mount it as the first
 * filter, after {@code http.RequestInfo#HANDLER} (it reads the request's {@code RequestInfo}).
 *
 * <p>On success it stores the {@link UserInfo} under {@link #USER_KEY} and the parsed {@link
 * RequestAttributes} under {@link #ATTRIBUTES_KEY}, then calls {@code ctx.next()}. On failure it
 * calls {@code ctx.fail(StatusException)}: 400 for an unparseable path, 401 for rejected or (outside
 * {@code /healthz /livez /readyz}) missing credentials, 403 with apiserver's Forbidden message and
 * details, 500 when the SubjectAccessReview could not be made. In every case the identity headers
 * ({@code X-Remote-*} and the configured request-header names) are removed from the request before
 * any later handler runs, so nothing downstream can trust a forged one.
 */
public interface AuthHandler extends Handler<RoutingContext> {

  /** Context key of the authenticated {@link UserInfo}. */
  String USER_KEY = "meshcast.user";
  /** Context key of the request's {@link RequestAttributes}. */
  String ATTRIBUTES_KEY = "meshcast.requestAttributes";

  /** The production handler. */
  static AuthHandler create(
      AuthConfigSource config, Authenticator authenticator, Authorizer authorizer) {
    return new DefaultAuthHandler(config, authenticator, authorizer);
  }
}
