package io.meshcast.adapter.config;

import io.meshcast.adapter.provider.GroupResource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One validated prometheus-adapter rule.
 *
 * @param where {@code rules[2]} or {@code externalRules[0]}, for messages
 * @param external from {@code externalRules}
 * @param seriesQuery the {@code /api/v1/series} selector
 * @param filters {@code seriesFilters} in order
 * @param overrides label to resource ({@code resources.overrides})
 * @param template {@code resources.template} as a pattern with groups {@code group} and {@code
 *     resource}
 * @param nameMatches {@code name.matches} (default {@code .*})
 * @param nameAs {@code name.as} in Go's {@code $1}/{@code ${1}} syntax
 * @param metricsQuery the template with {@code <<.Series>>}, {@code <<.LabelMatchers>>}, {@code
 *     <<.GroupBy>>}
 * @param namespaced external rules: whether the request's namespace restricts the query
 */
public record AdapterRule(
    String where,
    boolean external,
    String seriesQuery,
    List<Filter> filters,
    Map<String, GroupResource> overrides,
    Optional<Pattern> template,
    Pattern nameMatches,
    String nameAs,
    String metricsQuery,
    boolean namespaced) {

  public AdapterRule {
    filters = List.copyOf(filters);
    overrides = Map.copyOf(overrides);
  }

  /** A {@code seriesFilters} entry: {@code is} (keep matches) or {@code isNot} (drop matches). */
  public record Filter(boolean keep, Pattern pattern) {}

  /** How messages name this rule: its position and its series query. */
  public String describe() {
    return where + " (seriesQuery " + seriesQuery + ")";
  }

  /** Whether a series name passes the filters and {@code name.matches}. */
  public boolean accepts(String seriesName) {
    for (Filter f : filters) {
      if (f.pattern().matcher(seriesName).find() != f.keep()) {
        return false;
      }
    }
    return nameMatches.matcher(seriesName).find();
  }

  /** The served name of a series name ({@code name.as} applied to the first match). */
  public String servedName(String seriesName) {
    Matcher m = nameMatches.matcher(seriesName);
    if (!m.find()) {
      throw new IllegalArgumentException(seriesName + " does not match " + nameMatches);
    }
    StringBuilder out = new StringBuilder();
    Matcher ref = GO_GROUP.matcher(nameAs);
    int last = 0;
    while (ref.find()) {
      out.append(nameAs, last, ref.start());
      int g = Integer.parseInt(ref.group(1) != null ? ref.group(1) : ref.group(2));
      String v = g <= m.groupCount() ? m.group(g) : null;
      out.append(v == null ? "" : v);
      last = ref.end();
    }
    return out.append(nameAs.substring(last)).toString();
  }

  /** The resource a label names, through the overrides first, then the template. */
  public Optional<GroupResource> resourceOf(String label) {
    GroupResource o = overrides.get(label);
    if (o != null) {
      return Optional.of(o);
    }
    if (template.isEmpty()) {
      return Optional.empty();
    }
    Matcher m = template.get().matcher(label);
    if (!m.matches()) {
      return Optional.empty();
    }
    String group = m.pattern().pattern().contains("?<group>") ? m.group("group") : "";
    return AdapterRules.resource(group, m.group("resource"));
  }

  /** {@code $1} or {@code ${1}} (numbered groups; Go's named-group references are refused). */
  static final Pattern GO_GROUP = Pattern.compile("\\$(?:\\{(\\d+)\\}|(\\d+))");
}
