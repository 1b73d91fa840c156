package io.meshcast.adapter.kuma;

import io.meshcast.adapter.config.RuleConfig;
import io.meshcast.adapter.pipeline.Level;
import io.meshcast.adapter.pipeline.MetricDefinition;
import io.meshcast.adapter.pipeline.SeriesIdentity;
import io.meshcast.adapter.provider.GroupResource;
import java.util.HashSet;
import java.util.Set;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Turns a {@link RuleConfig} into a definition: expands {@code {{window}}} and {@code {{inbound}}}
 * and maps result labels to objects through the rule's {@code resources}. This is
 * prometheus-adapter's {@code resources.overrides} idea without per-request templates: the query
 * runs once per refresh for every object at once.
 */
public final class CustomRules {

  private CustomRules() {}

  public static MetricDefinition definition(RuleConfig rule, KumaQueries kuma) {
    String promql = rule.query()
        .replace("{{window}}", KumaQueries.promDuration(kuma.windowSeconds()))
        .replace("{{inbound}}", kuma.selector());
    OptionalLong window = rule.windowSeconds().map(OptionalLong::of).orElse(OptionalLong.empty());
    Map<String, String> res = rule.resources();
    Set<GroupResource> resources = new HashSet<>();
    for (String r : res.keySet()) {
      resources.add(GroupResource.parse(r));
    }
    return new MetricDefinition(rule.name(), Level.CUSTOM, promql, window, rule.combine(),
        resources, rule.external(),
        labels -> Optional.of(SeriesIdentity.fromResourceLabels(res, labels)));
  }
}
