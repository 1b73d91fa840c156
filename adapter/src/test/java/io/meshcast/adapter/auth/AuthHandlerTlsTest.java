package io.meshcast.adapter.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.meshcast.adapter.tls.CertificateAuthority;
import io.meshcast.adapter.tls.LeafSpec;
import io.meshcast.adapter.tls.PemCertificate;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Authentication over real TLS with generated CAs: which client certificates make X-Remote-*
 * headers trustworthy, and which leave the request unauthenticated (k8s-metrics-api.md §4.4).
 * Authorization goes to the fabric8 mock API server (SubjectAccessReview allows only "alice").
 */
final class AuthHandlerTlsTest {

  static final String METRIC_PATH =
      "/apis/custom.metrics.k8s.io/v1beta2/namespaces/default/pods/%2A/kuma_rps";
  private static final String SAR_PATH = "/apis/authorization.k8s.io/v1/subjectaccessreviews";
  private static final String TOKEN_PATH = "/apis/authentication.k8s.io/v1/tokenreviews";

  static final Instant NOW = Instant.now();
  static final CertificateAuthority FRONT_PROXY_CA =
      CertificateAuthority.create("front-proxy-ca", NOW.minusSeconds(3600), NOW.plusSeconds(86400));
  static final CertificateAuthority CLIENT_CA =
      CertificateAuthority.create("kubernetes-ca", NOW.minusSeconds(3600), NOW.plusSeconds(86400));
  static final CertificateAuthority ROGUE_CA =
      CertificateAuthority.create("front-proxy-ca", NOW.minusSeconds(3600), NOW.plusSeconds(86400));
  static final PemCertificate FRONT_PROXY =
      FRONT_PROXY_CA.issue(
          LeafSpec.client("front-proxy-client", List.of(), NOW.minusSeconds(60),
              NOW.plusSeconds(3600)));

  static KubernetesMockServer api;
  static KubernetesClient client;
  static TlsHarness harness;
  static FakeTicker ticker = new FakeTicker();

  @BeforeAll
  static void start() throws Exception {
    api = new KubernetesMockServer(false);
    api.init(InetAddress.getByName("127.0.0.1"), 0);
    client = MockClients.noRetries(api);
    api.expect().post().withPath(SAR_PATH).andReply(201, req -> {
      boolean alice = req.getBody().readUtf8().contains("\"user\":\"alice\"");
      return "{\"apiVersion\":\"authorization.k8s.io/v1\",\"kind\":\"SubjectAccessReview\","
          + "\"status\":{\"allowed\":" + alice + "}}";
    }).always();
    api.expect().post().withPath(TOKEN_PATH).andReply(201, req -> {
      boolean good = req.getBody().readUtf8().contains("\"token\":\"good-token\"");
      return good
          ? "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"TokenReview\",\"status\":"
              + "{\"authenticated\":true,\"user\":{\"username\":\"alice\",\"uid\":\"u-1\","
              + "\"groups\":[\"devs\"]}}}"
          : "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"TokenReview\",\"status\":"
              + "{\"authenticated\":false,\"error\":\"invalid bearer token\"}}";
    }).always();
    harness = new TlsHarness(client, ticker, Duration.ofSeconds(30)); // not under test here
  }


  private static PemCertificate frontProxyClient(String cn, Instant from, Instant to) {
    return FRONT_PROXY_CA.issue(LeafSpec.client(cn, List.of(), from, to));
  }

  private static final String[] FORGED_MASTERS = {
    "X-Remote-User", "system:kube-aggregator", "X-Remote-Group", "system:masters"
  };

  private static void assertUnauthorized(HttpResponse<String> r) {
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(TlsHarness.json(r))
        .isEqualTo(
            new JsonObject(
                "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},"
                    + "\"status\":\"Failure\",\"message\":\"Unauthorized\","
                    + "\"reason\":\"Unauthorized\",\"code\":401}"));
  }

  @Test
  void frontProxyCertWithAllowedCn_headersHonouredAndStripped() throws Exception {
    HttpResponse<String> r =
        harness.get(
            FRONT_PROXY, METRIC_PATH, "X-Remote-User", "system:kube-aggregator",
            "X-Remote-Uid", "uid-7", "X-Remote-Group", "system:masters",
            "X-Remote-Extra-Authentication.kubernetes.io%2Fcredential-Id", "JTI=1",
            "X-Remote-Extra-Scopes", "a", "X-Remote-Extra-Scopes", "b");

    assertThat(r.statusCode()).isEqualTo(200);
    JsonObject body = TlsHarness.json(r);
    assertThat(body.getString("user")).isEqualTo("system:kube-aggregator");
    assertThat(body.getString("uid")).isEqualTo("uid-7");
    assertThat(body.getJsonArray("groups").getList())
        .containsExactly("system:masters", "system:authenticated");
    assertThat(body.getJsonObject("extra").getMap())
        .containsEntry("authentication.kubernetes.io/credential-id", List.of("JTI=1"))
        .containsEntry("scopes", List.of("a", "b"));
    assertThat(body.getJsonArray("remoteHeaders")).isEmpty();
  }

  @Test
  void frontProxyNonMastersUser_isAuthorizedBySar() throws Exception {
    HttpResponse<String> alice =
        harness.get(FRONT_PROXY, METRIC_PATH, "X-Remote-User", "alice", "X-Remote-Group", "devs");
    assertThat(alice.statusCode()).isEqualTo(200);
    assertThat(TlsHarness.json(alice).getJsonArray("groups").getList())
        .containsExactly("devs", "system:authenticated");

    HttpResponse<String> bob = harness.get(FRONT_PROXY, METRIC_PATH, "X-Remote-User", "bob");
    assertThat(bob.statusCode()).isEqualTo(403);
    assertThat(TlsHarness.json(bob))
        .isEqualTo(
            new JsonObject(
                "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},"
                    + "\"status\":\"Failure\",\"message\":\"pods.custom.metrics.k8s.io \\\"*\\\" is"
                    + " forbidden: User \\\"bob\\\" cannot get resource \\\"pods/kuma_rps\\\" in API"
                    + " group \\\"custom.metrics.k8s.io\\\" in the namespace \\\"default\\\"\","
                    + "\"reason\":\"Forbidden\",\"details\":{\"name\":\"*\","
                    + "\"group\":\"custom.metrics.k8s.io\",\"kind\":\"pods\"},\"code\":403}"));
  }

  @Test
  void certFromWrongCa_forgedMastersHeaders_unauthorized() throws Exception {
    PemCertificate rogue =
        ROGUE_CA.issue(
            LeafSpec.client("front-proxy-client", List.of("system:masters"), NOW.minusSeconds(60),
                NOW.plusSeconds(3600)));
    assertUnauthorized(harness.get(rogue, METRIC_PATH, FORGED_MASTERS));
  }

  @Test
  void frontProxyCaButCnNotAllowed_unauthorized() throws Exception {
    PemCertificate wrongCn =
        frontProxyClient("not-the-aggregator", NOW.minusSeconds(60), NOW.plusSeconds(3600));
    assertUnauthorized(harness.get(wrongCn, METRIC_PATH, FORGED_MASTERS));
  }

  @Test
  void emptyAllowedNames_acceptsAnyCnFromFrontProxyCa() throws Exception {
    harness.config.set(config(FRONT_PROXY_CA, List.of()));
    PemCertificate other = frontProxyClient("anything", NOW.minusSeconds(60), NOW.plusSeconds(60));
    assertThat(harness.get(other, METRIC_PATH, FORGED_MASTERS).statusCode()).isEqualTo(200);
  }

  @Test
  void expiredOrNotYetValidFrontProxyCert_unauthorized() throws Exception {
    PemCertificate expired =
        frontProxyClient("front-proxy-client", NOW.minusSeconds(7200), NOW.minusSeconds(60));
    PemCertificate future =
        frontProxyClient("front-proxy-client", NOW.plusSeconds(3600), NOW.plusSeconds(7200));
    assertUnauthorized(harness.get(expired, METRIC_PATH, FORGED_MASTERS));
    assertUnauthorized(harness.get(future, METRIC_PATH, FORGED_MASTERS));
  }

  @Test
  void frontProxyCertWithoutClientAuthUsage_unauthorized() throws Exception {
    PemCertificate serverOnly =
        FRONT_PROXY_CA.issue(
            LeafSpec.client("front-proxy-client", List.of(), NOW.minusSeconds(60),
                    NOW.plusSeconds(3600))
                .withUsages(Set.of(LeafSpec.Usage.SERVER_AUTH)));
    assertUnauthorized(harness.get(serverOnly, METRIC_PATH, FORGED_MASTERS));
  }

  @Test
  void noClientCert_forgedHeadersIgnored_unauthorizedButProbesWork() throws Exception {
    assertUnauthorized(harness.get(null, METRIC_PATH, FORGED_MASTERS));
    assertUnauthorized(harness.get(null, "/apis/custom.metrics.k8s.io/v1beta2", FORGED_MASTERS));

    HttpResponse<String> livez = harness.get(null, "/livez", FORGED_MASTERS);
    assertThat(livez.statusCode()).isEqualTo(200);
    assertThat(TlsHarness.json(livez).getString("user")).isEqualTo("system:anonymous");
    assertThat(TlsHarness.json(livez).getJsonArray("remoteHeaders")).isEmpty();
    assertThat(harness.get(null, "/readyz").statusCode()).isEqualTo(200);
    assertThat(harness.get(null, "/healthz").statusCode()).isEqualTo(200);
    assertUnauthorized(harness.get(null, "/livez/ping"));
  }

  @Test
  void clientCaCert_isUserCnGroupsO_andHeadersIgnored() throws Exception {
    PemCertificate alice =
        CLIENT_CA.issue(
            LeafSpec.client("alice", List.of("devs", "ops"), NOW.minusSeconds(60),
                NOW.plusSeconds(3600)));
    HttpResponse<String> r = harness.get(alice, METRIC_PATH, FORGED_MASTERS);
    assertThat(r.statusCode()).isEqualTo(200);
    JsonObject body = TlsHarness.json(r);
    assertThat(body.getString("user")).isEqualTo("alice");
    assertThat(body.getJsonArray("groups").getList())
        .containsExactly("devs", "ops", "system:authenticated");
    assertThat(body.getJsonArray("remoteHeaders")).isEmpty();
  }

  @Test
  void bearerToken_authenticatedByTokenReviewAndCached() throws Exception {
    int before = api.getRequestCount();
    HttpResponse<String> r =
        harness.get(null, METRIC_PATH, "Authorization", "Bearer good-token", "X-Remote-Group",
            "system:masters");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(TlsHarness.json(r).getString("user")).isEqualTo("alice");
    assertThat(TlsHarness.json(r).getJsonArray("groups").getList())
        .containsExactly("devs", "system:authenticated");
    int afterFirst = api.getRequestCount();
    assertThat(afterFirst - before).isEqualTo(2); // one TokenReview, one SAR

    assertThat(harness.get(null, METRIC_PATH, "Authorization", "Bearer good-token").statusCode())
        .isEqualTo(200);
    assertThat(api.getRequestCount()).isEqualTo(afterFirst); // both answers cached

    ticker.advance(Duration.ofSeconds(11));
    assertThat(harness.get(null, METRIC_PATH, "Authorization", "Bearer good-token").statusCode())
        .isEqualTo(200);
    assertThat(api.getRequestCount()).isEqualTo(afterFirst + 2);
  }

  @Test
  void badBearerToken_unauthorized() throws Exception {
    assertUnauthorized(harness.get(null, METRIC_PATH, "Authorization", "Bearer bad-token"));
    assertUnauthorized(harness.get(null, "/livez", "Authorization", "Bearer bad-token"));
  }

  @Test
  void caRotation_takesEffectWithoutRestart() throws Exception {
    CertificateAuthority next =
        CertificateAuthority.create("front-proxy-ca-2", NOW.minusSeconds(60), NOW.plusSeconds(86400));
    PemCertificate nextClient =
        next.issue(LeafSpec.client("front-proxy-client", List.of(), NOW.minusSeconds(60),
            NOW.plusSeconds(3600)));
    assertUnauthorized(harness.get(nextClient, METRIC_PATH, FORGED_MASTERS));

    harness.config.set(config(next, List.of("front-proxy-client")));

    assertThat(harness.get(nextClient, METRIC_PATH, FORGED_MASTERS).statusCode()).isEqualTo(200);
    assertUnauthorized(harness.get(FRONT_PROXY, METRIC_PATH, FORGED_MASTERS));
  }

  @Test
  void noConfigYet_certificatesMeanNothing() throws Exception {
    harness.config.set(AuthConfig.EMPTY);
    HttpResponse<String> r = harness.get(FRONT_PROXY, METRIC_PATH, FORGED_MASTERS);
    assertUnauthorized(r); // anonymous outside health paths
  }

  @AfterAll
  static void stop() {
    harness.close();
    client.close();
    api.destroy();
  }

  @BeforeEach
  void defaultConfig() {
    harness.config.set(config(FRONT_PROXY_CA, List.of("front-proxy-client")));
  }

  static AuthConfig config(CertificateAuthority frontProxy, List<String> allowedNames) {
    return new AuthConfig(
        List.of(frontProxy.certificate()), allowedNames, List.of("X-Remote-User"),
        List.of("X-Remote-Uid"), List.of("X-Remote-Group"), List.of("X-Remote-Extra-"),
        List.of(CLIENT_CA.certificate()));
  }
}
