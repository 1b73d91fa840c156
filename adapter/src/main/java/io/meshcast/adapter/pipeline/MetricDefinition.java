package io.meshcast.adapter.pipeline;

import io.meshcast.adapter.config.RuleConfig.Combine;
import io.meshcast.adapter.provider.GroupResource;
import java.time.Instant;
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
 * @param coverage how to measure the rate window's coverage, for windowed Kuma signals
 */
public record MetricDefinition(
    String name,
    Level level,
    String promql,
    OptionalLong windowSeconds,
    Combine combine,
    Set<GroupResource> resources,
    boolean external,
    Function<Map<String, String>, Optional<SeriesIdentity>> identify,
    Optional<CoverageSpec> coverage) {

  /** A definition whose windows are not checked for coverage (gauges, custom rules). */
  public MetricDefinition(
      String name,
      Level level,
      String promql,
      OptionalLong windowSeconds,
      Combine combine,
      Set<GroupResource> resources,
      boolean external,
      Function<Map<String, String>, Optional<SeriesIdentity>> identify) {
    this(name, level, promql, windowSeconds, combine, resources, external, identify,
        Optional.empty());
  }

  /**
   * The coverage companion of a windowed definition.
   *
   * @param query companion query for one evaluation time (it names the window's start as a
   *     literal), shared by every definition of one level (so it runs once per refresh); its rows carry the definition's grouping labels plus {@code meshcast_part}
   *     ({@code coverage}, {@code samples}, {@code observations}), see {@link WindowCoverage}
   * @param coveredPromql the value computed over the covered span of each series, queried only
   *     when some row is partial
   * @param minCoverage below this covered fraction a row is partial
   * @param minSamples below this many samples (in any member series) a row is insufficient
   * @param minObservations below this many requests in the window a quantile is partial (0: off)
   */
  public record CoverageSpec(Function<Instant, String> query, String coveredPromql, double minCoverage,
      long minSamples, double minObservations, double minServedCoverage) {

    /** The label distinguishing the parts of a coverage companion's rows. */
    public static final String PART_LABEL = "meshcast_part";

    public CoverageSpec {
      Objects.requireNonNull(query, "query");
      Objects.requireNonNull(coveredPromql, "coveredPromql");
    }
  }

  public MetricDefinition {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(level, "level");
    Objects.requireNonNull(promql, "promql");
    Objects.requireNonNull(windowSeconds, "windowSeconds");
    Objects.requireNonNull(combine, "combine");
    resources = Set.copyOf(resources);
    Objects.requireNonNull(identify, "identify");
    Objects.requireNonNull(coverage, "coverage");
  }

  /** The same definition without the coverage check (sources whose data has no gaps). */
  public MetricDefinition withoutCoverage() {
    return new MetricDefinition(name, level, promql, windowSeconds, combine, resources, external,
        identify, Optional.empty());
  }

  /** Key of this definition in a snapshot. */
  public String key() {
    return key(name, level);
  }

  public static String key(String name, Level level) {
    return name + "@" + level;
  }
}
