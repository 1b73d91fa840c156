package io.meshcast.adapter.kuma;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.meshcast.adapter.config.ConfigLoader;
import io.meshcast.adapter.config.KumaConfig;
import io.meshcast.adapter.pipeline.Level;
import io.meshcast.adapter.pipeline.MetricDefinition;
import io.meshcast.adapter.pipeline.SeriesIdentity;
import io.meshcast.adapter.source.Sample;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

final class KumaQueriesTest {

  static KumaConfig kuma(String yaml) {
    return ConfigLoader.parse("prometheus: {url: \"http://p\"}\nkuma: " + yaml).kuma();
  }

  @Test
  void legacyQueries_areTheDocumentedPromql() {
    KumaQueries q = new KumaQueries(Regime.LEGACY, kuma("{rateWindow: 2m}"));
    assertThat(q.definition(GoldenSignal.RPS, Level.SERVICE).promql()).isEqualTo(
        "sum by (kuma_io_service) (rate(envoy_http_downstream_rq_total"
            + "{envoy_http_conn_manager_prefix=~\"localhost_.*\"}[2m]))");
    assertThat(q.definition(GoldenSignal.LATENCY_P99, Level.POD).promql()).isEqualTo(
        "histogram_quantile(0.99, sum by (kuma_io_service, namespace, pod, app, le) (rate("
            + "envoy_http_downstream_rq_time_bucket{envoy_http_conn_manager_prefix=~"
            + "\"localhost_.*\"}[2m])))");
    assertThat(q.definition(GoldenSignal.ERROR_RATIO, Level.SERVICE).promql())
        .contains("{__name__=~\"envoy_http_downstream_rq_xx(_total)?\"")
        .contains("envoy_response_code_class=\"5\"")
        .contains(" or 0 * sum by (kuma_io_service)");
    assertThat(q.definition(GoldenSignal.INFLIGHT, Level.SERVICE).promql()).isEqualTo(
        "sum by (kuma_io_service) (envoy_http_downstream_rq_active"
            + "{envoy_http_conn_manager_prefix=~\"localhost_.*\"})");
  }

  @Test
  void demand_isServedPlusCallersRejectedAndQueueGrowthMinusRetries_perRegime() {
    String legacy = new KumaQueries(Regime.LEGACY, kuma("{rateWindow: 1m}"))
        .definition(GoldenSignal.DEMAND, Level.SERVICE).promql();
    assertThat(legacy).startsWith("clamp_min(sum by (kuma_io_service) (label_replace(sum by "
            + "(kuma_io_service) (rate(envoy_http_downstream_rq_total{"
            + "envoy_http_conn_manager_prefix=~\"localhost_.*\"}[1m])), \"meshcast_term\", "
            + "\"served\", \"\", \"\")")
        .contains("label_replace(sum by (envoy_cluster_name) (rate("
            + "envoy_cluster_upstream_rq_pending_overflow{envoy_cluster_name=~\".+_svc_[0-9]+\"}"
            + "[1m])), \"kuma_io_service\", \"$1\", \"envoy_cluster_name\", \"(.+)\")")
        .contains("deriv(envoy_cluster_upstream_rq_pending_active{")
        .contains("\"queue_growth\"")
        .contains("-1 * label_replace(sum by (envoy_cluster_name) (rate("
            + "envoy_cluster_upstream_rq_retry{")
        .endsWith(", 0)");
    String unified = new KumaQueries(Regime.UNIFIED, kuma("{mesh: m1}"))
        .definition(GoldenSignal.DEMAND, Level.SERVICE).promql();
    assertThat(unified).startsWith("clamp_min(sum by (kuma_workload, namespace) (")
        .contains("envoy_cluster_name=~\"kri_msvc_.+\",mesh=\"m1\"")
        .contains("\"kuma_workload\", \"$2\", \"envoy_cluster_name\", "
            + "\"kri_msvc_[^_]*_[^_]*_([^_]+)_([^_]+)_[^_]+\"")
        .contains("\"namespace\", \"$1\", \"envoy_cluster_name\"");
    assertThatCode(() -> new KumaQueries(Regime.LEGACY, kuma("{}"))
        .definition(GoldenSignal.DEMAND, Level.SERVICE).coverage().orElseThrow())
        .doesNotThrowAnyException();
    assertThat(new KumaQueries(Regime.LEGACY, kuma("{}")).definitions())
        .filteredOn(d -> d.name().equals("kuma_demand_rps"))
        .extracting(MetricDefinition::level).containsExactly(Level.SERVICE);
  }

  @Test
  void coverageCompanion_countsOnlySamplesInsideTheWindowEndingAtTheRefresh() {
    KumaQueries q = new KumaQueries(Regime.LEGACY, kuma("{rateWindow: 2m}"));
    String c = q.definition(GoldenSignal.RPS, Level.POD).coverage().orElseThrow().query()
        .apply(Instant.ofEpochMilli(1_700_000_120_250L));
    // Sample times after the window's start, not step times that may look back before it.
    assertThat(c).contains("(timestamp(envoy_http_downstream_rq_total{"
            + "envoy_http_conn_manager_prefix=~\"localhost_.*\"}) > 1700000000.250)[2m:2s]")
        .doesNotContain("last_over_time");
  }

  @ParameterizedTest
  @EnumSource(Regime.class)
  void everyRegime_hasThirteenQueries_groupedNotRegexedByPod(Regime r) {
    List<MetricDefinition> defs = new KumaQueries(r, kuma("{mesh: default}")).definitions();
    // Seven presets at service level, six at pod level (demand is per service).
    assertThat(defs).hasSize(13);
    assertThat(defs).allSatisfy(d -> {
      assertThat(d.promql()).contains("sum by (").contains("mesh=\"default\"")
          .doesNotContain("pod=~").doesNotContain("pod=\"");
      assertThat(d.promql()).contains(r == Regime.UNIFIED ? "self_inbound_dp_" : "localhost_");
    });
  }

  @Test
  void meshmetricPods_useTheSampleLabels_unifiedServices_useWorkloadAndNamespace() {
    assertThat(new KumaQueries(Regime.MESHMETRIC, kuma("{}")).groupLabels(Level.POD))
        .containsExactly("kuma_io_service", "k8s_kuma_io_namespace", "k8s_kuma_io_name", "app");
    assertThat(new KumaQueries(Regime.UNIFIED, kuma("{}")).groupLabels(Level.SERVICE))
        .containsExactly("kuma_workload", "namespace");
    assertThat(new KumaQueries(Regime.MESHMETRIC, kuma("{podLabel: pod, namespaceLabel: ns}"))
        .groupLabels(Level.POD)).containsExactly("kuma_io_service", "ns", "pod", "app");
  }

  @Test
  void serviceIdentity_parsesTheKumaServiceTag() {
    KumaQueries q = new KumaQueries(Regime.LEGACY, kuma("{}"));
    SeriesIdentity id = q.serviceIdentity(Map.of("kuma_io_service", "backend_kuma-demo_svc_3001"))
        .orElseThrow();
    assertThat(id.service()).isEqualTo("backend");
    assertThat(id.namespace()).isEqualTo("kuma-demo");
    assertThat(id.externalLabels()).containsExactlyInAnyOrderEntriesOf(Map.of(
        "service", "backend", "namespace", "kuma-demo",
        "kuma_service", "backend_kuma-demo_svc_3001"));
    // Serviceless pod: external metric only.
    SeriesIdentity serviceless = q.serviceIdentity(Map.of("kuma_io_service", "job_ns_svc"))
        .orElseThrow();
    assertThat(serviceless.service()).isEmpty();
    assertThat(serviceless.namespace()).isEqualTo("ns");
    assertThat(q.serviceIdentity(Map.of())).isEmpty();
    assertThat(q.podIdentity(Map.of("pod", "p"))).as("no namespace").isEmpty();
  }

  @Test
  void kumaServiceName_roundTrips() {
    assertThat(KumaServiceName.parse("backend_kuma-demo_svc_3001")).hasValueSatisfying(n -> {
      assertThat(n.service()).isEqualTo("backend");
      assertThat(n.port()).hasValue(3001);
      assertThat(n.tag()).isEqualTo("backend_kuma-demo_svc_3001");
    });
    assertThat(KumaServiceName.parse("web")).isEmpty();
    assertThat(KumaServiceName.parse("a_b_msvc_80")).isEmpty();
    assertThat(KumaServiceName.parse("a_b_svc_http")).isEmpty();
  }

  @Test
  void regimeDetector_classifiesByPrefixAndOtelScope() {
    Instant t = Instant.EPOCH;
    assertThat(RegimeDetector.classify(List.of(
        new Sample(Map.of("envoy_http_conn_manager_prefix", "localhost_8080",
            "kuma_io_mesh_traffic", "true"), t, 5)))
        .regime()).hasValue(Regime.LEGACY);
    assertThat(RegimeDetector.classify(List.of(
        new Sample(Map.of("envoy_http_conn_manager_prefix", "localhost_8080",
            "otel_scope_name", "kuma"), t, 5)))
        .regime()).hasValue(Regime.MESHMETRIC);
    RegimeDetector.Detection mixed = RegimeDetector.classify(List.of(
        new Sample(Map.of("envoy_http_conn_manager_prefix", "self_inbound_dp_http",
            "otel_scope_name", "kuma"), t, 7),
        new Sample(Map.of("envoy_http_conn_manager_prefix", "localhost_8080"), t, 2)));
    assertThat(mixed.regime()).hasValue(Regime.UNIFIED);
    assertThat(mixed.seriesByRegime()).containsEntry(Regime.LEGACY, 2L);
    assertThat(RegimeDetector.classify(List.of()).regime()).isEmpty();
    assertThat(RegimeDetector.classify(List.of()).describe()).contains("no Kuma inbound");
  }
}
