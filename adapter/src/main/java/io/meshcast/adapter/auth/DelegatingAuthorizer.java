package io.meshcast.adapter.auth;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.Set;

/**
 * apiserver's union authorizer: always-allow groups, always-allow paths, the discovery shortcut,
 * then the SubjectAccessReview webhook (which caches).
 */
final class DelegatingAuthorizer implements Authorizer {

  static final Duration TTL = Duration.ofSeconds(10);

  /** apiserver AlwaysAllowPaths: exact non-resource paths, allowed even for anonymous users. */
  static final Set<String> ALWAYS_ALLOW_PATHS = Set.of("/healthz", "/livez", "/readyz");

  private final SubjectAccessReviewer reviewer;

  DelegatingAuthorizer(SubjectAccessReviewer reviewer) {
    this.reviewer = reviewer;
  }

  @Override
  public Future<Decision> authorize(UserInfo user, RequestAttributes attributes) {
    if (user.inGroup(UserInfo.MASTERS_GROUP)) {
      return Future.succeededFuture(Decision.allow("member of " + UserInfo.MASTERS_GROUP));
    }
    if (isAlwaysAllowed(attributes)) {
      return Future.succeededFuture(Decision.allow("always-allowed path"));
    }
    if (!user.isAnonymous() && isDiscovery(attributes)) {
      // Under default RBAC system:discovery grants exactly this to system:authenticated.
      return Future.succeededFuture(Decision.allow("discovery"));
    }
    return reviewer.review(user, attributes);
  }

  static boolean isAlwaysAllowed(RequestAttributes a) {
    return !a.resourceRequest() && ALWAYS_ALLOW_PATHS.contains(a.path());
  }

  /**
   * GET of {@code /apis}, {@code /apis/{g}}, {@code /apis/{g}/{v}} (non-resource by the
   * requestinfo rule), {@code /api}, {@code /api/{v}}, {@code /version}, {@code /openapi} and
   * {@code /openapi/*}: the non-resource URLs of the built-in system:discovery role.
   */
  static boolean isDiscovery(RequestAttributes a) {
    if (a.resourceRequest() || !a.verb().equals("get")) {
      return false;
    }
    String p = a.path();
    return p.equals("/apis") || p.startsWith("/apis/") || p.equals("/api")
        || p.startsWith("/api/") || p.equals("/openapi") || p.startsWith("/openapi/")
        || p.equals("/version") || p.equals("/version/");
  }
}
