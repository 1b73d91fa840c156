package io.meshcast.adapter.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meshcast.adapter.api.model.WireJson;
import io.meshcast.adapter.http.RequestInfo;
import io.meshcast.adapter.http.StatusException;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The OpenAPI documents of the three group versions, so the aggregator can merge them (it logs
 * "OpenAPI spec does not exist" for a 404) and {@code kubectl explain} and client generators can
 * read them: Swagger 2.0 at {@code /openapi/v2}; at {@code /openapi/v3} the
 * {@code OpenAPIV3Discovery} index whose {@code serverRelativeURL}s (with a content hash, which
 * the aggregator uses as a cache key) point at one OpenAPI 3.0 document per group version,
 * {@code /openapi/v3/apis/{group}/{version}}.
 *
 * <p>Definitions use the names Kubernetes derives from the Go packages of the wire types
 * ({@code io.k8s.metrics.pkg.apis.custom_metrics.v1beta2.MetricValueList},
 * {@code io.k8s.apimachinery.pkg.apis.meta.v1.Status}, ...), so merged specs line up with the
 * apiserver's own. Every document is built once, at class initialisation, and served from memory.
 * Immutable and thread-safe.
 */
final class OpenApi implements Handler<RoutingContext> {

  static final ObjectMapper JSON = new ObjectMapper();

  static final String META = "io.k8s.apimachinery.pkg.apis.meta.v1.";
  static final String CUSTOM = "io.k8s.metrics.pkg.apis.custom_metrics.";
  static final String EXTERNAL = "io.k8s.metrics.pkg.apis.external_metrics.v1beta1.";
  static final String STATUS = META + "Status";
  static final String RESOURCE_LIST = META + "APIResourceList";

  /** One served group version. */
  record GroupVersion(String group, String version) {
    String prefix() {
      return "/apis/" + group + "/" + version;
    }

    String v3Path() {
      return "apis/" + group + "/" + version;
    }

    boolean custom() {
      return group.equals(WireJson.CUSTOM_GROUP);
    }

    String listDefinition() {
      return custom() ? CUSTOM + version + ".MetricValueList"
          : EXTERNAL + "ExternalMetricValueList";
    }
  }

  private static final Map<String, String> PARAM_DOCS = Map.of(
      "namespace", "object name and auth scope, such as for teams and projects",
      "resource", "the resource of the described object, e.g. pods, services, "
          + "deployments.apps",
      "name", "name of the described object, or * for every object the labelSelector matches",
      "metric", "name of the metric",
      "labelSelector", "selects the described objects (name *) or, for external metrics, "
          + "the series by their labels",
      "metricLabelSelector", "selects the metric's series by their labels",
      "fieldSelector", "only metadata.name=<name> is supported");

  static final List<GroupVersion> GROUP_VERSIONS = List.of(
      new GroupVersion(WireJson.CUSTOM_GROUP, "v1beta1"),
      new GroupVersion(WireJson.CUSTOM_GROUP, "v1beta2"),
      new GroupVersion(WireJson.EXTERNAL_GROUP, "v1beta1"));

  // Built once (after the fields above, in textual order) and served from memory.
  private static final byte[] V2 = bytes(v2());
  private static final Map<String, byte[]> V3_BY_PATH;
  private static final byte[] V3_DISCOVERY;

  static {
    Map<String, byte[]> byPath = new LinkedHashMap<>();
    ObjectNode paths = JSON.createObjectNode();
    for (GroupVersion gv : GROUP_VERSIONS) {
      byte[] doc = bytes(v3(gv));
      byPath.put("/openapi/v3/" + gv.v3Path(), doc);
      paths.putObject(gv.v3Path()).put("serverRelativeURL",
          "/openapi/v3/" + gv.v3Path() + "?hash=" + sha512(doc));
    }
    V3_BY_PATH = Map.copyOf(byPath);
    ObjectNode discovery = JSON.createObjectNode();
    discovery.set("paths", paths);
    V3_DISCOVERY = bytes(discovery);
  }

  /** Serves {@code /openapi/v2}, {@code /openapi/v3} and {@code /openapi/v3/apis/{g}/{v}}. */
  @Override
  public void handle(RoutingContext ctx) {
    String path = ctx.normalizedPath();
    byte[] body = document(path);
    if (body == null) {
      ctx.fail(StatusException.notFound("the server has no OpenAPI document at "
          + RequestInfo.abbreviate(path) + " (served: /openapi/v2, /openapi/v3 and "
          + "/openapi/v3/apis/{group}/{version})"));
      return;
    }
    if (!"GET".equals(ctx.request().method().name())
        && !"HEAD".equals(ctx.request().method().name())) {
      ctx.fail(StatusException.methodNotAllowed(ctx.request().method().name()));
      return;
    }
    ctx.put(MetricsApiHandler.ROUTE_KEY, "openapi");
    ctx.response().putHeader("Content-Type", "application/json")
        .end(Buffer.buffer(body));
  }

  /** The document at {@code path}, or null. */
  static byte[] document(String path) {
    if (path.equals("/openapi/v2")) {
      return V2;
    }
    if (path.equals("/openapi/v3") || path.equals("/openapi/v3/")) {
      return V3_DISCOVERY;
    }
    return V3_BY_PATH.get(path);
  }

  // ---- documents

  private static ObjectNode v2() {
    ObjectNode doc = JSON.createObjectNode();
    doc.put("swagger", "2.0");
    info(doc);
    ObjectNode paths = doc.putObject("paths");
    for (GroupVersion gv : GROUP_VERSIONS) {
      addPaths(paths, gv, false);
    }
    ObjectNode all = OpenApiDefinitions.all(name -> "#/definitions/" + name);
    doc.set("definitions", reachable(all, paths, "#/definitions/"));
    return doc;
  }

  private static ObjectNode v3(GroupVersion gv) {
    ObjectNode doc = JSON.createObjectNode();
    doc.put("openapi", "3.0.0");
    info(doc);
    ObjectNode paths = doc.putObject("paths");
    addPaths(paths, gv, true);
    ObjectNode all = OpenApiDefinitions.all(name -> "#/components/schemas/" + name);
    doc.putObject("components").set("schemas", reachable(all, paths, "#/components/schemas/"));
    return doc;
  }

  private static void info(ObjectNode doc) {
    doc.putObject("info").put("title", "meshcast").put("version", "v0.1.0");
  }

  // ---- paths

  private static void addPaths(ObjectNode paths, GroupVersion gv, boolean v3) {
    String p = gv.prefix();
    String tag = gv.group().replace(".k8s.io", "").replace('.', '_') + "_" + gv.version();
    paths.putObject(p + "/").set("get", operation(v3, tag, "get available resources",
        "getAPIResources", RESOURCE_LIST, List.of(), List.of(), gv, false));
    if (gv.custom()) {
      List<String> query = List.of("labelSelector", "metricLabelSelector", "fieldSelector");
      paths.putObject(p + "/namespaces/{namespace}/{resource}/{name}/{metric}").set("get",
          operation(v3, tag, "the metric for a namespaced object, or (name \"*\") for every "
                  + "object the labelSelector matches", "readNamespacedObjectMetric",
              gv.listDefinition(), List.of("namespace", "resource", "name", "metric"), query, gv,
              true));
      paths.putObject(p + "/{resource}/{name}/{metric}").set("get",
          operation(v3, tag, "the metric for a cluster-scoped object, or (name \"*\") for every "
                  + "object the labelSelector matches", "readRootScopedObjectMetric",
              gv.listDefinition(), List.of("resource", "name", "metric"), query, gv, true));
      paths.putObject(p + "/namespaces/{namespace}/metrics/{metric}").set("get",
          operation(v3, tag, "the metric describing the namespace itself",
              "readNamespaceMetric", gv.listDefinition(), List.of("namespace", "metric"), query,
              gv, true));
    } else {
      paths.putObject(p + "/namespaces/{namespace}/{metric}").set("get",
          operation(v3, tag, "the values of an external metric for the series the "
                  + "labelSelector matches", "readNamespacedExternalMetric",
              gv.listDefinition(), List.of("namespace", "metric"), List.of("labelSelector"), gv,
              true));
    }
  }

  private static ObjectNode operation(boolean v3, String tag, String description, String verb,
      String result, List<String> pathParams, List<String> queryParams, GroupVersion gv,
      boolean metricList) {
    ObjectNode op = JSON.createObjectNode();
    op.put("description", description);
    op.putArray("tags").add(tag);
    op.put("operationId", verb + capitalize(tag));
    if (!v3) {
      op.putArray("produces").add("application/json");
      op.putArray("schemes").add("https");
    }
    ArrayNode params = op.putArray("parameters");
    for (String name : pathParams) {
      params.add(parameter(v3, name, "path", true, PARAM_DOCS.get(name)));
    }
    for (String name : queryParams) {
      params.add(parameter(v3, name, "query", false, PARAM_DOCS.get(name)));
    }
    ObjectNode responses = op.putObject("responses");
    response(v3, responses.putObject("200"), "OK", result);
    response(v3, responses.putObject("default"),
        "an error: Status with the reason (NotFound, ServiceUnavailable, Forbidden, ...)", STATUS);
    op.put("x-kubernetes-action", "get");
    if (metricList) {
      op.putObject("x-kubernetes-group-version-kind").put("group", gv.group())
          .put("version", gv.version())
          .put("kind", gv.custom() ? "MetricValueList" : "ExternalMetricValueList");
    }
    return op;
  }

  private static ObjectNode parameter(boolean v3, String name, String in, boolean required,
      String description) {
    ObjectNode p = JSON.createObjectNode().put("name", name).put("in", in)
        .put("description", description);
    if (required) {
      p.put("required", true);
    }
    if (v3) {
      p.putObject("schema").put("type", "string");
      if (name.equals("name") || name.equals("resource")) {
        p.put("allowReserved", true); // "*" and dots, as kube-apiserver forwards them
      }
    } else {
      p.put("type", "string");
      p.put("uniqueItems", true);
    }
    return p;
  }

  private static void response(boolean v3, ObjectNode r, String description, String definition) {
    r.put("description", description);
    if (v3) {
      r.putObject("content").putObject("application/json").putObject("schema")
          .put("$ref", "#/components/schemas/" + definition);
    } else {
      r.putObject("schema").put("$ref", "#/definitions/" + definition);
    }
  }

  /** The definitions {@code paths} reference, directly or through other definitions. */
  private static ObjectNode reachable(ObjectNode all, JsonNode paths, String prefix) {
    Set<String> seen = new TreeSet<>();
    Deque<JsonNode> todo = new ArrayDeque<>(List.of(paths));
    while (!todo.isEmpty()) {
      JsonNode n = todo.pop();
      JsonNode ref = n.get("$ref");
      if (ref != null && ref.asText().startsWith(prefix)) {
        String name = ref.asText().substring(prefix.length());
        if (seen.add(name)) {
          JsonNode target = all.get(name);
          if (target == null) {
            throw new IllegalStateException("OpenAPI: undefined reference " + name);
          }
          todo.push(target);
        }
      }
      n.elements().forEachRemaining(todo::push);
    }
    ObjectNode out = JSON.createObjectNode();
    seen.forEach(name -> out.set(name, all.get(name)));
    return out;
  }

  private static String capitalize(String tag) {
    StringBuilder sb = new StringBuilder();
    for (String part : tag.split("_")) {
      sb.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
    }
    return sb.toString();
  }

  private static byte[] bytes(JsonNode doc) {
    try {
      return JSON.writeValueAsString(doc).getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("OpenAPI document not serialisable", e);
    }
  }

  private static String sha512(byte[] doc) {
    try {
      return HexFormat.of().withUpperCase().formatHex(
          MessageDigest.getInstance("SHA-512").digest(doc));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-512 missing from the JDK", e);
    }
  }
}
