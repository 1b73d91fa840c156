package io.meshcast.adapter.promadapter;

import io.meshcast.adapter.config.AdapterRule;
import io.meshcast.adapter.config.RuleConfig.Combine;
import io.meshcast.adapter.pipeline.Level;
import io.meshcast.adapter.pipeline.MetricDefinition;
import io.meshcast.adapter.pipeline.SeriesIdentity;
import io.meshcast.adapter.provider.GroupResource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a rule and its discovered series into metric definitions whose query covers every object
 * at once.
 *
 * <p>prometheus-adapter renders {@code metricsQuery} per request, with {@code LabelMatchers}
 * naming the requested objects ({@code namespace="ns",pod=~"a|b"}) and {@code GroupBy} the
 * resource's label ({@code pod}). meshcast renders it once per resource with {@code
 * LabelMatchers} selecting every object ({@code namespace!="",pod!=""}) and {@code GroupBy} the
 * namespace and resource labels ({@code namespace,pod}), joins the renders with {@code or} (their
 * label sets differ, so none hides another) and indexes the rows by object. For queries that
 * aggregate {@code by (<<.GroupBy>>)} the value of each object is the same; see
 * docs/prometheus-adapter.md for where it can differ.
 *
 * <p>External rules are rendered once per namespace the series carry ({@code
 * namespace="ns"}, the namespace set on the rows with {@code label_replace}), or once without a
 * namespace for {@code namespaced: false}; request selectors then filter the rows' labels.
 */
final class RuleQueries {

  private static final Pattern ACTION = Pattern.compile("<<-?\\s*(\\.[A-Za-z]+)\\s*-?>>");

  private RuleQueries() {}

  /**
   * The definitions of one rule.
   *
   * @param series discovered label sets (with {@code __name__})
   * @param note receives one line per metric or resource left out, and why
   */
  static List<MetricDefinition> definitions(AdapterRule rule, List<Map<String, String>> series,
      Consumer<String> note) {
    Map<String, List<Map<String, String>>> byName = new TreeMap<>();
    for (Map<String, String> s : series) {
      String n = s.get("__name__");
      if (n != null && rule.accepts(n)) {
        byName.computeIfAbsent(n, k -> new ArrayList<>()).add(s);
      }
    }
    List<MetricDefinition> out = new ArrayList<>();
    for (Map.Entry<String, List<Map<String, String>>> e : byName.entrySet()) {
      String served = rule.servedName(e.getKey());
      if (!served.matches("[a-zA-Z_][a-zA-Z0-9_]*")) {
        note.accept(rule.describe() + ": series " + e.getKey() + " would be served as \""
            + served + "\", not a valid metric name; left out");
        continue;
      }
      Map<GroupResource, String> labels = resourceLabels(rule, e.getValue(), note);
      Optional<MetricDefinition> d = rule.external()
          ? external(rule, e.getKey(), served, labels, e.getValue(), note)
          : custom(rule, e.getKey(), served, labels, note);
      d.ifPresent(out::add);
    }
    return out;
  }

  private static Map<GroupResource, String> resourceLabels(AdapterRule rule,
      List<Map<String, String>> series, Consumer<String> note) {
    Set<String> names = new TreeSet<>();
    for (Map<String, String> s : series) {
      names.addAll(s.keySet());
    }
    Map<GroupResource, String> out = new LinkedHashMap<>();
    for (String label : names) {
      rule.resourceOf(label).ifPresent(gr -> {
        String had = out.putIfAbsent(gr, label);
        if (had != null) {
          note.accept(rule.describe() + ": labels " + had + " and " + label + " both name "
              + gr + "; using " + had);
        }
      });
    }
    return out;
  }

  private static Optional<MetricDefinition> custom(AdapterRule rule, String series,
      String served, Map<GroupResource, String> labels, Consumer<String> note) {
    String ns = labels.get(GroupResource.NAMESPACES);
    List<String> parts = new ArrayList<>();
    Map<String, String> resources = new LinkedHashMap<>();
    for (Map.Entry<GroupResource, String> e : labels.entrySet()) {
      GroupResource gr = e.getKey();
      if (gr.equals(GroupResource.NAMESPACES)) {
        parts.add(render(rule.metricsQuery(), series, matchNonEmpty(ns), ns));
      } else if (ns == null) {
        note.accept(rule.describe() + ": " + served + " on " + gr + " left out: its series"
            + " carry no namespace label (map one to resource namespace)");
        continue;
      } else {
        parts.add(render(rule.metricsQuery(), series,
            matchNonEmpty(ns) + "," + matchNonEmpty(e.getValue()), ns + "," + e.getValue()));
      }
      resources.put(gr.toString(), e.getValue());
    }
    if (ns != null) {
      resources.put("namespaces", ns);
    }
    if (parts.isEmpty()) {
      note.accept(rule.describe() + ": " + served + " left out: none of its labels names a"
          + " resource through resources.overrides or resources.template");
      return Optional.empty();
    }
    Map<String, String> idLabels = Map.copyOf(resources);
    Set<GroupResource> served_on = new java.util.HashSet<>();
    for (String r : resources.keySet()) {
      served_on.add(GroupResource.parse(r));
    }
    return Optional.of(new MetricDefinition(served, Level.CUSTOM, or(parts), OptionalLong.empty(),
        Combine.ERROR, served_on, false, l -> Optional.of(SeriesIdentity.fromResourceLabels(idLabels, l))));
  }

  private static Optional<MetricDefinition> external(AdapterRule rule, String series,
      String served, Map<GroupResource, String> labels, List<Map<String, String>> found,
      Consumer<String> note) {
    if (!served.equals(served.toLowerCase(java.util.Locale.ROOT))) {
      note.accept(rule.describe() + ": external metric " + served + " left out: client-go"
          + " lower-cases external metric names, so an upper-case name can never be requested");
      return Optional.empty();
    }
    String ns = labels.get(GroupResource.NAMESPACES);
    String promql;
    Map<String, String> idLabels;
    if (rule.namespaced() && ns != null) {
      Set<String> namespaces = new TreeSet<>();
      for (Map<String, String> s : found) {
        String v = s.get(ns);
        if (v != null && !v.isEmpty()) {
          namespaces.add(v);
        }
      }
      if (namespaces.isEmpty()) {
        note.accept(rule.describe() + ": external metric " + served + " has no series with a "
            + ns + " label yet");
        return Optional.empty();
      }
      List<String> parts = new ArrayList<>();
      for (String n : namespaces) {
        String q = render(rule.metricsQuery(), series, ns + "=\"" + escape(n) + "\"", ns);
        parts.add("label_replace(" + q + ", \"" + ns + "\", \"" + escape(n) + "\", \"\", \"\")");
      }
      promql = or(parts);
      idLabels = Map.of("namespaces", ns);
    } else {
      if (rule.namespaced()) {
        note.accept(rule.describe() + ": external metric " + served + " has no label mapped to"
            + " the namespace resource; served in every namespace as with namespaced: false");
      }
      // No matchers, as prometheus-adapter renders a request without selector labels.
      promql = render(rule.metricsQuery(), series, "", "");
      idLabels = Map.of();
    }
    return Optional.of(new MetricDefinition(served, Level.CUSTOM, promql, OptionalLong.empty(),
        Combine.SUM, Set.of(), true, l -> Optional.of(SeriesIdentity.fromResourceLabels(idLabels, l))));
  }

  /** Renders the three supported template fields. */
  static String render(String template, String series, String matchers, String groupBy) {
    Matcher m = ACTION.matcher(template);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String v = switch (m.group(1)) {
        case ".Series" -> series;
        case ".LabelMatchers" -> matchers;
        case ".GroupBy" -> groupBy;
        default -> throw new IllegalStateException("unsupported field " + m.group(1));
      };
      m.appendReplacement(out, Matcher.quoteReplacement(v));
    }
    m.appendTail(out);
    // An empty LabelMatchers before more matchers ("{,x=...}") is not valid PromQL.
    return out.toString().replace("{,", "{");
  }

  private static String or(List<String> parts) {
    if (parts.size() == 1) {
      return parts.get(0);
    }
    StringBuilder b = new StringBuilder();
    for (String p : parts) {
      b.append(b.length() == 0 ? "(" : " or (").append(p).append(')');
    }
    return b.toString();
  }

  private static String matchNonEmpty(String label) {
    return label + "!=\"\"";
  }

  private static String escape(String v) {
    return v.replace("\\", "\\\\").replace("\"", "\\\"");
  }
}
