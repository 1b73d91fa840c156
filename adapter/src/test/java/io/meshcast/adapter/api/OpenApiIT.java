package io.meshcast.adapter.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.provider.Arguments;

/**
 * The OpenAPI documents over real HTTPS: valid JSON of the expected shape (Swagger 2.0 at
 * /openapi/v2; the OpenAPIV3Discovery index and one OpenAPI 3.0 document per group version), every
 * reference resolves, the wire types carry x-kubernetes-group-version-kind, and every route the
 * golden test serves with 200 matches a documented path.
 */
final class OpenApiIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> GROUP_VERSIONS = List.of(
      "apis/custom.metrics.k8s.io/v1beta1", "apis/custom.metrics.k8s.io/v1beta2",
      "apis/external.metrics.k8s.io/v1beta1");
  private static ApiFixture fixture;

  @BeforeAll
  static void start() throws Exception {
    fixture = new ApiFixture();
  }

  @AfterAll
  static void stop() throws Exception {
    fixture.close();
  }

  private static JsonNode getJson(String path) throws Exception {
    HttpResponse<String> r = fixture.get(path);
    assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
    return JSON.readTree(r.body());
  }

  @Test
  void v2_isSwagger20_withTheWireTypes_andResolvableReferences() throws Exception {
    JsonNode doc = getJson("/openapi/v2");
    assertThat(doc.get("swagger").asText()).isEqualTo("2.0");
    assertThat(doc.at("/info/title").asText()).isNotEmpty();
    JsonNode defs = doc.get("definitions");
    assertThat(names(defs)).contains(
        "io.k8s.metrics.pkg.apis.custom_metrics.v1beta1.MetricValueList",
        "io.k8s.metrics.pkg.apis.custom_metrics.v1beta1.MetricValue",
        "io.k8s.metrics.pkg.apis.custom_metrics.v1beta2.MetricValueList",
        "io.k8s.metrics.pkg.apis.custom_metrics.v1beta2.MetricValue",
        "io.k8s.metrics.pkg.apis.custom_metrics.v1beta2.MetricIdentifier",
        "io.k8s.metrics.pkg.apis.external_metrics.v1beta1.ExternalMetricValueList",
        "io.k8s.metrics.pkg.apis.external_metrics.v1beta1.ExternalMetricValue",
        "io.k8s.api.core.v1.ObjectReference",
        "io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector",
        "io.k8s.apimachinery.pkg.apis.meta.v1.Status");
    assertGvk(defs, "io.k8s.metrics.pkg.apis.custom_metrics.v1beta2.MetricValueList",
        "custom.metrics.k8s.io", "v1beta2", "MetricValueList");
    assertGvk(defs, "io.k8s.metrics.pkg.apis.custom_metrics.v1beta1.MetricValueList",
        "custom.metrics.k8s.io", "v1beta1", "MetricValueList");
    assertGvk(defs, "io.k8s.metrics.pkg.apis.external_metrics.v1beta1.ExternalMetricValueList",
        "external.metrics.k8s.io", "v1beta1", "ExternalMetricValueList");
    assertGvk(defs, "io.k8s.apimachinery.pkg.apis.meta.v1.Status", "", "v1", "Status");
    // The fields the wire format really has (WireJson), per version.
    assertThat(names(defs.at("/io.k8s.metrics.pkg.apis.custom_metrics.v1beta2.MetricValue"
        + "/properties"))).contains("describedObject", "metric", "timestamp", "windowSeconds",
        "value");
    assertThat(names(defs.at("/io.k8s.metrics.pkg.apis.custom_metrics.v1beta1.MetricValue"
        + "/properties"))).contains("describedObject", "metricName", "timestamp", "window",
        "value", "selector");
    assertRefsResolve(doc, "#/definitions/", defs);
    assertEveryServedRouteIsDocumented(doc.get("paths"));
  }

  @Test
  void v3_discoveryListsEachGroupVersion_andEachDocumentIsOpenApi30() throws Exception {
    JsonNode discovery = getJson("/openapi/v3");
    assertThat(names(discovery.get("paths"))).containsExactlyInAnyOrderElementsOf(GROUP_VERSIONS);
    List<String> allPaths = new ArrayList<>();
    for (String gv : GROUP_VERSIONS) {
      String url = discovery.at("/paths").get(gv).get("serverRelativeURL").asText();
      assertThat(url).startsWith("/openapi/v3/" + gv + "?hash=");
      JsonNode doc = getJson(url);
      assertThat(doc.get("openapi").asText()).isEqualTo("3.0.0");
      JsonNode schemas = doc.at("/components/schemas");
      assertRefsResolve(doc, "#/components/schemas/", schemas);
      assertThat(names(doc.get("paths"))).allSatisfy(p -> assertThat(p).startsWith("/" + gv));
      allPaths.addAll(names(doc.get("paths")));
      String list = gv.contains("external")
          ? "io.k8s.metrics.pkg.apis.external_metrics.v1beta1.ExternalMetricValueList"
          : "io.k8s.metrics.pkg.apis.custom_metrics." + gv.substring(gv.lastIndexOf('/') + 1)
              + ".MetricValueList";
      assertThat(names(schemas)).contains(list, "io.k8s.apimachinery.pkg.apis.meta.v1.Status");
      // Only its own group version's list type: the document is per group version.
      assertThat(names(schemas).stream().filter(n -> n.endsWith("ValueList"))).containsExactly(
          list);
      // The hash is ignored when serving (the aggregator uses it as a cache key).
      assertThat(getJson(URI.create(url).getPath())).isEqualTo(doc);
    }
    ObjectNode merged = JSON.createObjectNode();
    allPaths.forEach(merged::putObject);
    assertEveryServedRouteIsDocumented(merged);
  }

  @Test
  void unknownOpenApiPath_isNotFound_andDocumentsAreReadOnly() throws Exception {
    assertThat(fixture.get("/openapi/v4").statusCode()).isEqualTo(404);
    assertThat(fixture.get("/openapi/v3/apis/metrics.k8s.io/v1beta1").statusCode())
        .isEqualTo(404);
    assertThat(fixture.send("POST", "/openapi/v2").statusCode()).isEqualTo(405);
    assertThat(fixture.send("HEAD", "/openapi/v2").statusCode()).isEqualTo(200);
  }

  private static void assertGvk(JsonNode defs, String name, String group, String version,
      String kind) {
    JsonNode gvk = defs.get(name).get("x-kubernetes-group-version-kind");
    assertThat(gvk).as(name).isNotNull();
    assertThat(gvk.get(0).get("group").asText()).isEqualTo(group);
    assertThat(gvk.get(0).get("version").asText()).isEqualTo(version);
    assertThat(gvk.get(0).get("kind").asText()).isEqualTo(kind);
  }

  /** Every {@code $ref} in the document names a definition that exists. */
  private static void assertRefsResolve(JsonNode doc, String prefix, JsonNode defs) {
    List<String> refs = new ArrayList<>();
    collectRefs(doc, refs);
    assertThat(refs).isNotEmpty();
    assertThat(refs).allSatisfy(r -> {
      assertThat(r).startsWith(prefix);
      assertThat(defs.has(r.substring(prefix.length()))).as(r).isTrue();
    });
  }

  private static void collectRefs(JsonNode n, List<String> out) {
    if (n.has("$ref")) {
      out.add(n.get("$ref").asText());
    }
    n.elements().forEachRemaining(c -> collectRefs(c, out));
  }

  /** Each 200 route of {@link GoldenRoutesIT#routes()} matches a documented path template. */
  private static void assertEveryServedRouteIsDocumented(JsonNode paths) {
    List<Pattern> templates = new ArrayList<>();
    for (String p : names(paths)) {
      templates.add(Pattern.compile(Pattern.quote(p).replaceAll("\\{[a-z]+\\}",
          "\\\\E[^/]+\\\\Q")));
    }
    List<String> served = GoldenRoutesIT.routes().map(Arguments::get)
        .filter(a -> (int) a[2] == 200).map(a -> URI.create((String) a[1]).getPath())
        .filter(p -> p.chars().filter(c -> c == '/').count() >= 3) // group versions and below
        .map(p -> p.replace("%2A", "*"))
        .toList();
    assertThat(served).hasSizeGreaterThan(15);
    for (String route : served) {
      String withSlash = route.matches("/apis/[^/]+/[^/]+") ? route + "/" : route;
      assertThat(templates).as("a documented path for " + route)
          .anyMatch(t -> t.matcher(withSlash).matches());
    }
  }

  private static List<String> names(JsonNode n) {
    List<String> out = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
      out.add(it.next().getKey());
    }
    return out;
  }
}
