package io.meshcast.adapter.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A YAML mapping being read, with its dotted path for error messages. Keys are consumed as they
 * are read; {@link #finish} rejects keys nobody read (typos must not be silently ignored).
 */
final class Node {


  private final String path;
  private final JsonNode json;
  private final Set<String> read = new HashSet<>();

  Node(String path, JsonNode json) {
    this.path = path;
    this.json = json;
  }

  static Node root(JsonNode json) {
    if (json == null || json.isNull() || json.isMissingNode()) {
      throw new ConfigException("", "the file is empty");
    }
    if (!json.isObject()) {
      throw new ConfigException("", "the top level must be a mapping, found " + kind(json));
    }
    return new Node("", json);
  }

  String key(String name) {
    return path.isEmpty() ? name : path + "." + name;
  }

  private JsonNode raw(String name) {
    read.add(name);
    JsonNode v = json.get(name);
    return v == null || v.isNull() ? null : v;
  }

  boolean has(String name) {
    return json.has(name) && !json.get(name).isNull();
  }

  Optional<Node> child(String name) {
    JsonNode v = raw(name);
    if (v == null) {
      return Optional.empty();
    }
    if (!v.isObject()) {
      throw new ConfigException(key(name), "expected a mapping, found " + kind(v));
    }
    return Optional.of(new Node(key(name), v));
  }

  /** An empty mapping when absent, so defaults apply uniformly. */
  Node childOrEmpty(String name) {
    return child(name)
        .orElseGet(() -> new Node(key(name), com.fasterxml.jackson.databind.node.JsonNodeFactory
            .instance.objectNode()));
  }

  Optional<String> string(String name) {
    JsonNode v = raw(name);
    if (v == null) {
      return Optional.empty();
    }
    if (!v.isValueNode()) {
      throw new ConfigException(key(name), "expected a string, found " + kind(v));
    }
    return Optional.of(v.asText());
  }

  String requiredString(String name) {
    return string(name)
        .filter(s -> !s.isBlank())
        .orElseThrow(() -> new ConfigException(key(name), "is required"));
  }

  boolean bool(String name, boolean dflt) {
    JsonNode v = raw(name);
    if (v == null) {
      return dflt;
    }
    if (!v.isBoolean()) {
      throw new ConfigException(key(name), "expected true or false, found " + show(v));
    }
    return v.booleanValue();
  }

  double number(String name, double dflt) {
    JsonNode v = raw(name);
    if (v == null) {
      return dflt;
    }
    if (!v.isNumber()) {
      throw new ConfigException(key(name), "expected a number, found " + show(v));
    }
    return v.doubleValue();
  }

  long integer(String name, long dflt, long min, long max) {
    JsonNode v = raw(name);
    if (v == null) {
      return dflt;
    }
    if (!v.isIntegralNumber()) {
      throw new ConfigException(key(name), "expected an integer, found " + show(v));
    }
    long n = v.longValue();
    if (n < min || n > max) {
      throw new ConfigException(
          key(name), "must be between " + min + " and " + max + ", found " + n);
    }
    return n;
  }

  Duration duration(String name, Duration dflt, Duration min) {
    JsonNode v = raw(name);
    if (v == null) {
      return dflt;
    }
    Duration d = parseDuration(key(name), v);
    if (d.compareTo(min) < 0) {
      throw new ConfigException(
          key(name), "must be at least " + format(min) + ", found \"" + v.asText() + "\"");
    }
    return d;
  }

  <E extends Enum<E>> E enumValue(String name, Class<E> type, E dflt) {
    Optional<String> s = string(name);
    if (s.isEmpty()) {
      return dflt;
    }
    for (E e : type.getEnumConstants()) {
      if (e.name().equalsIgnoreCase(s.get())) {
        return e;
      }
    }
    List<String> allowed = new ArrayList<>();
    for (E e : type.getEnumConstants()) {
      allowed.add(e.name().toLowerCase(java.util.Locale.ROOT));
    }
    throw new ConfigException(
        key(name), "invalid value \"" + s.get() + "\", expected one of " + allowed);
  }

  List<String> stringList(String name, List<String> dflt) {
    JsonNode v = raw(name);
    if (v == null) {
      return dflt;
    }
    if (!v.isArray()) {
      throw new ConfigException(key(name), "expected a list, found " + kind(v));
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < v.size(); i++) {
      JsonNode e = v.get(i);
      if (!e.isTextual()) {
        throw new ConfigException(key(name) + "[" + i + "]", "expected a string, found " + show(e));
      }
      out.add(e.asText());
    }
    return out;
  }

  List<Node> mappingList(String name) {
    JsonNode v = raw(name);
    if (v == null) {
      return List.of();
    }
    if (!v.isArray()) {
      throw new ConfigException(key(name), "expected a list, found " + kind(v));
    }
    List<Node> out = new ArrayList<>();
    for (int i = 0; i < v.size(); i++) {
      JsonNode e = v.get(i);
      String k = key(name) + "[" + i + "]";
      if (!e.isObject()) {
        throw new ConfigException(k, "expected a mapping, found " + kind(e));
      }
      out.add(new Node(k, e));
    }
    return out;
  }

  /** A mapping of string to string (headers, resources). */
  Map<String, String> stringMap(String name) {
    JsonNode v = raw(name);
    if (v == null) {
      return Map.of();
    }
    if (!v.isObject()) {
      throw new ConfigException(key(name), "expected a mapping, found " + kind(v));
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : v.properties()) {
      if (!e.getValue().isValueNode() || e.getValue().isNull()) {
        throw new ConfigException(
            key(name) + "." + e.getKey(), "expected a string, found " + kind(e.getValue()));
      }
      out.put(e.getKey(), e.getValue().asText());
    }
    return out;
  }

  /** The keys of this mapping, in file order. */
  List<String> keys() {
    List<String> out = new ArrayList<>();
    json.fieldNames().forEachRemaining(out::add);
    return out;
  }

  JsonNode peek(String name) {
    return json.get(name);
  }

  /** Rejects keys that were never read. */
  void finish() {
    for (String k : keys()) {
      if (!read.contains(k)) {
        throw new ConfigException(key(k), "unknown key" + closest(k, List.copyOf(new java.util.TreeSet<>(read)))
            .map(c -> " (did you mean \"" + c + "\"?)").orElse(""));
      }
    }
  }

  /** The known key within edit distance 2 of a typo, if exactly one is that close. */
  static Optional<String> closest(String typo, List<String> known) {
    String best = null;
    int bestDistance = 3;
    for (String k : known) {
      int d = editDistance(typo.toLowerCase(java.util.Locale.ROOT),
          k.toLowerCase(java.util.Locale.ROOT));
      if (d < bestDistance) {
        best = k;
        bestDistance = d;
      }
    }
    return Optional.ofNullable(best);
  }

  private static int editDistance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        cur[j] = Math.min(sub, Math.min(prev[j], cur[j - 1]) + 1);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  static Duration parseDuration(String key, JsonNode v) {
    String s = v.asText().trim();
    if (!v.isTextual() && !v.isIntegralNumber()) {
      throw new ConfigException(key, "invalid duration " + show(v));
    }
    if (v.isIntegralNumber()) {
      throw new ConfigException(
          key, "invalid duration " + s + ": a unit is required (e.g. " + s + "s)");
    }
    final Duration d;
    try {
      d = Durations.parse(s);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(key, e.getMessage());
    }
    return d;
  }

  static String format(Duration d) {
    long ms = d.toMillis();
    if (ms % 86_400_000 == 0) {
      return ms / 86_400_000 + "d";
    }
    if (ms % 3_600_000 == 0) {
      return ms / 3_600_000 + "h";
    }
    if (ms % 60_000 == 0) {
      return ms / 60_000 + "m";
    }
    if (ms % 1000 == 0) {
      return ms / 1000 + "s";
    }
    return ms + "ms";
  }

  static String show(JsonNode v) {
    return v.isTextual() ? "\"" + v.asText() + "\"" : v.toString();
  }

  private static String kind(JsonNode v) {
    if (v.isObject()) {
      return "a mapping";
    }
    if (v.isArray()) {
      return "a list";
    }
    return show(v);
  }
}
