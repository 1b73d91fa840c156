package io.meshcast.adapter.api;

import io.meshcast.adapter.api.model.WireJson;
import io.meshcast.adapter.api.model.WireJson.CustomVersion;
import io.meshcast.adapter.http.FieldSelector;
import io.meshcast.adapter.http.RequestInfo;
import io.meshcast.adapter.http.StatusException;
import io.meshcast.adapter.provider.GroupResource;
import io.meshcast.adapter.provider.LabelSelector;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A parsed request below {@code /apis}: one of the discovery documents or one of the metric
 * routes of k8s-metrics-api.md §1.2 (custom routes A–E) and §1.4 (external).
 *
 * <p>Read from the request's {@link RequestInfo} (decoded once for every layer): the path is
 * percent-decoded as a whole before it is split (so {@code %2A} is {@code *} and {@code %2F}
 * separates segments, as in Go's {@code URL.Path}), and the query is form-decoded ({@code +} is a
 * space). Parse errors are {@link
 * StatusException}s: 400 for a malformed path, query or selector, 404 for a path that names no
 * route.
 */
sealed interface ApiRequest {

  String ALL_OBJECTS = "*";

  /** {@code GET /apis}. */
  record GroupList() implements ApiRequest {}

  /** {@code GET /apis/{group}}. */
  record Group(String group) implements ApiRequest {}

  /** {@code GET /apis/{group}/{version}}. */
  record ResourceList(String group, String version) implements ApiRequest {}

  /**
   * A custom metric request. {@code name} is {@link #ALL_OBJECTS} for selector routes (B, D);
   * {@code namespace} is empty for root-scoped routes (C, D, E). Route E is already rewritten as
   * the reference server does: resource {@code namespaces}, name = the path's namespace.
   */
  record Custom(
      CustomVersion version,
      String namespace,
      GroupResource resource,
      boolean namespaced,
      String name,
      String metric,
      LabelSelector labelSelector,
      LabelSelector metricSelector,
      String fieldSelectorName)
      implements ApiRequest {

    boolean isSelectorRoute() {
      return ALL_OBJECTS.equals(name);
    }
  }

  /** An external metric request; {@code metric} is lower-cased. */
  record External(String namespace, String metric, LabelSelector metricSelector)
      implements ApiRequest {}

  /** Maximum decoded path length; longer paths are rejected before any work. */
  int MAX_PATH_LENGTH = 8 * 1024;

  /**
   * Parses a raw path (starting with {@code /apis}) and raw query string (may be null); tests.
   *
   * @throws StatusException 400 or 404
   */
  static ApiRequest parse(String rawPath, String rawQuery) {
    return from(RequestInfo.parse("GET", rawPath, rawQuery));
  }

  /**
   * The route a request (below {@code /apis}) addresses.
   *
   * @throws StatusException 400 or 404
   */
  static ApiRequest from(RequestInfo info) {
    if (info.rawPath().length() > MAX_PATH_LENGTH) {
      throw StatusException.badRequest("invalid request path: longer than " + MAX_PATH_LENGTH);
    }
    String path = info.path();
    List<String> segments = segments(path, info.segments());
    if (segments.isEmpty() || !segments.get(0).equals("apis")) {
      throw notFound(path);
    }
    List<String> rest = segments.subList(1, segments.size());
    if (rest.isEmpty()) {
      return new GroupList();
    }
    String group = rest.get(0);
    if (!group.equals(WireJson.CUSTOM_GROUP) && !group.equals(WireJson.EXTERNAL_GROUP)) {
      throw notFound(path);
    }
    if (rest.size() == 1) {
      return new Group(group);
    }
    String version = rest.get(1);
    boolean custom = group.equals(WireJson.CUSTOM_GROUP);
    CustomVersion customVersion = custom ? CustomVersion.of(version) : null;
    if (custom ? customVersion == null : !version.equals("v1beta1")) {
      throw notFound(path);
    }
    if (rest.size() == 2) {
      return new ResourceList(group, version);
    }
    Map<String, String> query = info.query();
    List<String> parts = rest.subList(2, rest.size());
    return custom ? custom(path, customVersion, parts, query) : external(path, parts, query);
  }

  private static ApiRequest custom(
      String path, CustomVersion version, List<String> parts, Map<String, String> query) {
    LabelSelector labelSelector = selector(query, "labelSelector");
    LabelSelector metricSelector = selector(query, "metricLabelSelector");
    String fieldName = fieldSelectorName(query.get("fieldSelector"));
    boolean inNamespace = parts.get(0).equals("namespaces");
    if (inNamespace && parts.size() == 4 && parts.get(2).equals("metrics")) {
      // Route E: the metric describes the namespace object itself.
      return new Custom(
          version,
          "",
          GroupResource.NAMESPACES,
          false,
          requireName(parts.get(1), "namespace"),
          requireName(parts.get(3), "metric"),
          labelSelector,
          metricSelector,
          fieldName);
    }
    if (inNamespace && parts.size() == 5) {
      return new Custom(
          version,
          requireName(parts.get(1), "namespace"),
          GroupResource.parse(requireName(parts.get(2), "resource").toLowerCase(Locale.ROOT)),
          true,
          requireName(parts.get(3), "object name"),
          requireName(parts.get(4), "metric"),
          labelSelector,
          metricSelector,
          fieldName);
    }
    if (inNamespace && parts.size() == 3) {
      // The reference server parses this as namespace + resource with no name: too few parts.
      throw StatusException.badRequest(
          "invalid request path: expected namespaces/{namespace}/{resource}/{name}/{metric} or "
              + "namespaces/{namespace}/metrics/{metric}, got " + path);
    }
    if (!inNamespace && parts.size() == 3) {
      return new Custom(
          version,
          "",
          GroupResource.parse(requireName(parts.get(0), "resource").toLowerCase(Locale.ROOT)),
          false,
          requireName(parts.get(1), "object name"),
          requireName(parts.get(2), "metric"),
          labelSelector,
          metricSelector,
          fieldName);
    }
    throw notFound(path);
  }

  private static ApiRequest external(String path, List<String> parts, Map<String, String> query) {
    if (parts.size() == 3 && parts.get(0).equals("namespaces")) {
      return new External(
          requireName(parts.get(1), "namespace"),
          requireName(parts.get(2), "metric").toLowerCase(Locale.ROOT),
          selector(query, "labelSelector"));
    }
    throw notFound(path);
  }

  private static StatusException notFound(String path) {
    return StatusException.notFound(
        "the server could not find the requested resource (path " + abbreviate(path) + ")");
  }

  private static String requireName(String segment, String what) {
    if (segment.equals(".") || segment.equals("..")) {
      throw StatusException.badRequest(
          "invalid request path: " + what + " may not be '" + segment + "'");
    }
    return segment;
  }

  private static LabelSelector selector(Map<String, String> query, String param) {
    try {
      return LabelSelector.parse(query.get(param));
    } catch (LabelSelector.InvalidSelectorException e) {
      throw StatusException.badRequest("invalid " + param + ": " + e.getMessage());
    }
  }

  /** Supports the one field selector the reference server honours: {@code metadata.name}. */
  private static String fieldSelectorName(String fieldSelector) {
    if (fieldSelector == null || fieldSelector.isBlank()) {
      return null;
    }
    List<FieldSelector.Term> terms = FieldSelector.parse(fieldSelector);
    if (terms.size() != 1 || terms.get(0).notEquals()
        || !terms.get(0).key().equals("metadata.name")) {
      throw StatusException.badRequest("invalid fieldSelector \"" + abbreviate(fieldSelector.trim())
          + "\": only metadata.name=<name> is supported");
    }
    return terms.get(0).value();
  }

  /** The request's segments; a single trailing slash is tolerated, empty segments are not. */
  private static List<String> segments(String path, List<String> split) {
    if (!path.startsWith("/")) {
      throw StatusException.badRequest("invalid request path: must start with '/'");
    }
    List<String> out = new ArrayList<>(split);
    if (!out.isEmpty() && out.get(out.size() - 1).isEmpty()) {
      out.remove(out.size() - 1);
    }
    for (String s : out) {
      if (s.isEmpty()) {
        throw StatusException.notFound(
            "the server could not find the requested resource (empty path segment in "
                + abbreviate(path) + ")");
      }
    }
    return out;
  }

  private static String abbreviate(String s) {
    return RequestInfo.abbreviate(s);
  }
}
