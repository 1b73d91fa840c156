package io.meshcast.adapter.auth;

import io.meshcast.adapter.http.FieldSelector;
import io.meshcast.adapter.http.RequestInfo;
import io.meshcast.adapter.http.StatusException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * The authorization attributes of one request, derived from its {@link RequestInfo} (decoded
 * once, shared with routing and the access log) exactly like k8s.io/apiserver's {@code
 * RequestInfoFactory.NewRequestInfo} (requestinfo.go; k8s-metrics-api.md §4.5).
 *
 * <p>{@code /apis/{group}/{version}/...} with at least one more segment is a resource request:
 * {@code namespaces/{ns}/{resource}/{name}/{subresource}}; GET with a name is {@code get}, GET
 * without a name is {@code list} ({@code watch} if {@code watch=true}). Route E ({@code
 * namespaces/{ns}/metrics/{metric}}) is resource {@code metrics}, name {@code {metric}}, as the
 * apiserver authorizes it. Anything else ({@code /apis}, {@code /apis/{g}/{v}}, {@code /livez})
 * is a non-resource request whose verb is the lower-cased HTTP method. {@code labelSelector} and
 * {@code fieldSelector} are recorded only for list/watch/deletecollection. Strings are never
 * null (empty when absent). Immutable.
 */
public record RequestAttributes(
    boolean resourceRequest,
    String path,
    String verb,
    String apiPrefix,
    String apiGroup,
    String apiVersion,
    String namespace,
    String resource,
    String subresource,
    String name,
    String labelSelector,
    String fieldSelector) {

  private static final Set<String> API_PREFIXES = Set.of("api", "apis");
  private static final Set<String> GROUPLESS_PREFIXES = Set.of("api");
  private static final Set<String> SPECIAL_VERBS = Set.of("proxy", "watch");
  private static final Set<String> NAMESPACE_SUBRESOURCES = Set.of("status", "finalize");

  public RequestAttributes {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(verb, "verb");
    Objects.requireNonNull(apiPrefix, "apiPrefix");
    Objects.requireNonNull(apiGroup, "apiGroup");
    Objects.requireNonNull(apiVersion, "apiVersion");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(resource, "resource");
    Objects.requireNonNull(subresource, "subresource");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(labelSelector, "labelSelector");
    Objects.requireNonNull(fieldSelector, "fieldSelector");
  }

  /** Query parameters the parser needs; each returns the first value or null. */
  @FunctionalInterface
  public interface Query {
    String first(String name);
  }

  /**
   * The attributes of a request.
   *
   * @throws IllegalArgumentException ("invalid request path: ...") for requests that cannot be
   *     interpreted unambiguously: a path or query that does not decode, encoded '/' or '\\',
   *     dot segments, empty segments, control characters. Such requests are refused (400) so
   *     that authorization and routing can never disagree about which object is addressed.
   */
  public static RequestAttributes from(RequestInfo info) {
    return from(info, name -> {
      try {
        return info.query().get(name);
      } catch (StatusException e) {
        throw new IllegalArgumentException("invalid request path: " + e.getMessage());
      }
    });
  }

  /**
   * Parses a request whose query parameters come from {@code query} (tests, tools).
   *
   * @param method HTTP method (any case)
   * @param rawPath the path as sent, still percent-encoded (no query string)
   * @param query first value of a query parameter, form-decoded
   * @throws IllegalArgumentException as {@link #from(RequestInfo)}
   */
  public static RequestAttributes parse(String method, String rawPath, Query query) {
    return from(RequestInfo.parse(method, rawPath, null), query);
  }

  private static RequestAttributes from(RequestInfo info, Query query) {
    String rawPath = info.rawPath();
    if (!info.decodable() || info.ambiguity().isPresent()) {
      throw new IllegalArgumentException("invalid request path: " + info.ambiguity()
          .orElse("cannot be decoded") + " in " + RequestInfo.abbreviate(rawPath));
    }
    String path = info.path();
    // Like trimming every leading and trailing '/', then splitting at '/'.
    List<String> segments = info.segments();
    int from = 0;
    int to = segments.size();
    while (from < to && segments.get(from).isEmpty()) {
      from++;
    }
    while (to > from && segments.get(to - 1).isEmpty()) {
      to--;
    }
    List<String> parts = segments.subList(from, to);
    for (String p : parts) {
      if (p.isEmpty() || p.equals(".") || p.equals("..")) {
        throw new IllegalArgumentException("invalid request path: " + rawPath);
      }
    }
    String method = info.method();
    String httpVerb = method.toLowerCase(Locale.ROOT);
    if (parts.isEmpty() || !API_PREFIXES.contains(parts.get(0))) {
      return nonResource(path, httpVerb);
    }
    String prefix = parts.get(0);
    List<String> cur = parts.subList(1, parts.size());
    String group = "";
    if (!GROUPLESS_PREFIXES.contains(prefix)) {
      // One part (the prefix) is consumed, so this asks "do we have four parts?".
      if (cur.size() < 3) {
        return nonResource(path, httpVerb);
      }
      group = cur.get(0);
      cur = cur.subList(1, cur.size());
    } else if (cur.size() < 2) {
      return nonResource(path, httpVerb);
    }
    String version = cur.get(0);
    cur = cur.subList(1, cur.size());

    String verb;
    if (SPECIAL_VERBS.contains(cur.get(0))) {
      if (cur.size() < 2) {
        throw new IllegalArgumentException(
            "invalid request path: unable to determine kind and namespace from url " + rawPath);
      }
      verb = cur.get(0);
      cur = cur.subList(1, cur.size());
    } else {
      verb =
          switch (method.toUpperCase(Locale.ROOT)) {
            case "POST" -> "create";
            case "GET", "HEAD" -> "get";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> "delete";
            default -> "";
          };
    }

    String namespace = "";
    if (cur.get(0).equals("namespaces")) {
      if (cur.size() > 1) {
        namespace = cur.get(1);
        if (cur.size() > 2 && !NAMESPACE_SUBRESOURCES.contains(cur.get(2))) {
          cur = cur.subList(2, cur.size());
        }
      }
    }
    String resource = cur.get(0);
    String name = cur.size() >= 2 ? cur.get(1) : "";
    String subresource = cur.size() >= 3 && !verb.equals("proxy") ? cur.get(2) : "";

    if (name.isEmpty() && verb.equals("get")) {
      String watch = query.first("watch");
      boolean isWatch =
          watch != null && !watch.isEmpty() && !watch.equalsIgnoreCase("false")
              && !watch.equals("0");
      verb = isWatch ? "watch" : "list";
      String byName = metadataNameFromFieldSelector(query.first("fieldSelector"));
      if (byName != null) {
        name = byName;
      }
    }
    if (name.isEmpty() && verb.equals("delete")) {
      verb = "deletecollection";
    }
    String labelSelector = "";
    String fieldSelector = "";
    if (verb.equals("list") || verb.equals("watch") || verb.equals("deletecollection")) {
      labelSelector = nullToEmpty(query.first("labelSelector"));
      fieldSelector = nullToEmpty(query.first("fieldSelector"));
    }
    return new RequestAttributes(
        true, path, verb, prefix, group, version, namespace, resource, subresource, name,
        labelSelector, fieldSelector);
  }

  private static RequestAttributes nonResource(String path, String verb) {
    return new RequestAttributes(false, path, verb, "", "", "", "", "", "", "", "", "");
  }

  /** {@code metadata.name=x} in a field selector names the object (requestinfo.go). */
  private static String metadataNameFromFieldSelector(String fieldSelector) {
    if (fieldSelector == null || fieldSelector.isEmpty()) {
      return null;
    }
    for (FieldSelector.Term term : FieldSelector.parse(fieldSelector)) {
      if (term.key().equals("metadata.name") && !term.notEquals()) {
        String v = term.value();
        if (!v.isEmpty() && !v.equals(".") && !v.equals("..") && v.indexOf('/') < 0
            && v.indexOf('%') < 0) {
          return v;
        }
      }
    }
    return null;
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }
}
