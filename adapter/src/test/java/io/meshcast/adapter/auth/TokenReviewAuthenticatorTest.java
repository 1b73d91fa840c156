package io.meshcast.adapter.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

final class TokenReviewAuthenticatorTest {

  private static final String PATH = "/apis/authentication.k8s.io/v1/tokenreviews";

  private KubernetesMockServer server;
  private KubernetesClient client;
  private Vertx vertx;
  private FakeTicker ticker;
  private TokenReviewAuthenticator tokens;

  @BeforeEach
  void setUp() throws Exception {
    server = new KubernetesMockServer(false);
    server.init(InetAddress.getByName("127.0.0.1"), 0);
    client = MockClients.noRetries(server);
    vertx = Vertx.vertx();
    ticker = new FakeTicker();
    tokens = new TokenReviewAuthenticator(client, vertx.createSharedWorkerExecutor("t", 1), ticker,
        TokenReviewAuthenticator.TTL, Duration.ofSeconds(5));
  }

  @AfterEach
  void tearDown() {
    client.close();
    server.destroy();
    vertx.close().await();
  }

  private Optional<UserInfo> review(String token) throws Exception {
    return tokens.review(token).await(10, TimeUnit.SECONDS);
  }

  @Test
  void authenticated_sendsExactReview_andMapsTheUser() throws Exception {
    server.expect().post().withPath(PATH).andReturn(201,
        "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"TokenReview\",\"status\":"
            + "{\"authenticated\":true,\"user\":{\"username\":\"system:serviceaccount:mon:prom\","
            + "\"uid\":\"u1\",\"groups\":[\"system:serviceaccounts\"],"
            + "\"extra\":{\"authentication.kubernetes.io/pod-name\":[\"p\"]}}}}").once();

    Optional<UserInfo> user = review("abc.def");

    assertThat(user).contains(new UserInfo("system:serviceaccount:mon:prom", "u1",
        List.of("system:serviceaccounts"), Map.of("authentication.kubernetes.io/pod-name",
            List.of("p"))));
    ObjectMapper json = new ObjectMapper();
    assertThat(json.readTree(server.getLastRequest().getBody().readUtf8()))
        .isEqualTo(json.readTree("{\"apiVersion\":\"authentication.k8s.io/v1\","
            + "\"kind\":\"TokenReview\",\"spec\":{\"token\":\"abc.def\"}}"));
  }

  @Test
  void rejection_isCachedTenSeconds_errorsAreNot() throws Exception {
    server.expect().post().withPath(PATH).andReturn(500, "{}").once();
    server.expect().post().withPath(PATH).andReturn(201,
        "{\"status\":{\"authenticated\":false,\"error\":\"token expired\"}}").times(2);

    assertThatThrownBy(() -> review("t")).isNotNull();
    assertThat(review("t")).isEmpty();
    ticker.advance(Duration.ofSeconds(9));
    assertThat(review("t")).isEmpty();
    assertThat(server.getRequestCount()).isEqualTo(2);
    ticker.advance(Duration.ofSeconds(2));
    assertThat(review("t")).isEmpty();
    assertThat(server.getRequestCount()).isEqualTo(3);
  }
}
