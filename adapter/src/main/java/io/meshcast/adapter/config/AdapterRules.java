package io.meshcast.adapter.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshcast.adapter.provider.GroupResource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A prometheus-adapter configuration ({@code rules}, {@code externalRules}; {@code resourceRules}
 * is ignored with a logged note), validated: whatever meshcast cannot honour is refused with the
 * rule's position, its {@code seriesQuery} and the reason.
 *
 * @param rules every rule, custom ones first, in file order
 * @param relistInterval how often series are re-discovered (prometheus-adapter's {@code
 *     --metrics-relist-interval}); also the discovery look-back ({@code --metrics-max-age})
 */
public record AdapterRules(List<AdapterRule> rules, Duration relistInterval) {

  private static final Logger LOG = Logger.getLogger(AdapterRules.class.getName());
  private static final Pattern LABEL = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
  private static final Pattern TEMPLATE_ACTION = Pattern.compile("<<-?\\s*(.*?)\\s*-?>>");
  private static final Set<String> QUERY_FIELDS = Set.of(".Series", ".LabelMatchers", ".GroupBy");
  /** The default of prometheus-adapter's {@code --metrics-relist-interval}. */
  public static final Duration DEFAULT_RELIST = Duration.ofMinutes(10);

  public AdapterRules {
    rules = List.copyOf(rules);
  }

  /** Whether a YAML document is a prometheus-adapter configuration rather than meshcast's own. */
  public static boolean looksLikeAdapterConfig(JsonNode root) {
    if (root == null || !root.isObject() || root.has("prometheus")) {
      return false;
    }
    if (root.has("externalRules") || root.has("resourceRules")) {
      return true;
    }
    JsonNode rules = root.get("rules");
    return rules != null && rules.isArray() && rules.size() > 0
        && (rules.get(0).has("seriesQuery") || rules.get(0).has("metricsQuery"));
  }

  /**
   * Parses the rule sections of {@code n} ({@code rules}, {@code externalRules}, {@code
   * resourceRules}, and {@code extraKeys} read by the caller).
   *
   * @param prefix dotted path of {@code n} for messages ({@code ""} for a whole file)
   */
  public static AdapterRules parse(JsonNode n, String prefix, Duration relist,
      Set<String> extraKeys) {
    String at = prefix.isEmpty() ? "" : prefix + ".";
    if (n == null || !n.isObject()) {
      throw new ConfigException(prefix, "expected a mapping with rules and/or externalRules");
    }
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!Set.of("rules", "externalRules", "resourceRules").contains(k)
          && !extraKeys.contains(k)) {
        throw new ConfigException(at + k, "unknown key (known: rules, externalRules,"
            + " resourceRules" + (extraKeys.isEmpty() ? "" : ", " + String.join(", ", extraKeys))
            + ")");
      }
    }
    if (n.has("resourceRules") && !n.get("resourceRules").isNull()) {
      LOG.warning("event=prometheus_adapter_rules key=" + at + "resourceRules detail=\"ignored:"
          + " meshcast does not serve metrics.k8s.io (CPU and memory); keep metrics-server or"
          + " prometheus-adapter for the resource metrics API\"");
    }
    List<AdapterRule> out = new ArrayList<>();
    for (String section : List.of("rules", "externalRules")) {
      JsonNode list = n.get(section);
      if (list == null || list.isNull()) {
        continue;
      }
      if (!list.isArray()) {
        throw new ConfigException(at + section, "expected a list of rules");
      }
      for (int i = 0; i < list.size(); i++) {
        out.add(rule(list.get(i), at + section + "[" + i + "]", section.equals("externalRules")));
      }
    }
    if (out.isEmpty()) {
      throw new ConfigException(prefix, "no rules: give rules and/or externalRules");
    }
    return new AdapterRules(out, relist);
  }

  private static AdapterRule rule(JsonNode r, String where, boolean external) {
    if (r == null || !r.isObject()) {
      throw new ConfigException(where, "expected a mapping");
    }
    String sq = text(r, "seriesQuery", where, "?");
    String id = where + " (seriesQuery " + sq + ")";
    for (Iterator<String> it = r.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!Set.of("seriesQuery", "seriesFilters", "resources", "name", "metricsQuery")
          .contains(k)) {
        throw new ConfigException(id, "unknown key \"" + k + "\"");
      }
    }
    if (sq.equals("?")) {
      throw new ConfigException(id, "seriesQuery is required");
    }
    List<AdapterRule.Filter> filters = new ArrayList<>();
    JsonNode fs = r.get("seriesFilters");
    if (fs != null && !fs.isNull()) {
      if (!fs.isArray()) {
        throw new ConfigException(id, "seriesFilters must be a list of {is: regex} / {isNot: regex}");
      }
      for (JsonNode f : fs) {
        if (!f.isObject() || f.size() != 1 || !(f.has("is") || f.has("isNot"))) {
          throw new ConfigException(id, "each seriesFilters entry must be {is: regex} or"
              + " {isNot: regex}, found " + f);
        }
        boolean keep = f.has("is");
        filters.add(new AdapterRule.Filter(keep, regex(f.get(keep ? "is" : "isNot").asText(), id,
            keep ? "seriesFilters.is" : "seriesFilters.isNot")));
      }
    }
    Map<String, GroupResource> overrides = new LinkedHashMap<>();
    Optional<Pattern> template = Optional.empty();
    boolean namespaced = true;
    JsonNode res = r.get("resources");
    if (res != null && !res.isNull()) {
      if (!res.isObject()) {
        throw new ConfigException(id, "resources must be a mapping");
      }
      for (Iterator<String> it = res.fieldNames(); it.hasNext(); ) {
        String k = it.next();
        if (!Set.of("overrides", "template", "namespaced").contains(k)) {
          throw new ConfigException(id, "unknown key \"resources." + k + "\"");
        }
      }
      JsonNode ov = res.get("overrides");
      if (ov != null && !ov.isNull()) {
        if (!ov.isObject()) {
          throw new ConfigException(id, "resources.overrides must map labels to {group, resource}");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = ov.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          if (!LABEL.matcher(e.getKey()).matches()) {
            throw new ConfigException(id, "resources.overrides: invalid label name \""
                + e.getKey() + "\"");
          }
          JsonNode gr = e.getValue();
          if (gr == null || !gr.isObject() || !gr.has("resource")) {
            throw new ConfigException(id, "resources.overrides." + e.getKey()
                + ": expected {resource: <name>} with an optional group");
          }
          String group = gr.path("group").asText("");
          String resource = gr.get("resource").asText();
          overrides.put(e.getKey(), resource(group, resource).orElseThrow(() ->
              new ConfigException(id, "resources.overrides." + e.getKey() + ": resource \""
                  + (group.isEmpty() ? "" : group + "/") + resource + "\" is not supported;"
                  + " meshcast serves pods, services, deployments.apps and namespaces")));
        }
      }
      JsonNode tpl = res.get("template");
      if (tpl != null && !tpl.isNull()) {
        template = Optional.of(template(tpl.asText(), id));
      }
      JsonNode ns = res.get("namespaced");
      if (ns != null && !ns.isNull()) {
        if (!external) {
          throw new ConfigException(id, "resources.namespaced applies to externalRules only");
        }
        if (!ns.isBoolean()) {
          throw new ConfigException(id, "resources.namespaced must be true or false");
        }
        namespaced = ns.asBoolean();
      }
    }
    Pattern matches = Pattern.compile(".*");
    String as = null;
    JsonNode name = r.get("name");
    if (name != null && !name.isNull()) {
      if (!name.isObject()) {
        throw new ConfigException(id, "name must be a mapping {matches, as}");
      }
      for (Iterator<String> it = name.fieldNames(); it.hasNext(); ) {
        String k = it.next();
        if (!Set.of("matches", "as").contains(k)) {
          throw new ConfigException(id, "unknown key \"name." + k + "\"");
        }
      }
      if (name.has("matches")) {
        matches = regex(name.get("matches").asText(), id, "name.matches");
      }
      if (name.has("as") && !name.get("as").asText().isEmpty()) {
        as = name.get("as").asText();
      }
    }
    int groups = matches.matcher("").groupCount();
    if (as == null) {
      if (groups > 1) {
        throw new ConfigException(id, "name.matches has " + groups + " capture groups:"
            + " name.as is required");
      }
      as = groups == 1 ? "$1" : "$0";
    }
    String stripped = AdapterRule.GO_GROUP.matcher(as).replaceAll("");
    if (stripped.contains("$")) {
      throw new ConfigException(id, "name.as \"" + as + "\": only numbered references ($1,"
          + " ${1}) are supported");
    }
    String mq = text(r, "metricsQuery", id, "");
    if (mq.isEmpty()) {
      throw new ConfigException(id, "metricsQuery is required");
    }
    java.util.regex.Matcher a = TEMPLATE_ACTION.matcher(mq);
    while (a.find()) {
      if (!QUERY_FIELDS.contains(a.group(1))) {
        throw new ConfigException(id, "metricsQuery uses <<" + a.group(1) + ">>: meshcast"
            + " evaluates each rule once per refresh for all objects, so only <<.Series>>,"
            + " <<.LabelMatchers>> and <<.GroupBy>> are supported (not LabelValuesByName,"
            + " GroupBySlice or template actions)");
      }
    }
    String rest = TEMPLATE_ACTION.matcher(mq).replaceAll("");
    if (rest.contains("<<") || rest.contains(">>")) {
      throw new ConfigException(id, "metricsQuery has an unterminated << >> template action");
    }
    return new AdapterRule(where, external, sq, filters, overrides, template, matches, as, mq,
        namespaced);
  }

  /** A resource meshcast serves, from prometheus-adapter's singular or plural spelling. */
  static Optional<GroupResource> resource(String group, String resource) {
    String r = resource.toLowerCase(Locale.ROOT);
    String g = group == null ? "" : group.toLowerCase(Locale.ROOT);
    if (g.isEmpty() || g.equals("core")) {
      switch (r) {
        case "pod", "pods" -> {
          return Optional.of(GroupResource.PODS);
        }
        case "service", "services" -> {
          return Optional.of(GroupResource.SERVICES);
        }
        case "namespace", "namespaces" -> {
          return Optional.of(GroupResource.NAMESPACES);
        }
        default -> {
          // "deployment" with the group left for the system to guess, as prometheus-adapter does.
        }
      }
    }
    if ((g.isEmpty() || g.equals("apps") || g.equals("extensions"))
        && (r.equals("deployment") || r.equals("deployments"))) {
      return Optional.of(GroupResource.DEPLOYMENTS);
    }
    return Optional.empty();
  }

  private static Pattern template(String t, String id) {
    if (!t.contains("<<.Resource>>")) {
      throw new ConfigException(id, "resources.template \"" + t + "\" must contain <<.Resource>>");
    }
    StringBuilder re = new StringBuilder();
    java.util.regex.Matcher a = TEMPLATE_ACTION.matcher(t);
    int last = 0;
    while (a.find()) {
      re.append(Pattern.quote(t.substring(last, a.start())));
      switch (a.group(1)) {
        case ".Resource" -> re.append("(?<resource>[a-zA-Z0-9]+?)");
        case ".Group" -> re.append("(?<group>[a-zA-Z0-9]*?)");
        default -> throw new ConfigException(id, "resources.template uses <<" + a.group(1)
            + ">>; only <<.Group>> and <<.Resource>> exist");
      }
      last = a.end();
    }
    re.append(Pattern.quote(t.substring(last)));
    return Pattern.compile(re.toString());
  }

  private static Pattern regex(String s, String id, String key) {
    try {
      return Pattern.compile(s);
    } catch (PatternSyntaxException e) {
      throw new ConfigException(id, key + ": invalid regular expression \"" + s + "\": "
          + e.getDescription());
    }
  }

  private static String text(JsonNode r, String key, String id, String dflt) {
    JsonNode v = r.get(key);
    if (v == null || v.isNull()) {
      return dflt;
    }
    if (!v.isTextual()) {
      throw new ConfigException(id, key + " must be a string");
    }
    return v.asText();
  }
}
