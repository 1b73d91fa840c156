package io.meshcast.adapter.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Bearer-token authentication via {@code authentication.k8s.io/v1} TokenReview (§4.6), with
 * apiserver's cache: both "authenticated" and "not authenticated" answers are kept for 10 s;
 * failed calls are not cached. Tokens are cached by SHA-256 digest, never in clear. The blocking
 * fabric8 call runs on {@code worker}, bounded by {@code callTimeout}.
 */
final class TokenReviewAuthenticator {

  static final Duration TTL = Duration.ofSeconds(10);

  private final KubernetesClient client;
  private final WorkerExecutor worker;
  private final Cache<String, Optional<UserInfo>> cache;
  private final Duration callTimeout;

  TokenReviewAuthenticator(
      KubernetesClient client, WorkerExecutor worker, Ticker ticker, Duration ttl,
      Duration callTimeout) {
    this.client = Objects.requireNonNull(client, "client");
    this.worker = Objects.requireNonNull(worker, "worker");
    this.callTimeout = Objects.requireNonNull(callTimeout, "callTimeout");
    this.cache =
        Caffeine.newBuilder().ticker(ticker).expireAfterWrite(ttl).maximumSize(10_000).build();
  }

  /** The user for {@code token}, empty if the API server says it is not authenticated. */
  Future<Optional<UserInfo>> review(String token) {
    String key = digest(token);
    Optional<UserInfo> cached = cache.getIfPresent(key);
    if (cached != null) {
      return Future.succeededFuture(cached);
    }
    return worker
        .executeBlocking(() -> call(token), /* ordered= */ false)
        .timeout(callTimeout.toMillis(), TimeUnit.MILLISECONDS)
        .andThen(
            ar -> {
              if (ar.succeeded()) {
                cache.put(key, ar.result());
              }
            });
  }

  private Optional<UserInfo> call(String token) {
    TokenReview review =
        new TokenReviewBuilder().withNewSpec().withToken(token).endSpec().build();
    TokenReview answer = client.authentication().v1().tokenReviews().create(review);
    TokenReviewStatus status = answer == null ? null : answer.getStatus();
    if (status == null || !Boolean.TRUE.equals(status.getAuthenticated())
        || status.getUser() == null || status.getUser().getUsername() == null
        || status.getUser().getUsername().isEmpty()) {
      return Optional.empty();
    }
    var u = status.getUser();
    return Optional.of(
        new UserInfo(
            u.getUsername(), u.getUid(), u.getGroups() == null ? List.of() : u.getGroups(),
            u.getExtra() == null ? Map.of() : u.getExtra()));
  }

  private static String digest(String token) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }
}
