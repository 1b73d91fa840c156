package io.meshcast.adapter.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshcast.adapter.http.StatusException;
import io.vertx.core.MultiMap;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class DefaultAuthHandlerTest {

  private static final UserInfo BOB =
      new UserInfo("bob", "", List.of("system:authenticated"), Map.of());

  private static RequestAttributes get(String path, Map<String, String> q) {
    return RequestAttributes.parse("GET", path, q::get);
  }

  @Test
  void forbidden_clusterScoped_saysAtTheClusterScopeAndAppendsReason() {
    StatusException e =
        DefaultAuthHandler.forbidden(
            BOB, get("/apis/custom.metrics.k8s.io/v1beta1/nodes/n1/cpu_temp", Map.of()),
            "no RBAC policy matched");
    assertThat(e.code()).isEqualTo(403);
    assertThat(e.reason()).isEqualTo("Forbidden");
    assertThat(e.getMessage())
        .isEqualTo("nodes.custom.metrics.k8s.io \"n1\" is forbidden: User \"bob\" cannot get"
            + " resource \"nodes/cpu_temp\" in API group \"custom.metrics.k8s.io\" at the cluster"
            + " scope: no RBAC policy matched");
    assertThat(e.detailsName()).isEqualTo("n1");
    assertThat(e.detailsGroup()).isEqualTo("custom.metrics.k8s.io");
    assertThat(e.detailsKind()).isEqualTo("nodes");
  }

  @Test
  void forbidden_listWithoutName_hasNoQuotedName() {
    StatusException e =
        DefaultAuthHandler.forbidden(
            BOB, get("/apis/external.metrics.k8s.io/v1beta1/namespaces/ns/q", Map.of()), "");
    assertThat(e.getMessage())
        .isEqualTo("q.external.metrics.k8s.io is forbidden: User \"bob\" cannot list resource"
            + " \"q\" in API group \"external.metrics.k8s.io\" in the namespace \"ns\"");
    assertThat(e.detailsName()).isNull();
  }

  @Test
  void forbidden_nonResource_usesPathForm() {
    StatusException e = DefaultAuthHandler.forbidden(BOB, get("/metrics", Map.of()), "");
    assertThat(e.getMessage()).isEqualTo("forbidden: User \"bob\" cannot get path \"/metrics\"");
    assertThat(e.detailsKind()).isNull();
  }

  @Test
  void quote_escapesLikeGo() {
    assertThat(DefaultAuthHandler.quote("a\"b\\c\n\u0001")).isEqualTo("\"a\\\"b\\\\c\\n\\x01\"");
  }

  @Test
  void stripIdentityHeaders_removesConfiguredAndDefaultNamesInAnyCase() {
    AuthConfig cfg = new AuthConfig(List.of(), List.of(), List.of("X-Proxy-User"), List.of(),
        List.of("X-Proxy-Group"), List.of("X-Proxy-Extra-"), List.of());
    MultiMap h = MultiMap.caseInsensitiveMultiMap()
        .add("x-proxy-USER", "a").add("X-Proxy-Group", "g").add("x-proxy-extra-k", "v")
        .add("X-REMOTE-USER", "b").add("Accept", "application/json");
    DefaultAuthHandler.stripIdentityHeaders(h, cfg);
    assertThat(h.names()).containsExactly("Accept");
  }

  @Test
  void insecureMode_everyoneIsTheDevMaster_butHeadersStillStripped() throws Exception {
    try (TlsHarness harness =
        new TlsHarness(null, new FakeTicker(), Duration.ofSeconds(30), InsecureAuthn.handler())) {
      HttpResponse<String> r = harness.get(null, AuthHandlerTlsTest.METRIC_PATH,
          "X-Remote-User", "someone");
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(TlsHarness.json(r).getString("user")).isEqualTo("meshcast:insecure-dev");
      assertThat(TlsHarness.json(r).getJsonArray("groups").getList()).contains("system:masters");
      assertThat(TlsHarness.json(r).getJsonArray("remoteHeaders")).isEmpty();
    }
  }
}
