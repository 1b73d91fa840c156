package io.meshcast.adapter.delegate;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.meshcast.adapter.api.ApiServer;
import io.meshcast.adapter.cli.RunningAdapter;
import io.meshcast.adapter.config.DelegateConfig;
import io.meshcast.adapter.provider.GroupResource;
import io.meshcast.adapter.provider.ObjectReference;
import io.meshcast.adapter.provider.memory.InMemoryMetricsProvider;
import io.meshcast.adapter.provider.memory.InMemoryMetricsProvider.ExternalSeries;
import io.meshcast.adapter.provider.memory.InMemoryMetricsProvider.ObjectSeries;
import io.meshcast.adapter.testing.HttpsTestClient;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vertx.core.Vertx;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Delegation against a second real meshcast (the demo, in the same JVM) over TLS, and against
 * WireMock for an upstream's faults: slow, 500, connection refused, malformed discovery, and the
 * circuit breaker opening and half-opening. Meshcast's own metrics answer throughout.
 */
final class DelegationIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant T = Instant.parse("2026-12-04T10:00:00Z");
  private static final String LOCAL_POD =
      "/apis/custom.metrics.k8s.io/v1beta2/namespaces/shop/pods/web-1/local_rps";
  private static final String LOCAL_EXT =
      "/apis/external.metrics.k8s.io/v1beta1/namespaces/shop/local_queue";
  private static final String KEDA_EXT =
      "/apis/external.metrics.k8s.io/v1beta1/namespaces/shop/s0-prometheus-queue?labelSelector="
          + "scaledobject.keda.sh%2Fname%3Dworker";

  @TempDir Path dir;
  private final Vertx vertx = Vertx.vertx();
  private ApiServer server;
  private Delegation delegation;
  private HttpsTestClient client;
  private WireMockServer wiremock;
  private RunningAdapter upstream;

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    if (delegation != null) {
      delegation.close();
    }
    vertx.close();
    if (wiremock != null) {
      wiremock.stop();
    }
    if (upstream != null) {
      upstream.close();
    }
  }

  /** meshcast serving local_rps (pods) and local_queue (external), with the given delegates. */
  private void startLocal(List<DelegateConfig> delegates) throws Exception {
    InMemoryMetricsProvider local = new InMemoryMetricsProvider();
    local.publish(List.of(new ObjectSeries("local_rps", GroupResource.PODS,
            ObjectReference.pod("shop", "web-1"), Map.of("app", "web"), Map.of(), 3, T)),
        List.of(new ExternalSeries("local_queue", "shop", Map.of("queue", "a"), 7, T)));
    delegation = Delegation.start(vertx, delegates, Clock.systemUTC(), new PrometheusRegistry());
    delegation.refreshDiscoveryNow().toCompletionStage().toCompletableFuture()
        .get(30, TimeUnit.SECONDS);
    server = ApiServer.builder(vertx)
        .options(ApiServer.Options.defaults().withPort(0))
        .customMetrics(delegation.custom(local))
        .externalMetrics(delegation.external(local))
        .filter(delegation.filter(local, local))
        .build();
    int port = server.start().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    client = new HttpsTestClient("https://127.0.0.1:" + port,
        server.certificate().certChainPem());
  }

  private static DelegateConfig upstream(String group, String url, Optional<Path> ca,
      Optional<Path> token, Duration timeout, int threshold, Duration openFor) {
    return new DelegateConfig(group, URI.create(url), ca, Optional.empty(), Optional.empty(),
        token, false, timeout, threshold, openFor, Duration.ofHours(1));
  }

  @Test
  void aSecondMeshcastServesWhatThisOneDoesNotOverTls() throws Exception {
    upstream = RunningAdapter.start("--demo", "--insecure-authn");
    Path ca = dir.resolve("upstream-ca.pem");
    Files.writeString(ca, upstream.running().server().certificate().certChainPem());
    String url = "https://127.0.0.1:" + upstream.port();
    startLocal(List.of(
        upstream("custom.metrics.k8s.io", url, Optional.of(ca), Optional.empty(),
            Duration.ofSeconds(10), 5, Duration.ofSeconds(30)),
        upstream("external.metrics.k8s.io", url, Optional.of(ca), Optional.empty(),
            Duration.ofSeconds(10), 5, Duration.ofSeconds(30))));

    // Discovery: both lists, meshcast's own first.
    String custom = client.get("/apis/custom.metrics.k8s.io/v1beta2").body();
    assertThat(custom).contains("\"pods/local_rps\"", "\"services/kuma_rps\"",
        "\"pods/kuma_rps_forecast\"");
    String external = client.get("/apis/external.metrics.k8s.io/v1beta1").body();
    assertThat(external).contains("\"local_queue\"", "\"kuma_rps\"");

    // Own metrics answered locally, the others by the upstream with its body and status.
    assertThat(client.get(LOCAL_POD).statusCode()).isEqualTo(200);
    String path = "/apis/custom.metrics.k8s.io/v1beta2/namespaces/demo/services/frontend/kuma_rps";
    HttpResponse<String> delegated = client.get(path);
    assertThat(delegated.statusCode()).as(delegated.body()).isEqualTo(200);
    JsonNode item = JSON.readTree(delegated.body()).get("items").get(0);
    assertThat(item.at("/describedObject/name").asText()).isEqualTo("frontend");
    assertThat(item.at("/metric/name").asText()).isEqualTo("kuma_rps");
    HttpResponse<String> ext = client.get("/apis/external.metrics.k8s.io/v1beta1/namespaces/demo/"
        + "kuma_rps?labelSelector=service%3Dbackend");
    assertThat(ext.statusCode()).as(ext.body()).isEqualTo(200);
    assertThat(ext.body()).contains("ExternalMetricValueList", "backend");
    // The upstream's own 404 Status for a metric neither serves, passed through.
    HttpResponse<String> unknown = client.get(
        "/apis/custom.metrics.k8s.io/v1beta2/namespaces/demo/services/frontend/no_such_metric");
    HttpResponse<String> direct = upstream.get(
        "/apis/custom.metrics.k8s.io/v1beta2/namespaces/demo/services/frontend/no_such_metric");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.body()).isEqualTo(direct.body());
  }

  @Test
  void upstreamFaultsNeverReachMeshcastsOwnMetrics() throws Exception {
    wiremock = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    wiremock.start();
    Path token = dir.resolve("token");
    Files.writeString(token, "meshcast-sa-token\n");
    wiremock.stubFor(get(urlPathEqualTo("/apis/external.metrics.k8s.io/v1beta1"))
        .willReturn(aResponse().withStatus(200).withBody("{not json")));
    startLocal(List.of(upstream("external.metrics.k8s.io",
        "http://127.0.0.1:" + wiremock.port(), Optional.empty(), Optional.of(token),
        Duration.ofMillis(500), 3, Duration.ofSeconds(2))));

    // Malformed discovery: never an empty list, meshcast's own metrics still listed.
    assertThat(client.get("/apis/external.metrics.k8s.io/v1beta1").body())
        .contains("\"local_queue\"");
    wiremock.stubFor(get(urlPathEqualTo("/apis/external.metrics.k8s.io/v1beta1"))
        .willReturn(aResponse().withStatus(200).withBody("{\"kind\":\"APIResourceList\","
            + "\"apiVersion\":\"v1\",\"groupVersion\":\"external.metrics.k8s.io/v1beta1\","
            + "\"resources\":[{\"name\":\"s0-prometheus-queue\",\"namespaced\":true,"
            + "\"kind\":\"ExternalMetricValueList\",\"verbs\":[\"get\"]}]}")));
    delegation.refreshDiscoveryNow().toCompletionStage().toCompletableFuture().get();
    wiremock.stubFor(get(urlPathEqualTo("/apis/external.metrics.k8s.io/v1beta1"))
        .willReturn(aResponse().withStatus(200).withBody("[]")));
    delegation.refreshDiscoveryNow().toCompletionStage().toCompletableFuture().get();
    assertThat(client.get("/apis/external.metrics.k8s.io/v1beta1").body())
        .as("a malformed refresh keeps the last good list")
        .contains("\"local_queue\"", "\"s0-prometheus-queue\"");

    // 200: the upstream's body, with meshcast's service-account token as credential.
    String keda = "{\"kind\":\"ExternalMetricValueList\",\"apiVersion\":"
        + "\"external.metrics.k8s.io/v1beta1\",\"metadata\":{},\"items\":[{\"metricName\":"
        + "\"s0-prometheus-queue\",\"metricLabels\":null,\"timestamp\":\"2026-12-04T10:00:00Z\","
        + "\"value\":\"12\"}]}";
    wiremock.stubFor(get(urlPathMatching("/apis/external.metrics.k8s.io/v1beta1/namespaces/.*"))
        .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
            .withBody(keda)));
    HttpResponse<String> ok = client.get(KEDA_EXT);
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(ok.body()).isEqualTo(keda);
    wiremock.verify(getRequestedFor(urlPathEqualTo(
            "/apis/external.metrics.k8s.io/v1beta1/namespaces/shop/s0-prometheus-queue"))
        .withQueryParam("labelSelector", equalTo("scaledobject.keda.sh/name=worker"))
        .withHeader("Authorization", equalTo("Bearer meshcast-sa-token")));

    // 500: passed through with its body and status (and counted by the breaker).
    String status500 = "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\","
        + "\"message\":\"keda exploded\",\"code\":500}";
    wiremock.stubFor(get(urlPathMatching("/apis/external.metrics.k8s.io/v1beta1/namespaces/.*"))
        .willReturn(aResponse().withStatus(500).withBody(status500)));
    HttpResponse<String> failed = client.get(KEDA_EXT);
    assertThat(failed.statusCode()).isEqualTo(500);
    assertThat(failed.body()).isEqualTo(status500);

    // Slow: a 503 Status naming the upstream after the timeout.
    wiremock.stubFor(get(urlPathMatching("/apis/external.metrics.k8s.io/v1beta1/namespaces/.*"))
        .willReturn(aResponse().withStatus(200).withBody(keda).withFixedDelay(3_000)));
    HttpResponse<String> slow = client.get(KEDA_EXT);
    assertThat(slow.statusCode()).isEqualTo(503);
    assertThat(slow.body()).contains("external.metrics.k8s.io upstream http://127.0.0.1:"
        + wiremock.port(), "timeout");
    assertThat(client.get(LOCAL_EXT).statusCode()).isEqualTo(200);
    assertThat(client.get(KEDA_EXT).statusCode()).isEqualTo(503); // 500, slow, slow: three

    // Third consecutive failure opened the breaker: refused at once, the upstream not called.
    int before = wiremock.getAllServeEvents().size();
    HttpResponse<String> open = client.get(KEDA_EXT);
    assertThat(open.statusCode()).isEqualTo(503);
    assertThat(open.body()).contains("circuit breaker open after 3 consecutive failures");
    assertThat(wiremock.getAllServeEvents()).hasSize(before);
    assertThat(client.get(LOCAL_POD).statusCode()).isEqualTo(200);

    // After openFor, one trial goes through (half-open); its success closes the breaker.
    wiremock.stubFor(get(urlPathMatching("/apis/external.metrics.k8s.io/v1beta1/namespaces/.*"))
        .willReturn(aResponse().withStatus(200).withBody(keda)));
    Thread.sleep(2_200);
    assertThat(client.get(KEDA_EXT).statusCode()).isEqualTo(200);
    assertThat(client.get(KEDA_EXT).statusCode()).isEqualTo(200);
  }

  @Test
  void aDeadUpstreamAnswers503NamingItAndMeshcastKeepsServing() throws Exception {
    int dead;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      dead = s.getLocalPort(); // closed again: connections are refused
    }
    startLocal(List.of(upstream("custom.metrics.k8s.io", "https://127.0.0.1:" + dead,
        Optional.empty(), Optional.empty(), Duration.ofSeconds(2), 2, Duration.ofMinutes(5))));
    String list = client.get("/apis/custom.metrics.k8s.io/v1beta2").body();
    assertThat(list).contains("\"pods/local_rps\"");
    String path = "/apis/custom.metrics.k8s.io/v1beta2/namespaces/shop/pods/web-1/keda_thing";
    for (int i = 0; i < 2; i++) {
      HttpResponse<String> r = client.get(path);
      assertThat(r.statusCode()).isEqualTo(503);
      assertThat(r.body()).contains("\"kind\":\"Status\"",
          "custom.metrics.k8s.io upstream https://127.0.0.1:" + dead + " is unavailable");
      assertThat(client.get(LOCAL_POD).statusCode()).isEqualTo(200);
    }
    HttpResponse<String> open = client.get(path);
    assertThat(open.statusCode()).isEqualTo(503);
    assertThat(open.body()).contains("circuit breaker open");
    assertThat(client.get(LOCAL_POD).statusCode()).isEqualTo(200);
    assertThat(client.get(LOCAL_EXT).statusCode()).isEqualTo(200);
  }

  @Test
  void serveWiresTheDelegateSectionOfItsConfig() throws Exception {
    upstream = RunningAdapter.start("--demo", "--insecure-authn");
    Path cfg = dir.resolve("meshcast.yaml");
    Files.writeString(cfg, """
        prometheus: {url: "http://127.0.0.1:9"}
        kuma: {presets: []}
        kubernetes: {mode: none}
        delegate:
          custom.metrics.k8s.io:
            url: https://127.0.0.1:%d
            insecureSkipVerify: true
        """.formatted(upstream.port()));
    try (RunningAdapter meshcast = RunningAdapter.start("--config", cfg.toString(),
        "--insecure-authn")) {
      String path = "/apis/custom.metrics.k8s.io/v1beta2/namespaces/demo/services/frontend/kuma_rps";
      HttpResponse<String> r = meshcast.get(path);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      assertThat(r.body()).contains("\"frontend\"", "kuma_rps");
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      String list = "";
      while (System.nanoTime() < deadline && !list.contains("services/kuma_rps")) {
        list = meshcast.get("/apis/custom.metrics.k8s.io/v1beta2").body();
        Thread.sleep(200);
      }
      assertThat(list).contains("\"services/kuma_rps\"");
      assertThat(meshcast.get("/metrics").body())
          .contains("meshcast_delegate_requests_total{group=\"custom.metrics.k8s.io\",outcome=\"ok\"}");
    }
  }
}
