package io.meshcast.adapter.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.meshcast.adapter.provider.LabelSelector;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Object mapping against fabric8's mock API server (CRUD mode). */
@EnableKubernetesMockClient(crud = true)
final class InformerClusterViewTest {

  static KubernetesClient client;
  static Vertx vertx;
  static ClusterView view;

  @BeforeAll
  static void objects() throws Exception {
    deployment("kuma-demo", "backend", Map.of("app", "backend", "version", "v1"));
    deployment("kuma-demo", "frontend", Map.of("app", "frontend"));
    service("kuma-demo", "backend", Map.of("app", "backend"));
    service("kuma-demo", "backend-admin", Map.of("app", "backend", "version", "v1"));
    service("kuma-demo", "frontend", Map.of("app", "frontend"));
    service("kuma-demo", "v2-only", Map.of("app", "backend", "version", "v2"));
    pod("kuma-demo", "backend-6d9c8b7f4-x7k2p", "backend-6d9c8b7f4", "6d9c8b7f4",
        Map.of("app", "backend", "version", "v1"));
    pod("kuma-demo", "backend-6d9c8b7f4-abcde", "backend-6d9c8b7f4", "6d9c8b7f4",
        Map.of("app", "backend", "version", "v1"));
    pod("kuma-demo", "frontend-55d4c9-zzzzz", "frontend-55d4c9", "55d4c9",
        Map.of("app", "frontend"));
    pod("other", "backend-6d9c8b7f4-qqqqq", "backend-6d9c8b7f4", "6d9c8b7f4",
        Map.of("app", "backend"));
    for (String ns : List.of("kuma-demo", "other")) {
      client.namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder()
          .withNewMetadata().withName(ns).withLabels(Map.of("kuma.io/sidecar-injection",
              ns.equals("kuma-demo") ? "enabled" : "disabled")).endMetadata().build())
          .createOr(io.fabric8.kubernetes.client.dsl.NonDeletingOperation::update);
    }
    vertx = Vertx.vertx();
    view = InformerClusterView.start(vertx, client, Duration.ofMinutes(10))
        .toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
  }

  @AfterAll
  static void close() throws Exception {
    if (view != null) {
      view.close();
    }
    vertx.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  @Test
  void podsBySelector_returnsOnlyMatchingPodsInTheNamespace() {
    assertThat(view.authoritative()).isTrue();
    assertThat(view.pods("kuma-demo", LabelSelector.parse("app=backend"))).hasValue(
        List.of("backend-6d9c8b7f4-abcde", "backend-6d9c8b7f4-x7k2p"));
    assertThat(view.pods("kuma-demo", LabelSelector.parse("app in (backend,frontend),"
        + "version notin (v1)"))).hasValue(List.of("frontend-55d4c9-zzzzz"));
    assertThat(view.pods("kuma-demo", LabelSelector.parse("app=nothing"))).hasValue(List.of());
  }

  @Test
  void generation_isReplacedByAnInformerEvent_soCachedAnswersAreNotReused() throws Exception {
    Object before = view.generation();
    assertThat(before).isNotNull().isSameAs(view.generation());
    pod("other", "generation-probe", "backend-6d9c8b7f4", "6d9c8b7f4", Map.of("app", "probe"));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (view.pods("other", LabelSelector.parse("app=probe")).orElseThrow().isEmpty()
        && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(view.pods("other", LabelSelector.parse("app=probe")))
        .hasValue(List.of("generation-probe"));
    // fabric8 notifies handlers after updating its store; wait for the notification, not a time.
    while (view.generation() == before && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    Object added = view.generation();
    assertThat(added).isNotSameAs(before);
    client.pods().inNamespace("other").withName("generation-probe").delete();
    while ((view.generation() == added
        || !view.pods("other", LabelSelector.parse("app=probe")).orElseThrow().isEmpty())
        && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(view.pods("other", LabelSelector.parse("app=probe"))).hasValue(List.of());
    assertThat(view.generation()).isNotSameAs(added);
  }

  @Test
  void namespacesBySelector_comeFromTheInformer() {
    assertThat(view.namespaces(LabelSelector.parse("kuma.io/sidecar-injection=enabled")))
        .hasValue(List.of("kuma-demo"));
    assertThat(view.namespaces(LabelSelector.everything())).hasValue(List.of("kuma-demo",
        "other"));
  }

  @Test
  void deploymentOfPod_followsTheOwnerChain() {
    assertThat(view.deploymentOfPod("kuma-demo", "backend-6d9c8b7f4-x7k2p")).hasValue("backend");
    assertThat(view.deploymentOfPod("kuma-demo", "frontend-55d4c9-zzzzz")).hasValue("frontend");
    // Owner ReplicaSet points at a Deployment that does not exist in that namespace.
    assertThat(view.deploymentOfPod("other", "backend-6d9c8b7f4-qqqqq")).isEmpty();
    assertThat(view.deploymentOfPod("kuma-demo", "nosuch")).isEmpty();
  }

  @Test
  void servicesOfDeployment_areTheServicesSelectingItsPods() {
    assertThat(view.servicesOfDeployment("kuma-demo", "backend"))
        .containsExactly("backend", "backend-admin");
    assertThat(view.servicesOfDeployment("kuma-demo", "frontend")).containsExactly("frontend");
    assertThat(view.servicesOfDeployment("kuma-demo", "nosuch")).isEmpty();
  }

  @Test
  void informers_followChanges() throws Exception {
    assertThat(view.pods("changes", LabelSelector.everything())).hasValue(List.of());
    pod("changes", "backend-6d9c8b7f4-newer", "backend-6d9c8b7f4", "6d9c8b7f4",
        Map.of("app", "backend", "version", "v1"));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60); // generous: reached only when broken
    while (System.nanoTime() < deadline
        && view.pods("changes", LabelSelector.everything()).orElseThrow().isEmpty()) {
      Thread.sleep(50);
    }
    assertThat(view.pods("changes", LabelSelector.parse("app=backend")))
        .hasValue(List.of("backend-6d9c8b7f4-newer"));
    assertThat(view.describe()).contains("synced").contains("5 pods");
    client.pods().inNamespace("changes").withName("backend-6d9c8b7f4-newer").delete();
  }

  static void deployment(String ns, String name, Map<String, String> podLabels) {
    InformerClusterViewTestSupport.deployment(client, ns, name, podLabels);
  }

  static void service(String ns, String name, Map<String, String> selector) {
    InformerClusterViewTestSupport.service(client, ns, name, selector);
  }

  static Pod pod(String ns, String name, String rs, String hash, Map<String, String> labels) {
    return InformerClusterViewTestSupport.pod(client, ns, name, rs, hash, labels);
  }
}
