package io.meshcast.adapter.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meshcast.adapter.api.model.WireJson;
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
import java.util.function.Function;

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

  private static final ObjectMapper JSON = new ObjectMapper();

  private static final String META = "io.k8s.apimachinery.pkg.apis.meta.v1.";
  private static final String QUANTITY = "io.k8s.apimachinery.pkg.api.resource.Quantity";
  private static final String OBJECT_REFERENCE = "io.k8s.api.core.v1.ObjectReference";
  private static final String CUSTOM = "io.k8s.metrics.pkg.apis.custom_metrics.";
  private static final String EXTERNAL = "io.k8s.metrics.pkg.apis.external_metrics.v1beta1.";
  private static final String STATUS = META + "Status";
  private static final String RESOURCE_LIST = META + "APIResourceList";

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
          + ApiRequest.abbreviate(path) + " (served: /openapi/v2, /openapi/v3 and "
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
    ObjectNode all = definitions(name -> "#/definitions/" + name);
    doc.set("definitions", reachable(all, paths, "#/definitions/"));
    return doc;
  }

  private static ObjectNode v3(GroupVersion gv) {
    ObjectNode doc = JSON.createObjectNode();
    doc.put("openapi", "3.0.0");
    info(doc);
    ObjectNode paths = doc.putObject("paths");
    addPaths(paths, gv, true);
    ObjectNode all = definitions(name -> "#/components/schemas/" + name);
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

  // ---- definitions

  /** Every definition, with references built by {@code ref}. */
  private static ObjectNode definitions(Function<String, String> ref) {
    ObjectNode d = JSON.createObjectNode();
    Schemas s = new Schemas(ref);

    for (String version : List.of("v1beta1", "v1beta2")) {
      String pkg = CUSTOM + version + ".";
      d.set(pkg + "MetricValueList", s.object(
          "a list of values for a given metric for some set of objects",
          List.of("metadata", "items"),
          "kind", s.string("Kind is a string value representing the REST resource this object "
              + "represents: MetricValueList"),
          "apiVersion", s.string("APIVersion defines the versioned schema of this "
              + "representation of an object: custom.metrics.k8s.io/" + version),
          "metadata", s.ref(META + "ListMeta"),
          "items", s.array("the value of the metric across the described objects",
              s.ref(pkg + "MetricValue")))
          .set("x-kubernetes-group-version-kind", gvk(WireJson.CUSTOM_GROUP, version,
              "MetricValueList")));
      ObjectNode value = version.equals("v1beta1")
          ? s.object("a metric value for some object",
              List.of("describedObject", "metricName", "timestamp", "value"),
              "kind", s.string("MetricValue"),
              "apiVersion", s.string("custom.metrics.k8s.io/v1beta1"),
              "describedObject", s.ref(OBJECT_REFERENCE),
              "metricName", s.string("the name of the metric"),
              "timestamp", s.time("indicates the time at which the metrics were produced"),
              "window", s.int64("indicates the window ([Timestamp-Window, Timestamp]) from "
                  + "which these metrics were calculated, in seconds, when returning rate "
                  + "metrics calculated from cumulative metrics (or zero for non-calculated "
                  + "instantaneous metrics)"),
              "value", s.ref(QUANTITY),
              "selector", s.ref(META + "LabelSelector"))
          : s.object("a metric value for some object",
              List.of("describedObject", "metric", "timestamp", "value"),
              "kind", s.string("MetricValue"),
              "apiVersion", s.string("custom.metrics.k8s.io/v1beta2"),
              "describedObject", s.ref(OBJECT_REFERENCE),
              "metric", s.ref(pkg + "MetricIdentifier"),
              "timestamp", s.time("indicates the time at which the metrics were produced"),
              "windowSeconds", s.int64("indicates the window ([Timestamp-Window, Timestamp]) "
                  + "from which these metrics were calculated, when returning rate metrics "
                  + "calculated from cumulative metrics (or zero for non-calculated "
                  + "instantaneous metrics)"),
              "value", s.ref(QUANTITY));
      d.set(pkg + "MetricValue", value.set("x-kubernetes-group-version-kind",
          gvk(WireJson.CUSTOM_GROUP, version, "MetricValue")));
    }
    d.set(CUSTOM + "v1beta2.MetricIdentifier", s.object("identifies a metric by name and, "
            + "optionally, selector", List.of("name"),
        "name", s.string("the name of the given metric"),
        "selector", s.ref(META + "LabelSelector")));

    d.set(EXTERNAL + "ExternalMetricValueList", s.object(
        "a list of values for a given metric for some set of labels", List.of("metadata", "items"),
        "kind", s.string("ExternalMetricValueList"),
        "apiVersion", s.string("external.metrics.k8s.io/v1beta1"),
        "metadata", s.ref(META + "ListMeta"),
        "items", s.array("value of the metric matching a given set of labels",
            s.ref(EXTERNAL + "ExternalMetricValue")))
        .set("x-kubernetes-group-version-kind", gvk(WireJson.EXTERNAL_GROUP, "v1beta1",
            "ExternalMetricValueList")));
    d.set(EXTERNAL + "ExternalMetricValue", s.object("a metric value for an external metric",
        List.of("metricName", "metricLabels", "timestamp", "value"),
        "kind", s.string("ExternalMetricValue"),
        "apiVersion", s.string("external.metrics.k8s.io/v1beta1"),
        "metricName", s.string("the name of the metric"),
        "metricLabels", s.stringMap("a set of labels that identify a single time series for "
            + "the metric"),
        "timestamp", s.time("indicates the time at which the metrics were produced"),
        "window", s.int64("indicates the window ([Timestamp-Window, Timestamp]) from which "
            + "these metrics were calculated, in seconds"),
        "value", s.ref(QUANTITY))
        .set("x-kubernetes-group-version-kind", gvk(WireJson.EXTERNAL_GROUP, "v1beta1",
            "ExternalMetricValue")));

    d.set(OBJECT_REFERENCE, s.object("contains enough information to let you inspect or "
            + "modify the referred object", List.of(),
        "kind", s.string("Kind of the referent"),
        "namespace", s.string("Namespace of the referent"),
        "name", s.string("Name of the referent"),
        "uid", s.string("UID of the referent"),
        "apiVersion", s.string("API version of the referent"),
        "resourceVersion", s.string("Specific resourceVersion to which this reference is made"),
        "fieldPath", s.string("If referring to a piece of an object instead of an entire "
            + "object, this string should contain a valid JSON/Go field access statement"))
        .put("x-kubernetes-map-type", "atomic"));
    d.set(META + "LabelSelector", s.object("a label query over a set of resources; the result "
            + "of matchLabels and matchExpressions are ANDed; an empty label selector matches "
            + "all objects", List.of(),
        "matchLabels", s.stringMap("a map of {key,value} pairs"),
        "matchExpressions", s.array("a list of label selector requirements",
            s.ref(META + "LabelSelectorRequirement")))
        .put("x-kubernetes-map-type", "atomic"));
    d.set(META + "LabelSelectorRequirement", s.object("a selector that contains values, a key, "
            + "and an operator that relates the key and values", List.of("key", "operator"),
        "key", s.string("the label key that the selector applies to"),
        "operator", s.string("In, NotIn, Exists or DoesNotExist"),
        "values", s.array("an array of string values", s.string(null))));
    d.set(META + "ListMeta", s.object("metadata that synthetic resources must have", List.of(),
        "selfLink", s.string("Deprecated"),
        "resourceVersion", s.string("the server's internal version of this object"),
        "continue", s.string("set if the user should query for more results"),
        "remainingItemCount", s.int64("the number of subsequent items in the list")));
    d.set(STATUS, s.object("a return value for calls that don't return other objects",
        List.of(),
        "kind", s.string("Status"),
        "apiVersion", s.string("v1"),
        "metadata", s.ref(META + "ListMeta"),
        "status", s.string("Success or Failure"),
        "message", s.string("a human-readable description of the status of this operation"),
        "reason", s.string("a machine-readable description of why this operation is in the "
            + "Failure status"),
        "details", s.ref(META + "StatusDetails"),
        "code", s.int32("suggested HTTP return code for this status, 0 if not set"))
        .set("x-kubernetes-group-version-kind", gvk("", "v1", "Status")));
    d.set(META + "StatusDetails", s.object("extended data associated with the reason",
        List.of(),
        "name", s.string("the name attribute of the resource associated with the status"),
        "group", s.string("the group attribute of the resource associated with the status"),
        "kind", s.string("the kind attribute of the resource associated with the status"),
        "uid", s.string("UID of the resource"),
        "causes", s.array("more information about the error", s.ref(META + "StatusCause")),
        "retryAfterSeconds", s.int32("the number of seconds before the client should retry")));
    d.set(META + "StatusCause", s.object("more information about an api.Status failure",
        List.of(),
        "reason", s.string("a machine-readable description of the cause of the error"),
        "message", s.string("a human-readable description of the cause of the error"),
        "field", s.string("the field of the resource that has caused this error")));
    d.set(RESOURCE_LIST, s.object("the supported resources for a specific group and version",
        List.of("groupVersion", "resources"),
        "kind", s.string("APIResourceList"),
        "apiVersion", s.string("v1"),
        "groupVersion", s.string("the group and version this APIResourceList is for"),
        "resources", s.array("the resources supported by this group version",
            s.ref(META + "APIResource")))
        .set("x-kubernetes-group-version-kind", gvk("", "v1", "APIResourceList")));
    d.set(META + "APIResource", s.object("a resource, here a metric on one kind of object",
        List.of("name", "singularName", "namespaced", "kind", "verbs"),
        "name", s.string("the plural name of the resource, here {resource}/{metric}"),
        "singularName", s.string("the singular name of the resource"),
        "namespaced", s.bool("whether the resource is namespaced"),
        "kind", s.string("the kind for the resource"),
        "verbs", s.array("the supported kube verbs", s.string(null))));
    d.set(QUANTITY, JSON.createObjectNode().put("type", "string").put("description",
        "a fixed-point representation of a number, e.g. 250m or 12"));
    d.set(META + "Time", JSON.createObjectNode().put("type", "string")
        .put("format", "date-time").put("description", "RFC 3339 time"));
    return d;
  }

  private static ArrayNode gvk(String group, String version, String kind) {
    ArrayNode a = JSON.createArrayNode();
    a.addObject().put("group", group).put("kind", kind).put("version", version);
    return a;
  }

  /** Small schema builders; {@code ref} spells references for v2 or v3. */
  private record Schemas(Function<String, String> refFn) {

    ObjectNode string(String description) {
      ObjectNode n = JSON.createObjectNode().put("type", "string");
      if (description != null) {
        n.put("description", description);
      }
      return n;
    }

    ObjectNode int64(String description) {
      return JSON.createObjectNode().put("type", "integer").put("format", "int64")
          .put("description", description);
    }

    ObjectNode int32(String description) {
      return JSON.createObjectNode().put("type", "integer").put("format", "int32")
          .put("description", description);
    }

    ObjectNode bool(String description) {
      return JSON.createObjectNode().put("type", "boolean").put("description", description);
    }

    ObjectNode time(String description) {
      // A $ref cannot carry a description next to it in Swagger 2.0; the type is inlined.
      return JSON.createObjectNode().put("type", "string").put("format", "date-time")
          .put("description", description);
    }

    ObjectNode ref(String name) {
      return JSON.createObjectNode().put("$ref", refFn.apply(name));
    }

    ObjectNode array(String description, ObjectNode items) {
      ObjectNode n = JSON.createObjectNode().put("type", "array").put("description", description);
      n.set("items", items);
      return n;
    }

    ObjectNode stringMap(String description) {
      ObjectNode n = JSON.createObjectNode().put("type", "object")
          .put("description", description);
      n.putObject("additionalProperties").put("type", "string");
      return n;
    }

    /** An object schema; {@code properties} alternates names and schemas. */
    ObjectNode object(String description, List<String> required, Object... properties) {
      ObjectNode n = JSON.createObjectNode().put("type", "object")
          .put("description", description);
      if (!required.isEmpty()) {
        ArrayNode r = n.putArray("required");
        required.forEach(r::add);
      }
      ObjectNode props = n.putObject("properties");
      for (int i = 0; i < properties.length; i += 2) {
        props.set((String) properties[i], (JsonNode) properties[i + 1]);
      }
      return n;
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
