package io.meshcast.adapter.api;

import static io.meshcast.adapter.api.OpenApi.CUSTOM;
import static io.meshcast.adapter.api.OpenApi.EXTERNAL;
import static io.meshcast.adapter.api.OpenApi.JSON;
import static io.meshcast.adapter.api.OpenApi.META;
import static io.meshcast.adapter.api.OpenApi.RESOURCE_LIST;
import static io.meshcast.adapter.api.OpenApi.STATUS;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meshcast.adapter.api.model.WireJson;
import java.util.List;
import java.util.function.Function;

/**
 * The schema definitions of {@link OpenApi}'s documents, named as Kubernetes names the Go wire
 * types. Built once per document; stateless.
 */
final class OpenApiDefinitions {
  private static final String QUANTITY = "io.k8s.apimachinery.pkg.api.resource.Quantity";
  private static final String OBJECT_REFERENCE = "io.k8s.api.core.v1.ObjectReference";

  private OpenApiDefinitions() {}

  /** Every definition, with references built by {@code ref}. */
  static ObjectNode all(Function<String, String> ref) {
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
}
