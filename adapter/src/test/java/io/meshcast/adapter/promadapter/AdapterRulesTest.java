package io.meshcast.adapter.promadapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshcast.adapter.config.AdapterConfig;
import io.meshcast.adapter.config.AdapterRule;
import io.meshcast.adapter.config.AdapterRules;
import io.meshcast.adapter.config.ConfigException;
import io.meshcast.adapter.config.ConfigLoader;
import io.meshcast.adapter.pipeline.MetricDefinition;
import io.meshcast.adapter.provider.GroupResource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Parsing, refusals and query rendering of prometheus-adapter rules. */
final class AdapterRulesTest {

  /** config-walkthrough.md: http_requests_total -> http_requests_per_second, pods and namespaces. */
  static final String WALKTHROUGH = """
      rules:
      - seriesQuery: 'http_requests_total{namespace!="",pod!=""}'
        resources:
          overrides:
            namespace: {resource: "namespace"}
            pod: {resource: "pod"}
        name:
          matches: "^(.*)_total$"
          as: "${1}_per_second"
        metricsQuery: 'sum(rate(<<.Series>>{<<.LabelMatchers>>}[2m])) by (<<.GroupBy>>)'
      """;

  private static AdapterConfig load(String yaml) {
    return ConfigLoader.parse(yaml, Optional.of("http://prometheus:9090"));
  }

  @Test
  void aPrometheusAdapterFileNeedsTheUrlFlag() {
    assertThatThrownBy(() -> ConfigLoader.parse(WALKTHROUGH))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("prometheus-adapter configuration")
        .hasMessageContaining("--prometheus-url");
    AdapterConfig c = load(WALKTHROUGH);
    assertThat(c.prometheus().url().toString()).isEqualTo("http://prometheus:9090");
    assertThat(c.kuma().presets()).isEmpty();
    assertThat(c.prometheusAdapterRules().orElseThrow().rules()).hasSize(1);
  }

  @Test
  void theSectionInMeshcastsOwnConfig() {
    AdapterConfig c = ConfigLoader.parse("""
        prometheus: {url: "http://p:9090"}
        prometheusAdapterRules:
          relistInterval: 30s
        """ + WALKTHROUGH.replaceAll("(?m)^", "  "));
    AdapterRules r = c.prometheusAdapterRules().orElseThrow();
    assertThat(r.relistInterval()).hasSeconds(30);
    assertThat(r.rules().get(0).servedName("http_requests_total"))
        .isEqualTo("http_requests_per_second");
  }

  @Test
  void refusalsNameTheRuleItsSeriesQueryAndTheReason() {
    assertThatThrownBy(() -> load("""
        rules:
        - seriesQuery: 'node_load1'
          resources: {overrides: {instance: {resource: node}}}
          metricsQuery: 'avg(<<.Series>>{<<.LabelMatchers>>}) by (<<.GroupBy>>)'
        """)).hasMessageContaining("rules[0] (seriesQuery node_load1)")
        .hasMessageContaining("resource \"node\" is not supported");
    assertThatThrownBy(() -> load("""
        rules:
        - seriesQuery: 'x_total'
          resources: {overrides: {pod: {resource: pod}}}
          metricsQuery: 'sum(<<.Series>>{<<range $k, $v := .LabelValuesByName>><<end>>})'
        """)).hasMessageContaining("rules[0] (seriesQuery x_total)")
        .hasMessageContaining("only <<.Series>>, <<.LabelMatchers>> and <<.GroupBy>>");
    assertThatThrownBy(() -> load("""
        externalRules:
        - seriesQuery: 'x_total'
          name: {matches: "^(a)_(b)$"}
          metricsQuery: 'sum(<<.Series>>)'
        """)).hasMessageContaining("externalRules[0] (seriesQuery x_total)")
        .hasMessageContaining("name.as is required");
    assertThatThrownBy(() -> load("""
        rules:
        - seriesQuery: 'x_total'
          seriesFilters: [{isNot: "(unclosed"}]
          metricsQuery: 'sum(<<.Series>>)'
        """)).hasMessageContaining("invalid regular expression");
    assertThatThrownBy(() -> load("""
        rules:
        - seriesQuery: 'x_total'
          resources: {namespaced: false}
          metricsQuery: 'sum(<<.Series>>)'
        """)).hasMessageContaining("resources.namespaced applies to externalRules only");
  }

  @Test
  void resourceRulesAreIgnored() {
    AdapterConfig c = load(WALKTHROUGH + """
        resourceRules:
          cpu: {containerQuery: "x"}
        """);
    assertThat(c.prometheusAdapterRules().orElseThrow().rules()).hasSize(1);
  }

  @Test
  void oneQueryPerMetricCoversEveryResourceOfTheRule() {
    AdapterRule rule = load(WALKTHROUGH).prometheusAdapterRules().orElseThrow().rules().get(0);
    List<String> notes = new ArrayList<>();
    List<MetricDefinition> defs = RuleQueries.definitions(rule, List.of(
        Map.of("__name__", "http_requests_total", "namespace", "a", "pod", "p1", "method", "GET"),
        Map.of("__name__", "other_thing", "namespace", "a", "pod", "p1")), notes::add);
    assertThat(defs).hasSize(1);
    MetricDefinition d = defs.get(0);
    assertThat(d.name()).isEqualTo("http_requests_per_second");
    assertThat(d.resources()).containsExactlyInAnyOrder(GroupResource.PODS,
        GroupResource.NAMESPACES);
    assertThat(d.promql()).isEqualTo(
        "(sum(rate(http_requests_total{namespace!=\"\"}[2m])) by (namespace))"
            + " or (sum(rate(http_requests_total{namespace!=\"\",pod!=\"\"}[2m]))"
            + " by (namespace,pod))");
    var id = d.identify().apply(Map.of("namespace", "a", "pod", "p1")).orElseThrow();
    assertThat(id.namespace()).isEqualTo("a");
    assertThat(id.pod()).isEqualTo("p1");
  }

  @Test
  void templatesMapLabelNamesToResources() {
    AdapterRule rule = load("""
        rules:
        - seriesQuery: 'kube_x{kube_apps_deployment!=""}'
          resources: {template: "kube_<<.Group>>_<<.Resource>>"}
          metricsQuery: 'sum(<<.Series>>{<<.LabelMatchers>>}) by (<<.GroupBy>>)'
        """).prometheusAdapterRules().orElseThrow().rules().get(0);
    assertThat(rule.resourceOf("kube_apps_deployment")).contains(GroupResource.DEPLOYMENTS);
    assertThat(rule.resourceOf("kube__namespace")).contains(GroupResource.NAMESPACES);
    assertThat(rule.resourceOf("kube_batch_job")).isEmpty();
    assertThat(rule.resourceOf("instance")).isEmpty();
  }
}
