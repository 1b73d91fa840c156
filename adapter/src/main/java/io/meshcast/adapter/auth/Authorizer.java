package io.meshcast.adapter.auth;

import com.github.benmanes.caffeine.cache.Ticker;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import java.time.Duration;
import java.util.Objects;

/**
 * Decides whether a user may perform a request, like the delegating authorizer of
 * k8s.io/apiserver (k8s-metrics-api.md §4.5): {@code system:masters} always, {@code /healthz
 * /livez /readyz} always (exact paths), discovery and OpenAPI GETs for authenticated users, and
 * everything else by SubjectAccessReview with allow and deny answers cached for 10 s.
 *
 * <p>Contract: succeeds with a {@link Decision}; fails only when the decision could not be made
 * (the SubjectAccessReview call failed or timed out), which the HTTP layer renders as 500.
 * Thread-safe; never blocks the caller.
 */
public interface Authorizer {

  Future<Decision> authorize(UserInfo user, RequestAttributes attributes);

  /** An authorization answer; {@code reason} is the reviewer's explanation (may be empty). */
  record Decision(boolean allowed, String reason) {
    public Decision {
      reason = reason == null ? "" : reason;
    }

    public static Decision allow(String reason) {
      return new Decision(true, reason);
    }

    public static Decision deny(String reason) {
      return new Decision(false, reason);
    }
  }

  /**
   * The production authorizer.
   *
   * @param client used for SubjectAccessReview (RBAC: system:auth-delegator)
   * @param worker runs the blocking fabric8 calls
   * @param ticker drives the 10 s decision cache
   */
  static Authorizer delegating(KubernetesClient client, WorkerExecutor worker, Ticker ticker) {
    Objects.requireNonNull(client, "client");
    return new DelegatingAuthorizer(
        new SubjectAccessReviewer(client, worker, ticker, DelegatingAuthorizer.TTL,
            Duration.ofSeconds(10)));
  }

  /** Allows everything; only for {@code --insecure-authn} development mode. */
  static Authorizer allowAll() {
    return (user, attributes) -> Future.succeededFuture(Decision.allow("insecure-authn"));
  }
}
