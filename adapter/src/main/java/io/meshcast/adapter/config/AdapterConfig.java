package io.meshcast.adapter.config;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The validated content of the adapter's YAML configuration file. Immutable; a reload produces a
 * new instance. Every option and its default is documented in {@code docs/configuration.md}.
 *
 * @param prometheus where and how to query Prometheus
 * @param refresh background refresh cadence and history
 * @param kuma which Kuma naming regime to read and how
 * @param policies per-metric staleness/empty/NaN policies; {@link #policyFor} resolves defaults
 * @param rules custom PromQL rules, in file order
 * @param kubernetes how Kubernetes objects are resolved
 * @param prometheusAdapterRules rules in prometheus-adapter's format ({@code
 *     prometheusAdapterRules:}, or a prometheus-adapter file given as {@code --config})
 * @param forecast the predictive layer ({@code forecast:})
 * @param debugAccess who may open {@code /debug} ({@code debug.access}), if set
 * @param delegates upstream metrics servers per API group ({@code delegate:})
 * @param sharding shared forecasting across replicas ({@code sharding:}); read at start only
 * @param graph the mesh call graph ({@code graph:}); read at start only
 */
public record AdapterConfig(
    PrometheusConfig prometheus,
    RefreshConfig refresh,
    KumaConfig kuma,
    PolicyConfig defaultPolicy,
    Map<String, PolicyConfig> policies,
    List<RuleConfig> rules,
    KubernetesConfig kubernetes,
    Optional<AdapterRules> prometheusAdapterRules,
    PredictConfig forecast,
    Optional<DebugAccess> debugAccess,
    List<DelegateConfig> delegates,
    ShardingConfig sharding,
    GraphConfig graph) {

  public AdapterConfig {
    Objects.requireNonNull(prometheus, "prometheus");
    Objects.requireNonNull(refresh, "refresh");
    Objects.requireNonNull(kuma, "kuma");
    Objects.requireNonNull(defaultPolicy, "defaultPolicy");
    policies = Map.copyOf(policies);
    rules = List.copyOf(rules);
    Objects.requireNonNull(kubernetes, "kubernetes");
    Objects.requireNonNull(prometheusAdapterRules, "prometheusAdapterRules");
    Objects.requireNonNull(forecast, "forecast");
    Objects.requireNonNull(debugAccess, "debugAccess");
    delegates = List.copyOf(delegates);
    Objects.requireNonNull(sharding, "sharding");
    Objects.requireNonNull(graph, "graph");
  }

  /** The policy of a served metric: its own entry under {@code metrics:}, else the default. */
  public PolicyConfig policyFor(String metric) {
    return policies.getOrDefault(metric, defaultPolicy);
  }
}
