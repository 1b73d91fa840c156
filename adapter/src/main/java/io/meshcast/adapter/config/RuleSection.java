package io.meshcast.adapter.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshcast.adapter.config.RuleConfig.Combine;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Parses one {@code rules[]} entry and one {@code metrics.<name>} policy for {@link ConfigLoader}:
 * every check names the key and the bad value. Stateless.
 */
final class RuleSection {
  private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
  private static final Set<String> RESOURCES =
      Set.of("pods", "services", "deployments.apps", "namespaces", "namespace");

  private RuleSection() {}

  static RuleConfig rule(Node n) {
    String name = n.requiredString("name");
    if (!METRIC_NAME.matcher(name).matches()) {
      throw new ConfigException(n.key("name"), "invalid metric name \"" + name + "\"");
    }
    String query = n.requiredString("query");
    if (query.contains("<<") || query.contains("{{.")) {
      throw new ConfigException(n.key("query"),
          "prometheus-adapter templates (<<.Series>>, {{.LabelMatchers}}) are not supported;"
              + " write the full query grouped by the labels named in resources");
    }
    String unknownPlaceholder = query.replace("{{window}}", "").replace("{{inbound}}", "");
    if (unknownPlaceholder.contains("{{")) {
      throw new ConfigException(n.key("query"),
          "unknown placeholder in \"" + query + "\"; only {{window}} and {{inbound}} exist");
    }
    Map<String, String> resources = n.stringMap("resources");
    Map<String, String> normalised = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : resources.entrySet()) {
      if (!RESOURCES.contains(e.getKey())) {
        throw new ConfigException(n.key("resources") + "." + e.getKey(),
            "unknown resource, expected one of [pods, services, deployments.apps, namespaces]");
      }
      if (!ConfigLoader.LABEL_NAME.matcher(e.getValue()).matches()) {
        throw new ConfigException(n.key("resources") + "." + e.getKey(),
            "invalid label name \"" + e.getValue() + "\"");
      }
      normalised.put(e.getKey().equals("namespace") ? "namespaces" : e.getKey(), e.getValue());
    }
    boolean external = n.bool("external", false);
    boolean namespaced = normalised.keySet().stream().anyMatch(k -> !k.equals("namespaces"));
    if (namespaced && !normalised.containsKey("namespaces")) {
      throw new ConfigException(n.key("resources"),
          "names a namespaced resource but no namespace label (add namespaces: <label>)");
    }
    if (normalised.isEmpty() && !external) {
      throw new ConfigException(n.key("resources"),
          "a rule needs resources (object metrics) or external: true, or both");
    }
    if (external && !name.equals(name.toLowerCase(java.util.Locale.ROOT))) {
      throw new ConfigException(n.key("name"), "external metric names must be lower case,"
          + " found \"" + name + "\" (client-go lower-cases them in the request path)");
    }
    Combine combine = n.enumValue("combine", Combine.class, Combine.ERROR);
    Optional<Long> window =
        n.has("windowSeconds")
            ? Optional.of(n.integer("windowSeconds", 0, 1, 86_400 * 31L))
            : Optional.empty();
    n.finish();
    return new RuleConfig(name, query, normalised, external, combine, window);
  }

  static PolicyConfig policy(Node n, PolicyConfig dflt) {
    Duration maxAge = n.duration("maxAge", dflt.maxAge(), Duration.ofSeconds(1));
    OptionalDouble onEmpty = fallback(n, "onEmpty", dflt.onEmpty());
    OptionalDouble onNaN = fallback(n, "onNaN", dflt.onNaN());
    n.finish();
    return new PolicyConfig(maxAge, onEmpty, onNaN);
  }

  /** {@code error} or {@code {fallback: <number>}}. */
  private static OptionalDouble fallback(Node n, String key, OptionalDouble dflt) {
    JsonNode v = n.peek(key);
    if (v == null || v.isNull()) {
      n.string(key);
      return dflt;
    }
    if (v.isTextual() && v.asText().equals("error")) {
      n.string(key);
      return OptionalDouble.empty();
    }
    if (v.isObject()) {
      Node f = n.child(key).orElseThrow();
      JsonNode num = f.peek("fallback");
      if (num == null || !num.isNumber() || !Double.isFinite(num.doubleValue())) {
        throw new ConfigException(f.key("fallback"),
            "expected a finite number, found " + (num == null ? "nothing" : Node.show(num)));
      }
      f.string("fallback");
      f.finish();
      return OptionalDouble.of(num.doubleValue());
    }
    throw new ConfigException(n.key(key),
        "invalid value " + Node.show(v) + ", expected error or {fallback: <number>}");
  }
}
