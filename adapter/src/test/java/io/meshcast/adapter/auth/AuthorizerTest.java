package io.meshcast.adapter.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

final class AuthorizerTest {

  private static final String SAR_PATH = "/apis/authorization.k8s.io/v1/subjectaccessreviews";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final UserInfo HPA =
      new UserInfo(
          "system:serviceaccount:kube-system:horizontal-pod-autoscaler", "uid-1",
          List.of(
              "system:serviceaccounts", "system:serviceaccounts:kube-system",
              "system:authenticated"),
          Map.of("authentication.kubernetes.io/credential-id", List.of("JTI=abc")));

  private KubernetesMockServer server;
  private KubernetesClient client;
  private Vertx vertx;
  private WorkerExecutor worker;
  private FakeTicker ticker;
  private Authorizer authorizer;

  @BeforeEach
  void setUp() throws Exception {
    server = new KubernetesMockServer(false);
    server.init(InetAddress.getByName("127.0.0.1"), 0);
    client = MockClients.noRetries(server);
    vertx = Vertx.vertx();
    worker = vertx.createSharedWorkerExecutor("test-auth", 2);
    ticker = new FakeTicker();
    authorizer = Authorizer.delegating(client, worker, ticker);
  }

  @AfterEach
  void tearDown() {
    client.close();
    server.destroy();
    vertx.close().await();
  }

  private void answer(String status, int times) {
    server
        .expect()
        .post()
        .withPath(SAR_PATH)
        .andReturn(
            201,
            "{\"apiVersion\":\"authorization.k8s.io/v1\",\"kind\":\"SubjectAccessReview\","
                + "\"status\":" + status + "}")
        .times(times);
  }

  private Authorizer.Decision authorize(UserInfo user, RequestAttributes a) throws Exception {
    return authorizer.authorize(user, a).await(10, TimeUnit.SECONDS);
  }

  private static RequestAttributes attrs(String path, Map<String, String> query) {
    return RequestAttributes.parse("GET", path, query::get);
  }

  @Test
  void podsWildcardGet_sendsExactSpecAndAllows() throws Exception {
    answer("{\"allowed\":true,\"reason\":\"RBAC: allowed\"}", 1);

    Authorizer.Decision d =
        authorize(
            HPA,
            attrs(
                "/apis/custom.metrics.k8s.io/v1beta2/namespaces/default/pods/%2A/http_requests",
                Map.of("labelSelector", "app=x")));

    assertThat(d).isEqualTo(Authorizer.Decision.allow("RBAC: allowed"));
    JsonNode body = JSON.readTree(server.getLastRequest().getBody().readUtf8());
    assertThat(body)
        .isEqualTo(
            JSON.readTree(
                "{\"apiVersion\":\"authorization.k8s.io/v1\",\"kind\":\"SubjectAccessReview\","
                    + "\"spec\":{\"resourceAttributes\":{\"namespace\":\"default\",\"verb\":\"get\","
                    + "\"group\":\"custom.metrics.k8s.io\",\"version\":\"v1beta2\",\"resource\":\"pods\","
                    + "\"subresource\":\"http_requests\",\"name\":\"*\"},"
                    + "\"user\":\"system:serviceaccount:kube-system:horizontal-pod-autoscaler\","
                    + "\"groups\":[\"system:serviceaccounts\",\"system:serviceaccounts:kube-system\","
                    + "\"system:authenticated\"],"
                    + "\"extra\":{\"authentication.kubernetes.io/credential-id\":[\"JTI=abc\"]},"
                    + "\"uid\":\"uid-1\"}}"));
  }

  @Test
  void externalList_sendsLabelSelectorRequirements() throws Exception {
    answer("{\"allowed\":false,\"denied\":true,\"reason\":\"no RBAC policy matched\"}", 1);

    Authorizer.Decision d =
        authorize(
            HPA,
            attrs(
                "/apis/external.metrics.k8s.io/v1beta1/namespaces/default/queue_messages_ready",
                Map.of("labelSelector", "queue=w,zone in (b,a),!canary,tier,x>3,env!=dev")));

    assertThat(d).isEqualTo(Authorizer.Decision.deny("no RBAC policy matched"));
    JsonNode ra =
        JSON.readTree(server.getLastRequest().getBody().readUtf8())
            .path("spec")
            .path("resourceAttributes");
    assertThat(ra)
        .isEqualTo(
            JSON.readTree(
                "{\"namespace\":\"default\",\"verb\":\"list\",\"group\":\"external.metrics.k8s.io\","
                    + "\"version\":\"v1beta1\",\"resource\":\"queue_messages_ready\","
                    + "\"labelSelector\":{\"requirements\":["
                    + "{\"key\":\"canary\",\"operator\":\"DoesNotExist\"},"
                    + "{\"key\":\"env\",\"operator\":\"NotIn\",\"values\":[\"dev\"]},"
                    + "{\"key\":\"queue\",\"operator\":\"In\",\"values\":[\"w\"]},"
                    + "{\"key\":\"tier\",\"operator\":\"Exists\"},"
                    + "{\"key\":\"zone\",\"operator\":\"In\",\"values\":[\"a\",\"b\"]}]}}"));
  }

  @Test
  void routeE_isAuthorizedAsResourceMetrics() throws Exception {
    answer("{\"allowed\":true}", 1);
    authorize(HPA, attrs("/apis/custom.metrics.k8s.io/v1beta1/namespaces/prod/metrics/queue_depth",
        Map.of()));
    JsonNode ra =
        JSON.readTree(server.getLastRequest().getBody().readUtf8())
            .path("spec")
            .path("resourceAttributes");
    assertThat(ra.path("resource").asText()).isEqualTo("metrics");
    assertThat(ra.path("name").asText()).isEqualTo("queue_depth");
    assertThat(ra.has("subresource")).isFalse();
  }

  @Test
  void nonResourcePathOutsideDiscovery_usesNonResourceAttributes() throws Exception {
    answer("{\"allowed\":true}", 1);
    authorize(HPA, attrs("/metrics", Map.of()));
    JsonNode spec = JSON.readTree(server.getLastRequest().getBody().readUtf8()).path("spec");
    assertThat(spec.path("nonResourceAttributes"))
        .isEqualTo(JSON.readTree("{\"path\":\"/metrics\",\"verb\":\"get\"}"));
    assertThat(spec.has("resourceAttributes")).isFalse();
  }

  @Test
  void allowAndDeny_areCachedTenSecondsThenAskedAgain() throws Exception {
    answer("{\"allowed\":true}", 1);
    answer("{\"allowed\":false}", 1);
    answer("{\"allowed\":true}", 1);
    RequestAttributes a =
        attrs("/apis/custom.metrics.k8s.io/v1beta2/namespaces/default/pods/*/m", Map.of());
    UserInfo other = new UserInfo("bob", "", List.of("system:authenticated"), Map.of());

    assertThat(authorize(HPA, a).allowed()).isTrue();
    assertThat(authorize(other, a).allowed()).isFalse(); // different user: different key
    ticker.advance(Duration.ofSeconds(9));
    assertThat(authorize(HPA, a).allowed()).isTrue();
    assertThat(authorize(other, a).allowed()).isFalse();
    assertThat(server.getRequestCount()).isEqualTo(2);

    ticker.advance(Duration.ofSeconds(2));
    assertThat(authorize(other, a).allowed()).isTrue(); // deny expired, new answer
    assertThat(server.getRequestCount()).isEqualTo(3);
  }

  @Test
  void differentSelector_isDifferentCacheKey() throws Exception {
    answer("{\"allowed\":true}", 2);
    String path = "/apis/external.metrics.k8s.io/v1beta1/namespaces/default/q";
    authorize(HPA, attrs(path, Map.of("labelSelector", "a=1")));
    authorize(HPA, attrs(path, Map.of("labelSelector", "a=2")));
    authorize(HPA, attrs(path, Map.of("labelSelector", "a=1")));
    assertThat(server.getRequestCount()).isEqualTo(2);
  }

  @Test
  void sarError_failsAndIsNotCached() throws Exception {
    server.expect().post().withPath(SAR_PATH).andReturn(500, "{\"kind\":\"Status\"}").once();
    answer("{\"allowed\":true}", 1);
    RequestAttributes a =
        attrs("/apis/custom.metrics.k8s.io/v1beta2/namespaces/default/pods/*/m", Map.of());

    assertThatThrownBy(() -> authorize(HPA, a)).isNotNull();
    assertThat(authorize(HPA, a).allowed()).isTrue();
  }

  @Test
  void allowedAndDenied_isAnError() {
    answer("{\"allowed\":true,\"denied\":true}", 1);
    assertThatThrownBy(
            () ->
                authorize(
                    HPA,
                    attrs("/apis/custom.metrics.k8s.io/v1beta2/nodes/n/m", Map.of())))
        .hasMessageContaining("both allow and deny");
  }

  @Test
  void mastersHealthAndDiscovery_needNoSar() throws Exception {
    UserInfo aggregator =
        new UserInfo("system:kube-aggregator", "", List.of("system:masters"), Map.of());
    UserInfo plain = new UserInfo("system:kube-aggregator", "", List.of("system:authenticated"),
        Map.of());
    assertThat(authorize(aggregator,
        attrs("/apis/custom.metrics.k8s.io/v1beta2/namespaces/d/pods/*/m", Map.of())).allowed())
        .isTrue();
    assertThat(authorize(UserInfo.anonymous(), attrs("/livez", Map.of())).allowed()).isTrue();
    assertThat(authorize(plain, attrs("/apis/custom.metrics.k8s.io/v1beta2", Map.of())).allowed())
        .isTrue();
    assertThat(authorize(plain, attrs("/openapi/v2", Map.of())).allowed()).isTrue();
    assertThat(server.getRequestCount()).isZero();
  }
}
