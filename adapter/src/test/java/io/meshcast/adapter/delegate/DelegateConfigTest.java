package io.meshcast.adapter.delegate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.meshcast.adapter.config.DelegateConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

final class DelegateConfigTest {

  private static List<DelegateConfig> parse(String yaml) throws Exception {
    return DelegateConfig.parse(new ObjectMapper(new YAMLFactory()).readTree(yaml).get("delegate"));
  }

  @Test
  void defaultsAndKeys() throws Exception {
    List<DelegateConfig> d = parse("""
        delegate:
          external.metrics.k8s.io:
            url: https://keda-operator-metrics-apiserver.keda:443
            bearerTokenFile: /var/run/secrets/kubernetes.io/serviceaccount/token
            caFile: /etc/keda-ca/ca.crt
        """);
    assertThat(d).hasSize(1);
    assertThat(d.get(0).timeout()).hasSeconds(5);
    assertThat(d.get(0).failureThreshold()).isEqualTo(5);
    assertThat(d.get(0).openFor()).hasSeconds(30);
  }

  @Test
  void badInputNamesTheKey() {
    assertThatThrownBy(() -> parse("delegate: {metrics.k8s.io: {url: https://x}}"))
        .hasMessageContaining("delegate.metrics.k8s.io: unknown API group");
    assertThatThrownBy(() -> parse("delegate: {custom.metrics.k8s.io: {url: ftp://x}}"))
        .hasMessageContaining("delegate.custom.metrics.k8s.io.url");
    assertThatThrownBy(() -> parse("delegate: {custom.metrics.k8s.io: {url: https://x, tmeout: 1s}}"))
        .hasMessageContaining("delegate.custom.metrics.k8s.io.tmeout: unknown key");
    assertThatThrownBy(() -> parse(
        "delegate: {custom.metrics.k8s.io: {url: https://x, certFile: /c}}"))
        .hasMessageContaining("certFile and keyFile must be given together");
  }

  @Test
  void metricPathsAreRecognised() {
    assertThat(Delegation.Target.of(
        "/apis/custom.metrics.k8s.io/v1beta2/namespaces/a/pods/p/m"))
        .isEqualTo(new Delegation.Target("custom.metrics.k8s.io", "pods", "m"));
    assertThat(Delegation.Target.of("/apis/custom.metrics.k8s.io/v1beta1/namespaces/a/metrics/m"))
        .isEqualTo(new Delegation.Target("custom.metrics.k8s.io", "namespaces", "m"));
    assertThat(Delegation.Target.of("/apis/custom.metrics.k8s.io/v1beta2/nodes/n1/m"))
        .isEqualTo(new Delegation.Target("custom.metrics.k8s.io", "nodes", "m"));
    assertThat(Delegation.Target.of("/apis/external.metrics.k8s.io/v1beta1/namespaces/a/Queue"))
        .isEqualTo(new Delegation.Target("external.metrics.k8s.io", null, "queue"));
    assertThat(Delegation.Target.of("/apis/custom.metrics.k8s.io/v1beta2")).isNull();
    assertThat(Delegation.Target.of("/metrics")).isNull();
  }
}
