package io.meshcast.adapter.config;

import java.util.Map;
import java.util.Optional;

/**
 * A custom metric: a PromQL template and how its result labels name Kubernetes objects.
 *
 * <p>The template may use {@code {{window}}} (the Kuma rate window) and {@code {{inbound}}} (the
 * regime's inbound selector, e.g. {@code envoy_http_conn_manager_prefix=~"localhost_.*"}). Unlike
 * prometheus-adapter there is no per-request templating: the query runs once per refresh and
 * must already group by the labels named in {@code resources}.
 *
 * @param name served metric name
 * @param query PromQL template
 * @param resources resource ({@code pods}, {@code services}, {@code deployments.apps}, {@code
 *     namespaces}) to the result label that names it; {@code namespace} names the namespace
 * @param external whether the result is also served as an external metric (all labels kept)
 * @param combine how several series naming the same object are merged
 * @param windowSeconds reported {@code window} of the values, if meaningful
 */
public record RuleConfig(
    String name,
    String query,
    Map<String, String> resources,
    boolean external,
    Combine combine,
    Optional<Long> windowSeconds) {

  public RuleConfig {
    resources = Map.copyOf(resources);
  }

  /** Merging of several series for one object. */
  public enum Combine {
    SUM,
    MAX,
    MIN,
    ERROR
  }
}
