package io.meshcast.adapter.kuma;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.meshcast.adapter.k8s.InformerClusterViewTestSupport;
import io.meshcast.adapter.pipeline.Policies;
import io.meshcast.adapter.provider.CustomMetricInfo;
import io.meshcast.adapter.provider.CustomMetricValue;
import io.meshcast.adapter.provider.GroupResource;
import io.meshcast.adapter.provider.LabelSelector;
import io.meshcast.adapter.provider.MetricsException;
import io.meshcast.adapter.testing.LogCapture;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With a cluster (fabric8 mock API server): {@code pods/*} answers only the pods the label
 * selector matches, Deployments map to the Services that select their pods, and the Kuma service
 * tag maps to the Service.
 */
@EnableKubernetesMockClient(crud = true)
final class ClusterMappingTest {

  static KubernetesClient client;
  static Vertx vertx;
  static WireMockServer wm;
  static KumaPipeline pipeline;
  static final PrometheusRegistry registry = new PrometheusRegistry();
  @TempDir static Path dir;

  @BeforeAll
  static void start() throws Exception {
    InformerClusterViewTestSupport.deployment(client, "kuma-demo", "backend",
        Map.of("app", "backend"));
    InformerClusterViewTestSupport.service(client, "kuma-demo", "backend",
        Map.of("app", "backend"));
    InformerClusterViewTestSupport.service(client, "kuma-demo", "backend-grpc",
        Map.of("app", "backend"));
    for (String p : List.of("backend-6d9c8b7f4-aaaaa", "backend-6d9c8b7f4-bbbbb",
        "backend-6d9c8b7f4-nodat")) {
      InformerClusterViewTestSupport.pod(client, "kuma-demo", p, "backend-6d9c8b7f4",
          "6d9c8b7f4", Map.of("app", "backend"));
    }
    InformerClusterViewTestSupport.pod(client, "kuma-demo", "web-7c8d9e6f5-ccccc",
        "web-7c8d9e6f5", "7c8d9e6f5", Map.of("app", "web"));
    // A Pending pod of a service without any data yet: every selector answer for it is empty.
    InformerClusterViewTestSupport.pod(client, "kuma-demo", "idle-5b6c7d8e9-ddddd",
        "idle-5b6c7d8e9", "5b6c7d8e9", Map.of("app", "idle"));

    wm = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    wm.start();
    wm.stubFor(any(urlPathEqualTo("/api/v1/query"))
        .withQueryParam("query", containing("sum by (kuma_io_service) ("))
        .willReturn(okJson(vector(
            "{\"kuma_io_service\":\"backend_kuma-demo_svc_3001\"}", "30",
            "{\"kuma_io_service\":\"backend-grpc_kuma-demo_svc_9000\"}", "12"))));
    wm.stubFor(any(urlPathEqualTo("/api/v1/query"))
        .withQueryParam("query", containing("sum by (kuma_io_service, namespace, pod"))
        .willReturn(okJson(vector(
            pod("backend-6d9c8b7f4-aaaaa", "backend"), "10",
            pod("backend-6d9c8b7f4-bbbbb", "backend"), "20",
            pod("web-7c8d9e6f5-ccccc", "web"), "5",
            // Data for a pod the cluster does not know (deleted): never answered for a selector.
            pod("backend-6d9c8b7f4-ghost", "backend"), "99"))));
    vertx = Vertx.vertx();
    Path cfg = dir.resolve("c.yaml");
    Files.writeString(cfg, """
        prometheus: {url: "%s"}
        refresh: {interval: 1h}
        kuma: {regime: legacy, presets: [kuma_rps]}
        kubernetes: {mode: auto}
        """.formatted(wm.baseUrl()));
    pipeline = KumaPipeline.start(vertx, cfg, Clock.systemUTC(), new KumaPipeline.Options(
            registry, Optional.of(client), Duration.ofHours(1)))
        .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    pipeline.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    wm.stop();
    vertx.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  static String pod(String name, String app) {
    return "{\"kuma_io_service\":\"" + app + "_kuma-demo_svc_80\",\"namespace\":\"kuma-demo\","
        + "\"pod\":\"" + name + "\",\"app\":\"" + app + "\"}";
  }

  static String vector(String... metricValue) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < metricValue.length; i += 2) {
      sb.append(i == 0 ? "" : ",").append("{\"metric\":").append(metricValue[i])
          .append(",\"value\":[1795255200,\"").append(metricValue[i + 1]).append("\"]}");
    }
    return "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[" + sb + "]}}";
  }

  static CustomMetricInfo info(GroupResource gr) {
    return new CustomMetricInfo(gr, true, "kuma_rps");
  }

  @Test
  void podsSelector_answersOnlyClusterPodsMatchingIt_withData() {
    List<CustomMetricValue> v = pipeline.customMetricsProvider().metricsBySelector("kuma-demo",
        LabelSelector.parse("app=backend"), info(GroupResource.PODS), LabelSelector.everything());
    assertThat(v).extracting(x -> x.describedObject().name() + "=" + x.value())
        .containsExactly("backend-6d9c8b7f4-aaaaa=10.0", "backend-6d9c8b7f4-bbbbb=20.0");
    assertThat(v.get(0).describedObject().kind()).isEqualTo("Pod");
  }

  @Test
  void podOnlyAbsentFromAListAnswer_isCountedAsAbsent_notAsAnError() throws Exception {
    // Deltas: other tests of this class share the registry.
    double absentBefore = decisions("absent_from_list");
    double errorsBefore = decisions("empty_error");
    try (LogCapture logs = LogCapture.of(Policies.class)) {
      // backend-...-nodat has no series: the 200 answer leaves it out.
      assertThat(pipeline.customMetricsProvider().metricsBySelector("kuma-demo",
          LabelSelector.parse("app=backend"), info(GroupResource.PODS),
          LabelSelector.everything())).hasSize(2);
      assertThat(decisions("absent_from_list")).isEqualTo(absentBefore + 1);
      assertThat(decisions("empty_error")).isEqualTo(errorsBefore);
      assertThat(logs.lines()).noneMatch(l -> l.contains("decision=empty_error"));

      // Asked by name, or in a list where nothing has data, it is a real NotFound.
      assertThatThrownBy(() -> pipeline.customMetricsProvider().metricByName("kuma-demo",
          "backend-6d9c8b7f4-nodat", info(GroupResource.PODS), LabelSelector.everything()))
          .isInstanceOf(MetricsException.NotFound.class);
      assertThat(decisions("empty_error")).isEqualTo(errorsBefore + 1);
      assertThatThrownBy(() -> pipeline.customMetricsProvider().metricsBySelector("kuma-demo",
          LabelSelector.parse("app=idle"), info(GroupResource.PODS), LabelSelector.everything()))
          .isInstanceOf(MetricsException.NotFound.class)
          .hasMessageContaining("idle-5b6c7d8e9-ddddd");
      assertThat(decisions("empty_error")).isEqualTo(errorsBefore + 2);
      logs.await("decision=empty_error", Duration.ofSeconds(60));
    }
  }

  private static double decisions(String decision) throws Exception {
    String prefix = "meshcast_policy_decisions_total{decision=\"" + decision
        + "\",metric=\"kuma_rps\"} ";
    return PipelineFaultsTest.scrape(registry).lines().filter(l -> l.startsWith(prefix))
        .mapToDouble(l -> Double.parseDouble(l.substring(prefix.length()))).sum();
  }

  @Test
  void deployment_combinesTheServicesSelectingItsPods() {
    CustomMetricValue d = pipeline.customMetricsProvider().metricByName("kuma-demo", "backend",
        info(GroupResource.DEPLOYMENTS), LabelSelector.everything());
    assertThat(d.value()).isEqualTo(42.0);
    assertThat(d.describedObject().apiVersion()).isEqualTo("apps/v1");
    CustomMetricValue s = pipeline.customMetricsProvider().metricByName("kuma-demo",
        "backend-grpc", info(GroupResource.SERVICES), LabelSelector.everything());
    assertThat(s.value()).isEqualTo(12.0);
  }

  @Test
  void namespace_sumsTheRateOfItsServices() {
    CustomMetricValue ns = pipeline.customMetricsProvider().metricByName("", "kuma-demo",
        new CustomMetricInfo(GroupResource.NAMESPACES, false, "kuma_rps"),
        LabelSelector.everything());
    assertThat(ns.value()).isEqualTo(42.0); // backend 30 + backend-grpc 12
    assertThat(ns.describedObject().kind()).isEqualTo("Namespace");
    assertThatThrownBy(() -> pipeline.customMetricsProvider().metricByName("", "empty-ns",
            new CustomMetricInfo(GroupResource.NAMESPACES, false, "kuma_rps"),
            LabelSelector.everything()))
        .isInstanceOf(MetricsException.NotFound.class);
  }

  @Test
  void unknownResourceOrMetric_isNotFound() {
    assertThatThrownBy(() -> pipeline.customMetricsProvider().metricByName("kuma-demo", "x",
            new CustomMetricInfo(GroupResource.parse("ingresses.networking.k8s.io"), true,
                "kuma_rps"), LabelSelector.everything()))
        .isInstanceOf(MetricsException.NotFound.class);
    assertThatThrownBy(() -> pipeline.customMetricsProvider().metricByName("kuma-demo", "x",
            new CustomMetricInfo(GroupResource.PODS, true, "kuma_latency_p99_ms"),
            LabelSelector.everything()))
        .isInstanceOf(MetricsException.NotFound.class);
    // pods, services, deployments.apps, and namespaces (kuma_rps adds up over services).
    assertThat(pipeline.customMetricsProvider().listAllMetrics()).hasSize(4)
        .contains(new CustomMetricInfo(GroupResource.NAMESPACES, false, "kuma_rps"));
    assertThat(pipeline.healthChecks()).anySatisfy(h ->
        assertThat(h.check().detail()).contains("informers synced"));
  }
}
