package io.meshcast.adapter.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every route and version against golden JSON, byte for byte, over real HTTPS. The golden files
 * were checked by hand against the Go types' field order in k8s-metrics-api.md §1.5/§2.2/§3.1.
 * Set {@code -Dgolden.update=true} to rewrite them (then review the diff).
 */
final class GoldenRoutesIT {

  private static ApiFixture fixture;

  @BeforeAll
  static void start() throws Exception {
    fixture = new ApiFixture();
  }

  @AfterAll
  static void stop() throws Exception {
    fixture.close();
  }

  static Stream<Arguments> routes() {
    String c1 = "/apis/custom.metrics.k8s.io/v1beta1";
    String c2 = "/apis/custom.metrics.k8s.io/v1beta2";
    String e1 = "/apis/external.metrics.k8s.io/v1beta1";
    return Stream.of(
        Arguments.of("apis", "/apis", 200),
        Arguments.of("group-custom", "/apis/custom.metrics.k8s.io", 200),
        Arguments.of("group-external", "/apis/external.metrics.k8s.io", 200),
        Arguments.of("resources-custom-v1beta1", c1, 200),
        Arguments.of("resources-custom-v1beta2", c2, 200),
        Arguments.of("resources-external-v1beta1", e1, 200),
        // Route B: namespaced selector, %2A as the aggregator sends it, and a literal *.
        Arguments.of("b-pods-v1beta1", c1 + "/namespaces/default/pods/%2A/http_requests?labelSelector=app%3Dweb", 200),
        Arguments.of("b-pods-v1beta2", c2 + "/namespaces/default/pods/%2A/http_requests?labelSelector=app%3Dweb", 200),
        Arguments.of("b-pods-v1beta2", c2 + "/namespaces/default/pods/*/http_requests?labelSelector=app=web", 200),
        Arguments.of("b-pods-all-v1beta2", c2 + "/namespaces/default/pods/*/http_requests", 200),
        Arguments.of("b-pods-none-v1beta2", c2 + "/namespaces/default/pods/*/http_requests?labelSelector=app%3Dnone", 200),
        Arguments.of("b-pods-set-v1beta2", c2 + "/namespaces/default/pods/*/http_requests?labelSelector=app+in+%28api%2Cweb%29%2Capp+notin+%28web%29", 200),
        // Route A: namespaced object, group-qualified resource, metricLabelSelector echoed.
        Arguments.of("a-deployment-v1beta1", c1 + "/namespaces/default/deployments.apps/web/queue_depth?metricLabelSelector=queue%3Dorders", 200),
        Arguments.of("a-deployment-v1beta2", c2 + "/namespaces/default/deployments.apps/web/queue_depth?metricLabelSelector=queue%3Dorders", 200),
        Arguments.of("a-deployment-noselector-v1beta2", c2 + "/namespaces/default/deployments.apps/web/queue_depth", 200),
        Arguments.of("a-metric-named-status-v1beta2", c2 + "/namespaces/default/pods/web-1/status", 200),
        // Route C/D: root-scoped.
        Arguments.of("c-node-v1beta1", c1 + "/nodes/node-1/cpu_temp", 200),
        Arguments.of("d-nodes-v1beta2", c2 + "/nodes/*/cpu_temp?labelSelector=zone", 200),
        // Route E: the namespace object itself.
        Arguments.of("e-namespace-v1beta1", c1 + "/namespaces/default/metrics/queue_depth", 200),
        Arguments.of("e-namespace-v1beta2", c2 + "/namespaces/default/metrics/queue_depth", 200),
        // External: case-insensitive names, selector, metric named "status".
        Arguments.of("external", e1 + "/namespaces/default/queue_messages_ready?labelSelector=queue%3Dworker_tasks", 200),
        Arguments.of("external", e1 + "/namespaces/default/Queue_Messages_READY?labelSelector=queue%3Dworker_tasks", 200),
        Arguments.of("external-all", e1 + "/namespaces/default/queue_messages_ready", 200),
        Arguments.of("external-status", e1 + "/namespaces/default/status", 200),
        Arguments.of("external-other-namespace", e1 + "/namespaces/other/queue_messages_ready", 200),
        // Errors.
        Arguments.of("err-unknown-metric", c2 + "/namespaces/default/pods/*/nope", 404),
        Arguments.of("err-unknown-object", c2 + "/namespaces/default/pods/web-7/http_requests", 404),
        Arguments.of("err-unknown-external", e1 + "/namespaces/default/nope", 404),
        Arguments.of("err-too-few-segments", c2 + "/namespaces/default/pods", 400),
        Arguments.of("err-no-metric", c2 + "/nodes/node-1", 404),
        Arguments.of("err-external-slash", e1 + "/namespaces/default/group/metric", 404),
        Arguments.of("err-dot-metric", e1 + "/namespaces/default/.", 400),
        Arguments.of("err-bad-selector", c2 + "/namespaces/default/pods/*/http_requests?labelSelector=app%3D%3D%28", 400),
        Arguments.of("err-bad-metric-selector", c2 + "/namespaces/default/deployments.apps/web/queue_depth?metricLabelSelector=queue+in+x", 400),
        Arguments.of("err-unknown-version", "/apis/custom.metrics.k8s.io/v2", 404),
        Arguments.of("err-unknown-group", "/apis/metrics.k8s.io/v1beta1", 404),
        // /openapi/v2 and /openapi/v3 are served (OpenApiIT); other OpenAPI paths are not.
        Arguments.of("err-openapi-unknown", "/openapi/v4", 404),
        Arguments.of("err-field-selector", c2 + "/namespaces/default/pods/web-1/http_requests?fieldSelector=metadata.name%3Dweb-2", 400));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("routes")
  void route_matchesGoldenJson(String golden, String path, int code) throws Exception {
    HttpResponse<String> response = fixture.get(path);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(code);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(response.body()).isEqualTo(golden(golden, response.body()));
  }

  static String golden(String name, String actual) throws IOException {
    String resource = "/golden/" + name + ".json";
    if (Boolean.getBoolean("golden.update")) {
      Path file = Path.of("src/test/resources" + resource);
      Files.writeString(file, actual + "\n");
      return actual;
    }
    try (InputStream in = GoldenRoutesIT.class.getResourceAsStream(resource)) {
      assertThat(in).as("golden file %s", resource).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).stripTrailing();
    }
  }
}
