package io.meshcast.adapter.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshcast.adapter.api.model.WireJson.CustomVersion;
import io.meshcast.adapter.http.StatusException;
import io.meshcast.adapter.provider.GroupResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

final class ApiRequestTest {

  private static final String C2 = "/apis/custom.metrics.k8s.io/v1beta2";

  @Test
  void percentEncodedStar_isTheSelectorRoute() {
    var r = (ApiRequest.Custom) ApiRequest.parse(C2 + "/namespaces/ns/pods/%2A/m", "labelSelector=app%3Dx");
    assertThat(r.isSelectorRoute()).isTrue();
    assertThat(r.labelSelector().toString()).isEqualTo("app=x");
    assertThat(r.version()).isEqualTo(CustomVersion.V1BETA2);
  }

  @Test
  void groupQualifiedResource_isSplitAtFirstDot() {
    var r = (ApiRequest.Custom) ApiRequest.parse(
        C2 + "/namespaces/ns/Ingresses.networking.k8s.io/web/m", null);
    assertThat(r.resource()).isEqualTo(new GroupResource("networking.k8s.io", "ingresses"));
    assertThat(r.metric()).isEqualTo("m");
  }

  @Test
  void metricNames_keepTheirCase_externalNamesAreLowerCased() {
    var c = (ApiRequest.Custom) ApiRequest.parse(C2 + "/namespaces/ns/pods/p/Http_Requests", null);
    assertThat(c.metric()).isEqualTo("Http_Requests");
    var e = (ApiRequest.External) ApiRequest.parse(
        "/apis/external.metrics.k8s.io/v1beta1/namespaces/ns/Queue_DEPTH", null);
    assertThat(e.metric()).isEqualTo("queue_depth");
  }

  @Test
  void routeE_isRewrittenToTheNamespaceObject() {
    var r = (ApiRequest.Custom) ApiRequest.parse(C2 + "/namespaces/team-a/metrics/queue", null);
    assertThat(r.resource()).isEqualTo(GroupResource.NAMESPACES);
    assertThat(r.namespaced()).isFalse();
    assertThat(r.namespace()).isEmpty();
    assertThat(r.name()).isEqualTo("team-a");
  }

  @Test
  void query_isFormDecoded_plusIsSpace_firstValueWins() {
    var r = (ApiRequest.Custom) ApiRequest.parse(C2 + "/namespaces/ns/pods/*/m",
        "labelSelector=app+in+%28a%2Cb%29&labelSelector=ignored&timeout=32s&pretty=true");
    assertThat(r.labelSelector().toString()).isEqualTo("app in (a,b)");
  }

  @Test
  void encodedSlash_separatesSegmentsLikeGoDecodedPaths() {
    var r = (ApiRequest.Custom) ApiRequest.parse(C2 + "/namespaces%2Fns%2Fpods/p/m", null);
    assertThat(r.namespace()).isEqualTo("ns");
  }

  @Test
  void trailingSlash_onDiscovery_isTolerated() {
    assertThat(ApiRequest.parse(C2 + "/", null)).isInstanceOf(ApiRequest.ResourceList.class);
  }

  @ParameterizedTest(name = "{0}?{1} -> {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "/apis/custom.metrics.k8s.io/v1beta2/namespaces/ns/pods||400",
        "/apis/custom.metrics.k8s.io/v1beta2/namespaces/ns||404",
        "/apis/custom.metrics.k8s.io/v1beta2/namespaces||404",
        "/apis/custom.metrics.k8s.io/v1beta2/nodes/n||404",
        "/apis/custom.metrics.k8s.io/v1beta2/pods||404",
        "/apis/custom.metrics.k8s.io/v1beta2/namespaces/ns/pods/p/m/x||404",
        "/apis/custom.metrics.k8s.io/v1beta2/namespaces/ns/pods/./m||400",
        "/apis/custom.metrics.k8s.io/v1beta2/namespaces/ns/pods/p/..||400",
        "/apis/custom.metrics.k8s.io/v1beta2//namespaces/ns/pods/p/m||404",
        "/apis/custom.metrics.k8s.io/v1||404",
        "/apis/external.metrics.k8s.io/v1beta2||404",
        "/apis/external.metrics.k8s.io/v1beta1/namespaces/ns||404",
        "/apis/external.metrics.k8s.io/v1beta1/namespaces/ns/a/b||404",
        "/apis/external.metrics.k8s.io/v1beta1/m||404",
        "/apis/foo||404",
        "/apis/custom.metrics.k8s.io/v1beta2/namespaces/ns/pods/%ZZ/m||400",
        "/apis/custom.metrics.k8s.io/v1beta2/namespaces/ns/pods/%2/m||400",
        "/apis/custom.metrics.k8s.io/v1beta2/namespaces/ns/pods/%C3%28/m||400",
        "/apis/custom.metrics.k8s.io/v1beta2/namespaces/ns/pods/*/m|labelSelector=a%3D%3D%3D|400",
        "/apis/custom.metrics.k8s.io/v1beta2/namespaces/ns/pods/*/m|metricLabelSelector=!|400",
        "/apis/custom.metrics.k8s.io/v1beta2/namespaces/ns/pods/*/m|labelSelector=%ZZ|400",
        "/apis/custom.metrics.k8s.io/v1beta2/namespaces/ns/pods/p/m|fieldSelector=spec.x%3Dy|400",
        "/apis/external.metrics.k8s.io/v1beta1/namespaces/ns/m|labelSelector=a+notin+b|400",
      })
  void badPaths_areStatusErrors(String path, String query, int code) {
    assertThatThrownBy(() -> ApiRequest.parse(path, query))
        .isInstanceOfSatisfying(StatusException.class, e -> assertThat(e.code()).isEqualTo(code));
  }

  @Test
  void metricNamedStatus_isServedOnBothGroups() {
    assertThat(ApiRequest.parse("/apis/external.metrics.k8s.io/v1beta1/namespaces/ns/status", null))
        .isEqualTo(new ApiRequest.External("ns", "status",
            io.meshcast.adapter.provider.LabelSelector.everything()));
    assertThat(((ApiRequest.Custom) ApiRequest.parse(C2 + "/namespaces/ns/pods/p/status", null)).metric())
        .isEqualTo("status");
  }
}
