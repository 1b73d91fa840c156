package io.meshcast.adapter.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshcast.adapter.testing.Kubectl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The real kubectl as a client: {@code kubectl get --raw} for discovery and every route in both
 * custom-metrics versions must print JSON equal to the golden documents, and errors must decode
 * as Kubernetes Status objects ("Error from server (NotFound): ...").
 */
final class KubectlIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static ApiFixture fixture;
  private static Path kubeconfig;
  @TempDir static Path tmp;

  @BeforeAll
  static void start() throws Exception {
    fixture = new ApiFixture();
    kubeconfig = fixture.kubeconfig(tmp);
  }

  @AfterAll
  static void stop() throws Exception {
    fixture.close();
  }

  static Kubectl.Result kubectl(String... args) throws IOException, InterruptedException {
    return Kubectl.run(kubeconfig, args);
  }

  static Stream<Arguments> routes() {
    String c1 = "/apis/custom.metrics.k8s.io/v1beta1";
    String c2 = "/apis/custom.metrics.k8s.io/v1beta2";
    String e1 = "/apis/external.metrics.k8s.io/v1beta1";
    return Stream.of(
        Arguments.of("apis", "/apis"),
        Arguments.of("group-custom", "/apis/custom.metrics.k8s.io"),
        Arguments.of("resources-custom-v1beta1", c1),
        Arguments.of("resources-custom-v1beta2", c2),
        Arguments.of("resources-external-v1beta1", e1),
        Arguments.of("b-pods-v1beta1", c1 + "/namespaces/default/pods/*/http_requests?labelSelector=app%3Dweb"),
        Arguments.of("b-pods-v1beta2", c2 + "/namespaces/default/pods/*/http_requests?labelSelector=app%3Dweb"),
        Arguments.of("a-deployment-v1beta1", c1 + "/namespaces/default/deployments.apps/web/queue_depth?metricLabelSelector=queue%3Dorders"),
        Arguments.of("a-deployment-v1beta2", c2 + "/namespaces/default/deployments.apps/web/queue_depth?metricLabelSelector=queue%3Dorders"),
        Arguments.of("c-node-v1beta1", c1 + "/nodes/node-1/cpu_temp"),
        Arguments.of("d-nodes-v1beta2", c2 + "/nodes/*/cpu_temp?labelSelector=zone"),
        Arguments.of("e-namespace-v1beta1", c1 + "/namespaces/default/metrics/queue_depth"),
        Arguments.of("e-namespace-v1beta2", c2 + "/namespaces/default/metrics/queue_depth"),
        Arguments.of("external", e1 + "/namespaces/default/queue_messages_ready?labelSelector=queue%3Dworker_tasks"));
  }

  @ParameterizedTest(name = "kubectl get --raw {1}")
  @MethodSource("routes")
  void getRaw_printsTheGoldenDocument(String golden, String path) throws Exception {
    Kubectl.Result r = kubectl("get", "--raw", path);
    assertThat(r.exit()).as(r.stderr()).isZero();
    JsonNode actual = JSON.readTree(r.stdout());
    assertThat(actual).isEqualTo(JSON.readTree(GoldenRoutesIT.golden(golden, r.stdout())));
    assertThat(actual.get("kind").asText()).isNotEmpty();
  }

  @Test
  void unknownMetric_isDecodedAsNotFoundStatus() throws Exception {
    Kubectl.Result r = kubectl("get", "--raw", "/apis/custom.metrics.k8s.io/v1beta2/namespaces/default/pods/*/nope");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.stderr()).contains("Error from server (NotFound): the server could not find the metric nope for pods");
  }

  @Test
  void badSelector_isDecodedAsBadRequestStatus() throws Exception {
    Kubectl.Result r = kubectl("get", "--raw",
        "/apis/custom.metrics.k8s.io/v1beta1/namespaces/default/pods/*/http_requests?labelSelector=app+in+web");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.stderr()).contains("Error from server (BadRequest): invalid labelSelector");
  }

  @Test
  void apiVersions_listsBothGroups() throws Exception {
    // kubectl's own discovery client walks /apis and the group versions (legacy discovery).
    Kubectl.Result r = kubectl("api-versions");
    assertThat(r.exit()).as(r.stderr()).isZero();
    assertThat(r.stdout().lines()).contains(
        "custom.metrics.k8s.io/v1beta1", "custom.metrics.k8s.io/v1beta2", "external.metrics.k8s.io/v1beta1");
  }

  @Test
  void apiResources_discoversTheGroupWithoutErrors() throws Exception {
    // Metric resources are subresources ("pods/http_requests"), which api-resources does not
    // print; what matters is that discovery of both groups succeeds without stale warnings.
    Kubectl.Result r = kubectl("api-resources", "--api-group=custom.metrics.k8s.io", "--no-headers");
    assertThat(r.exit()).as(r.stderr()).isZero();
    assertThat(r.stderr()).isEmpty();
  }

  @Test
  void healthEndpoints_answerInApiserverFormat() throws Exception {
    Kubectl.Result r = kubectl("get", "--raw", "/readyz?verbose");
    assertThat(r.exit()).as(r.stderr()).isZero();
    assertThat(r.stdout()).contains("[+]ping ok").endsWith("readyz check passed\n");
    Files.writeString(tmp.resolve("done"), "");
  }
}
