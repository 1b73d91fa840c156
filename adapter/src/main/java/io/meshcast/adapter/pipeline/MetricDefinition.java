package io.meshcast.adapter.pipeline;

import io.meshcast.adapter.config.RuleConfig.Combine;
import io.meshcast.adapter.provider.GroupResource;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Function;

/**
 * One query run once per refresh and how its result series map to objects.
 *
 * @param name served metric name ({@code kuma_rps}, a rule name)
 * @param level what the rows describe; a metric name can have one SERVICE and one POD definition
 * @param promql the query, fully expanded
 * @param windowSeconds the {@code window} reported with values, if meaningful
 * @param combine how several series naming one object merge
 * @param resources the Kubernetes resources whose objects it is served on
 * @param external whether served as an external metric
 * @param identify labels to identity; empty means "this row names nothing usable" (counted)
 */
public record MetricDefinition(
    String name,
    Level level,
    String promql,
    OptionalLong windowSeconds,
    Combine combine,
    Set<GroupResource> resources,
    boolean external,
    Function<Map<String, String>, Optional<SeriesIdentity>> identify) {

  public MetricDefinition {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(level, "level");
    Objects.requireNonNull(promql, "promql");
    Objects.requireNonNull(windowSeconds, "windowSeconds");
    Objects.requireNonNull(combine, "combine");
    resources = Set.copyOf(resources);
    Objects.requireNonNull(identify, "identify");
  }

  /** Key of this definition in a snapshot. */
  public String key() {
    return key(name, level);
  }

  public static String key(String name, Level level) {
    return name + "@" + level;
  }
}
