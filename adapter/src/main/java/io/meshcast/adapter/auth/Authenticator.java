package io.meshcast.adapter.auth;

import com.github.benmanes.caffeine.cache.Ticker;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.WorkerExecutor;
import java.security.cert.Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * Decides who sent a request, like the delegating authenticator of k8s.io/apiserver
 * (k8s-metrics-api.md §4.4): front-proxy request headers, then x509 client certificate, then
 * bearer token via TokenReview; {@code system:authenticated} is added to every authenticated user.
 *
 * <p>Contract: succeeds with {@link UserInfo#anonymous()} when the request carries no credential
 * at all; fails with {@link io.meshcast.adapter.http.StatusException#unauthorized()} when it carries
 * a credential that no authenticator accepts (a certificate that does not verify, a bad token).
 * {@code X-Remote-*} headers are honoured only when the TLS peer certificate verifies against the
 * front-proxy CA; this method never mutates {@code headers} (the {@link AuthHandler} strips them).
 * Implementations are thread-safe and never block the calling (event-loop) thread.
 */
public interface Authenticator {

  /**
   * @param peerCertificates the TLS client chain, leaf first (empty if none was presented or the
   *     connection is plain HTTP); the TLS layer accepted it without verification
   * @param headers the request headers as received
   */
  Future<UserInfo> authenticate(List<? extends Certificate> peerCertificates, MultiMap headers);

  /**
   * The production authenticator.
   *
   * @param config current delegated-authentication settings (e.g. {@link AuthConfigWatcher})
   * @param client used for TokenReview; null disables bearer-token authentication
   * @param worker runs the blocking TokenReview calls
   * @param clock certificate validity is checked at {@code clock.instant()}
   * @param ticker drives the 10 s TokenReview and verified-certificate caches
   */
  static Authenticator delegating(
      AuthConfigSource config,
      KubernetesClient client,
      WorkerExecutor worker,
      Clock clock,
      Ticker ticker) {
    TokenReviewAuthenticator tokens =
        client == null
            ? null
            : new TokenReviewAuthenticator(client, worker, ticker, TokenReviewAuthenticator.TTL,
                Duration.ofSeconds(10));
    return new DelegatingAuthenticator(
        config, tokens, new VerifiedChains(ticker, VerifiedChains.TTL), clock);
  }
}
