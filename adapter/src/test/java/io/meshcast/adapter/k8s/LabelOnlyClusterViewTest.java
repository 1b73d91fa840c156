package io.meshcast.adapter.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshcast.adapter.provider.LabelSelector;
import org.junit.jupiter.api.Test;

final class LabelOnlyClusterViewTest {

  @Test
  void withoutCluster_namingConventionsApply() {
    ClusterView v = ClusterView.labelOnly();
    assertThat(v.authoritative()).isFalse();
    assertThat(v.pods("ns", LabelSelector.everything())).isEmpty();
    assertThat(v.deploymentOfPod("ns", "backend-6d9c8b7f4-x7k2p")).hasValue("backend");
    assertThat(v.deploymentOfPod("ns", "my-web-app-55d4c9bd7-abcde")).hasValue("my-web-app");
    assertThat(v.deploymentOfPod("ns", "db-0")).isEmpty();
    assertThat(v.servicesOfDeployment("ns", "backend")).containsExactly("backend");
  }
}
