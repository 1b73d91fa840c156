package io.meshcast.adapter.k8s;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import java.util.Map;

/**
 * Builders of Deployments, Services and owned Pods for mock-API-server tests. Creation is
 * idempotent ({@code createOr(update)}): on a loaded machine the client may time out on a create
 * the mock server did perform and retry it, which would otherwise fail with 409 AlreadyExists.
 */
public final class InformerClusterViewTestSupport {

  private InformerClusterViewTestSupport() {}

  public static void deployment(KubernetesClient client, String ns, String name, Map<String, String> podLabels) {
    client.apps().deployments().inNamespace(ns).resource(new DeploymentBuilder()
        .withNewMetadata().withName(name).withNamespace(ns).withLabels(Map.of("app", name))
        .endMetadata()
        .withNewSpec().withNewSelector().withMatchLabels(podLabels).endSelector()
        .withNewTemplate().withNewMetadata().withLabels(podLabels).endMetadata()
        .withNewSpec().addNewContainer().withName("app").withImage("app").endContainer()
        .endSpec().endTemplate().endSpec().build()).createOr(NonDeletingOperation::update);
  }

  public static void service(KubernetesClient client, String ns, String name, Map<String, String> selector) {
    client.services().inNamespace(ns).resource(new ServiceBuilder()
        .withNewMetadata().withName(name).withNamespace(ns).endMetadata()
        .withNewSpec().withSelector(selector).addNewPort().withPort(80).endPort().endSpec()
        .build()).createOr(NonDeletingOperation::update);
  }

  public static Pod pod(KubernetesClient client, String ns, String name, String rs, String hash, Map<String, String> labels) {
    Map<String, String> l = new java.util.HashMap<>(labels);
    l.put("pod-template-hash", hash);
    return client.pods().inNamespace(ns).resource(new PodBuilder()
        .withNewMetadata().withName(name).withNamespace(ns).withLabels(l)
        .addNewOwnerReference().withKind("ReplicaSet").withName(rs).withApiVersion("apps/v1")
        .withUid("uid-" + rs).withController(true).endOwnerReference().endMetadata()
        .withNewSpec().addNewContainer().withName("app").withImage("app").endContainer()
        .endSpec().build()).createOr(NonDeletingOperation::update);
  }
}
