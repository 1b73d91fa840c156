package io.meshcast.adapter.api.model;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.meshcast.adapter.provider.CustomMetricValue;
import io.meshcast.adapter.provider.ExternalMetricValue;
import io.meshcast.adapter.provider.LabelSelector;
import io.meshcast.adapter.provider.ObjectReference;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes the JSON documents of the custom and external metrics APIs, field for field as the Go
 * types marshal (k8s-metrics-api.md §1.5, §2.2, §3.1): {@code kind}/{@code apiVersion} on every
 * top-level object, {@code "metadata":{}}, {@code "selector":null} when no metric selector was
 * given, {@code "metricLabels":{}} when empty, timestamps in RFC 3339 with seconds, quantities in
 * canonical form.
 *
 * <p>Streams with Jackson's generator (no object mapping, no reflection): these documents are
 * written thousands of times per second under HPA load. Stateless and thread-safe.
 */
public final class WireJson {

  /** API versions of custom.metrics.k8s.io, which differ in field names. */
  public enum CustomVersion {
    V1BETA1("v1beta1"),
    V1BETA2("v1beta2");

    private final String name;

    CustomVersion(String name) {
      this.name = name;
    }

    public String versionName() {
      return name;
    }

    public static CustomVersion of(String version) {
      for (CustomVersion v : values()) {
        if (v.name.equals(version)) {
          return v;
        }
      }
      return null;
    }
  }

  public static final String CUSTOM_GROUP = "custom.metrics.k8s.io";
  public static final String EXTERNAL_GROUP = "external.metrics.k8s.io";

  private static final JsonFactory FACTORY = new JsonFactory();
  private static final DateTimeFormatter RFC3339 = DateTimeFormatter.ISO_INSTANT;

  private WireJson() {}

  /** A JSON document being written; call {@link #toBytes()} at the end. */
  @FunctionalInterface
  private interface Body {
    void write(JsonGenerator g) throws IOException;
  }

  private static byte[] write(Body body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(512);
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      body.write(g);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // cannot happen when writing to memory
    }
    return out.toByteArray();
  }

  /** RFC 3339 with seconds precision and {@code Z}, as {@code metav1.Time} marshals. */
  public static String timestamp(Instant t) {
    return RFC3339.format(t.truncatedTo(ChronoUnit.SECONDS));
  }

  /** {@code MetricValueList} for custom metrics in the given version. */
  public static byte[] metricValueList(
      CustomVersion version, List<CustomMetricValue> items, LabelSelector metricSelector) {
    return write(
        g -> {
          g.writeStartObject();
          g.writeStringField("kind", "MetricValueList");
          g.writeStringField("apiVersion", CUSTOM_GROUP + "/" + version.versionName());
          emptyMetadata(g);
          g.writeArrayFieldStart("items");
          for (CustomMetricValue v : items) {
            g.writeStartObject();
            g.writeFieldName("describedObject");
            objectReference(g, v.describedObject());
            if (version == CustomVersion.V1BETA1) {
              g.writeStringField("metricName", v.metric());
              g.writeStringField("timestamp", timestamp(v.timestamp()));
              if (v.windowSeconds().isPresent()) {
                g.writeNumberField("window", v.windowSeconds().getAsLong());
              }
              g.writeStringField("value", Quantity.format(v.value()));
              g.writeFieldName("selector");
              selector(g, metricSelector);
            } else {
              g.writeObjectFieldStart("metric");
              g.writeStringField("name", v.metric());
              g.writeFieldName("selector");
              selector(g, metricSelector);
              g.writeEndObject();
              g.writeStringField("timestamp", timestamp(v.timestamp()));
              if (v.windowSeconds().isPresent()) {
                g.writeNumberField("windowSeconds", v.windowSeconds().getAsLong());
              }
              g.writeStringField("value", Quantity.format(v.value()));
            }
            g.writeEndObject();
          }
          g.writeEndArray();
          g.writeEndObject();
        });
  }

  /** {@code ExternalMetricValueList}. */
  public static byte[] externalMetricValueList(List<ExternalMetricValue> items) {
    return write(
        g -> {
          g.writeStartObject();
          g.writeStringField("kind", "ExternalMetricValueList");
          g.writeStringField("apiVersion", EXTERNAL_GROUP + "/v1beta1");
          emptyMetadata(g);
          g.writeArrayFieldStart("items");
          for (ExternalMetricValue v : items) {
            g.writeStartObject();
            g.writeStringField("metricName", v.metric());
            g.writeObjectFieldStart("metricLabels");
            for (Map.Entry<String, String> e : new TreeMap<>(v.metricLabels()).entrySet()) {
              g.writeStringField(e.getKey(), e.getValue());
            }
            g.writeEndObject();
            g.writeStringField("timestamp", timestamp(v.timestamp()));
            if (v.windowSeconds().isPresent()) {
              g.writeNumberField("window", v.windowSeconds().getAsLong());
            }
            g.writeStringField("value", Quantity.format(v.value()));
            g.writeEndObject();
          }
          g.writeEndArray();
          g.writeEndObject();
        });
  }

  /** One entry of an {@code APIResourceList}. */
  public record ApiResource(String name, boolean namespaced, String kind) {}

  /** {@code APIResourceList} for one group version. */
  public static byte[] apiResourceList(String groupVersion, List<ApiResource> resources) {
    return write(
        g -> {
          g.writeStartObject();
          g.writeStringField("kind", "APIResourceList");
          g.writeStringField("apiVersion", "v1");
          g.writeStringField("groupVersion", groupVersion);
          g.writeArrayFieldStart("resources");
          for (ApiResource r : resources) {
            g.writeStartObject();
            g.writeStringField("name", r.name());
            g.writeStringField("singularName", "");
            g.writeBooleanField("namespaced", r.namespaced());
            g.writeStringField("kind", r.kind());
            g.writeArrayFieldStart("verbs");
            g.writeString("get");
            g.writeEndArray();
            g.writeEndObject();
          }
          g.writeEndArray();
          g.writeEndObject();
        });
  }

  /** A group and its versions, preferred first. */
  public record ApiGroup(String name, List<String> versions) {}

  /** Legacy {@code APIGroupList} (never the aggregated v2 document). */
  public static byte[] apiGroupList(List<ApiGroup> groups) {
    return write(
        g -> {
          g.writeStartObject();
          g.writeStringField("kind", "APIGroupList");
          g.writeStringField("apiVersion", "v1");
          g.writeArrayFieldStart("groups");
          for (ApiGroup group : groups) {
            apiGroupBody(g, group);
          }
          g.writeEndArray();
          g.writeEndObject();
        });
  }

  /** {@code APIGroup} for one group. */
  public static byte[] apiGroup(ApiGroup group) {
    return write(
        g -> {
          g.writeStartObject();
          g.writeStringField("kind", "APIGroup");
          g.writeStringField("apiVersion", "v1");
          apiGroupFields(g, group);
          g.writeEndObject();
        });
  }

  private static void apiGroupBody(JsonGenerator g, ApiGroup group) throws IOException {
    g.writeStartObject();
    apiGroupFields(g, group);
    g.writeEndObject();
  }

  private static void apiGroupFields(JsonGenerator g, ApiGroup group) throws IOException {
    g.writeStringField("name", group.name());
    g.writeArrayFieldStart("versions");
    for (String v : group.versions()) {
      groupVersion(g, group.name(), v);
    }
    g.writeEndArray();
    g.writeFieldName("preferredVersion");
    groupVersion(g, group.name(), group.versions().get(0));
  }

  private static void groupVersion(JsonGenerator g, String group, String version)
      throws IOException {
    g.writeStartObject();
    g.writeStringField("groupVersion", group + "/" + version);
    g.writeStringField("version", version);
    g.writeEndObject();
  }

  /**
   * A {@code Status} failure document. {@code details*} are omitted when null; {@code cause}
   * adds {@code details.causes[0].message} (the apiserver's InternalError shape).
   */
  public static byte[] status(
      int code,
      String reason,
      String message,
      String detailsName,
      String detailsGroup,
      String detailsKind,
      String cause) {
    return write(
        g -> {
          g.writeStartObject();
          g.writeStringField("kind", "Status");
          g.writeStringField("apiVersion", "v1");
          emptyMetadata(g);
          g.writeStringField("status", "Failure");
          g.writeStringField("message", message);
          g.writeStringField("reason", reason);
          boolean details =
              detailsName != null || detailsGroup != null || detailsKind != null || cause != null;
          if (details) {
            g.writeObjectFieldStart("details");
            if (detailsName != null) {
              g.writeStringField("name", detailsName);
            }
            if (detailsGroup != null) {
              g.writeStringField("group", detailsGroup);
            }
            if (detailsKind != null) {
              g.writeStringField("kind", detailsKind);
            }
            if (cause != null) {
              g.writeArrayFieldStart("causes");
              g.writeStartObject();
              g.writeStringField("message", cause);
              g.writeEndObject();
              g.writeEndArray();
            }
            g.writeEndObject();
          }
          g.writeNumberField("code", code);
          g.writeEndObject();
        });
  }

  private static void emptyMetadata(JsonGenerator g) throws IOException {
    g.writeObjectFieldStart("metadata");
    g.writeEndObject();
  }

  private static void objectReference(JsonGenerator g, ObjectReference ref) throws IOException {
    g.writeStartObject();
    g.writeStringField("kind", ref.kind());
    if (!ref.namespace().isEmpty()) {
      g.writeStringField("namespace", ref.namespace());
    }
    g.writeStringField("name", ref.name());
    g.writeStringField("apiVersion", ref.apiVersion());
    g.writeEndObject();
  }

  /**
   * A metric selector as {@code metav1.LabelSelector}: equalities as {@code matchLabels}, the
   * rest as {@code matchExpressions}; {@code null} when no selector was given. ({@code >} and
   * {@code <} have no LabelSelector form and are echoed as the apiserver would after conversion:
   * they are dropped.)
   */
  private static void selector(JsonGenerator g, LabelSelector s) throws IOException {
    if (s == null || s.isEmpty()) {
      g.writeNull();
      return;
    }
    Map<String, String> equalities = new TreeMap<>();
    g.writeStartObject();
    for (LabelSelector.Requirement r : s.requirements()) {
      switch (r.operator()) {
        case EQUALS, DOUBLE_EQUALS -> equalities.put(r.key(), r.values().get(0));
        default -> {}
      }
    }
    if (!equalities.isEmpty()) {
      g.writeObjectFieldStart("matchLabels");
      for (Map.Entry<String, String> e : equalities.entrySet()) {
        g.writeStringField(e.getKey(), e.getValue());
      }
      g.writeEndObject();
    }
    boolean expressions = false;
    for (LabelSelector.Requirement r : s.requirements()) {
      String op =
          switch (r.operator()) {
            case IN -> "In";
            case NOT_IN, NOT_EQUALS -> "NotIn";
            case EXISTS -> "Exists";
            case DOES_NOT_EXIST -> "DoesNotExist";
            default -> null;
          };
      if (op == null) {
        continue;
      }
      if (!expressions) {
        g.writeArrayFieldStart("matchExpressions");
        expressions = true;
      }
      g.writeStartObject();
      g.writeStringField("key", r.key());
      g.writeStringField("operator", op);
      if (!r.values().isEmpty()) {
        g.writeArrayFieldStart("values");
        for (String v : r.values()) {
          g.writeString(v);
        }
        g.writeEndArray();
      }
      g.writeEndObject();
    }
    if (expressions) {
      g.writeEndArray();
    }
    g.writeEndObject();
  }
}
