package io.meshcast.adapter.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

final class RequestAttributesTest {

  private static RequestAttributes get(String path, Map<String, String> query) {
    return RequestAttributes.parse("GET", path, query::get);
  }

  /** The rows of k8s-metrics-api.md §4.5's table, plus route C/D variants. */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      nullValues = "-",
      value = {
        // path | query labelSelector | ns | verb | group | version | resource | sub | name | selector
        "/apis/custom.metrics.k8s.io/v1beta2/namespaces/default/pods/%2A/http_requests|app=x|default|get|custom.metrics.k8s.io|v1beta2|pods|http_requests|*|",
        "/apis/custom.metrics.k8s.io/v1beta2/namespaces/default/pods/*/http_requests|app=x|default|get|custom.metrics.k8s.io|v1beta2|pods|http_requests|*|",
        "/apis/custom.metrics.k8s.io/v1beta2/namespaces/default/deployments.apps/web/qps|-|default|get|custom.metrics.k8s.io|v1beta2|deployments.apps|qps|web|",
        "/apis/custom.metrics.k8s.io/v1beta2/nodes/node-1/cpu_temp|-||get|custom.metrics.k8s.io|v1beta2|nodes|cpu_temp|node-1|",
        "/apis/custom.metrics.k8s.io/v1beta2/namespaces/default/metrics/queue_depth|-|default|get|custom.metrics.k8s.io|v1beta2|metrics||queue_depth|",
        "/apis/external.metrics.k8s.io/v1beta1/namespaces/default/queue_messages_ready|queue=w|default|list|external.metrics.k8s.io|v1beta1|queue_messages_ready|||queue=w",
        "/apis/custom.metrics.k8s.io/v1beta1/nodes|a in (x)||list|custom.metrics.k8s.io|v1beta1|nodes|||a in (x)",
      })
  void resourceRequests_matchApiserverRequestInfo(
      String path, String selector, String ns, String verb, String group, String version,
      String resource, String sub, String name, String recordedSelector) {
    RequestAttributes a =
        get(path, selector == null ? Map.of() : Map.of("labelSelector", selector));
    assertThat(a.resourceRequest()).isTrue();
    assertThat(a.namespace()).isEqualTo(n(ns));
    assertThat(a.verb()).isEqualTo(verb);
    assertThat(a.apiGroup()).isEqualTo(group);
    assertThat(a.apiVersion()).isEqualTo(version);
    assertThat(a.resource()).isEqualTo(resource);
    assertThat(a.subresource()).isEqualTo(n(sub));
    assertThat(a.name()).isEqualTo(n(name));
    assertThat(a.labelSelector()).isEqualTo(n(recordedSelector));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/apis", "/apis/custom.metrics.k8s.io", "/apis/custom.metrics.k8s.io/v1beta2",
        "/apis/custom.metrics.k8s.io/v1beta2/", "/livez", "/openapi/v2", "/"
      })
  void shortPaths_areNonResourceWithHttpVerb(String path) {
    RequestAttributes a = get(path, Map.of());
    assertThat(a.resourceRequest()).isFalse();
    assertThat(a.verb()).isEqualTo("get");
    assertThat(a.path()).isEqualTo(path);
  }

  @Test
  void namespaceStatus_isNamespaceSubresource() {
    RequestAttributes a =
        get("/apis/external.metrics.k8s.io/v1beta1/namespaces/default/status", Map.of());
    assertThat(a.resource()).isEqualTo("namespaces");
    assertThat(a.name()).isEqualTo("default");
    assertThat(a.subresource()).isEqualTo("status");
    assertThat(a.verb()).isEqualTo("get");
  }

  @Test
  void watchParameterAndFieldSelectorName_followRequestInfo() {
    RequestAttributes watch =
        get("/apis/custom.metrics.k8s.io/v1beta2/nodes", Map.of("watch", "true"));
    assertThat(watch.verb()).isEqualTo("watch");
    RequestAttributes byName =
        get(
            "/apis/custom.metrics.k8s.io/v1beta2/nodes",
            Map.of("fieldSelector", "metadata.name=node-1"));
    assertThat(byName.verb()).isEqualTo("list");
    assertThat(byName.name()).isEqualTo("node-1");
    assertThat(byName.fieldSelector()).isEqualTo("metadata.name=node-1");
  }

  @Test
  void getWithName_doesNotRecordSelectors() {
    RequestAttributes a =
        get(
            "/apis/custom.metrics.k8s.io/v1beta2/namespaces/default/pods/*/m",
            Map.of("labelSelector", "app=x"));
    assertThat(a.labelSelector()).isEmpty();
  }

  @Test
  void postOnResource_isCreate_andOtherMethodsMapLikeApiserver() {
    assertThat(RequestAttributes.parse("POST", "/apis/g/v/namespaces/n/r", k -> null).verb())
        .isEqualTo("create");
    assertThat(RequestAttributes.parse("DELETE", "/apis/g/v/namespaces/n/r", k -> null).verb())
        .isEqualTo("deletecollection");
    assertThat(RequestAttributes.parse("POST", "/livez", k -> null).verb()).isEqualTo("post");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/apis/custom.metrics.k8s.io/v1beta2/namespaces/default/pods%2Fx/m",
        "/apis/custom.metrics.k8s.io/v1beta2/namespaces/default/pods/../secrets/m",
        "/apis/custom.metrics.k8s.io/v1beta2/namespaces/default/pods/%2e%2e/m",
        "/apis//custom.metrics.k8s.io/v1beta2/namespaces/default/pods/x/m",
        "/apis/custom.metrics.k8s.io/v1beta2/namespaces/default/pods/x/m%",
        "/apis/custom.metrics.k8s.io/v1beta2/namespaces/default/pods/x/m%zz",
        "/apis/custom.metrics.k8s.io/v1beta2/namespaces/default/pods/x/m%00",
        "/apis/custom.metrics.k8s.io/v1beta2/watch",
        "relative/path"
      })
  void ambiguousPaths_areRejected(String path) {
    assertThatThrownBy(() -> get(path, Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("invalid request path");
  }

  private static String n(String s) {
    return s == null ? "" : s;
  }
}
