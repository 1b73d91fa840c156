package io.meshcast.adapter.graph;

import io.meshcast.adapter.config.CallRatioSettings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.meshcast.adapter.config.KumaConfig;
import io.meshcast.adapter.kuma.Regime;
import io.meshcast.adapter.source.Sample;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Rows of the outbound query to a graph: parts, merging, NaN rules, ratio tracking. */
final class GraphAssemblerTest {

  static final Instant T0 = Instant.parse("2026-12-05T00:00:00Z");

  static KumaConfig config(Optional<String> mesh) {
    return new KumaConfig(KumaConfig.RegimeSetting.LEGACY, Duration.ofSeconds(30), mesh,
        Optional.empty(), Optional.empty(), List.of(), Set.of());
  }

  static Sample row(String part, String caller, String cluster, double v) {
    Map<String, String> l = new HashMap<>();
    l.put(OutboundQuery.PART, part);
    l.put("kuma_io_service", caller);
    if (cluster != null) {
      l.put(OutboundQuery.CLUSTER, cluster);
    }
    return new Sample(l, T0, v);
  }

  @Test
  void query_isOneBatchedExpressionWithEveryPart() {
    OutboundQuery q = new OutboundQuery(Regime.UNIFIED, config(Optional.of("prod")));
    assertThat(q.promql())
        .contains("sum by (kuma_workload, namespace, envoy_cluster_name) (rate("
            + "envoy_cluster_upstream_rq_total{envoy_cluster_name=~\".*_m?svc_.*|kri_mzsvc_.*\","
            + "mesh=\"prod\"}[30s]))")
        .contains("\"attempts\"").contains("\"retries\"").contains("\"errors\"")
        .contains("histogram_quantile(0.99, sum by (kuma_workload, namespace, envoy_cluster_name,"
            + " le)")
        .contains("sum by (kuma_workload, namespace) (rate(envoy_http_downstream_rq_total{"
            + "envoy_http_conn_manager_prefix=~\"self_inbound_dp_.*\",mesh=\"prod\"}[30s]))");
    assertThat(q.promql().split(" or label_replace")).hasSize(5);
  }

  @Test
  void rows_becomeNodesAndEdges_splitClustersMerge() {
    OutboundQuery q = new OutboundQuery(Regime.LEGACY, config(Optional.empty()));
    GraphAssembler a = new GraphAssembler(CallRatioSettings.defaults());
    List<Sample> rows = new ArrayList<>(List.of(
        row("inbound", "frontend_shop_svc_80", null, 10),
        row("inbound", "cart_shop_svc_8080", null, 12),
        row("attempts", "frontend_shop_svc_80", "cart_shop_svc_8080", 8),
        row("attempts", "frontend_shop_svc_80", "cart_shop_svc_8080-0123456789abcdef", 4),
        row("retries", "frontend_shop_svc_80", "cart_shop_svc_8080", 2),
        row("errors", "frontend_shop_svc_80", "cart_shop_svc_8080", 1.2),
        row("p99", "frontend_shop_svc_80", "cart_shop_svc_8080", 80),
        row("p99", "frontend_shop_svc_80", "cart_shop_svc_8080-0123456789abcdef", 95),
        row("attempts", "frontend_shop_svc_80", "kuma_envoy_admin", 1)));
    MeshGraph g = a.assemble(q, rows, T0);
    assertThat(g.nodes()).extracting(n -> n.ref().id())
        .containsExactly("shop/cart", "shop/frontend");
    assertThat(g.node(new ServiceRef("shop", "frontend")).orElseThrow().outboundRps())
        .isEqualTo(12);
    assertThat(g.edges()).hasSize(1);
    MeshGraph.Edge e = g.edges().get(0);
    assertThat(e.clusters()).containsExactly("cart_shop_svc_8080",
        "cart_shop_svc_8080-0123456789abcdef");
    assertThat(e.rps()).isEqualTo(12);
    assertThat(e.retryRps()).isEqualTo(2);
    assertThat(e.errorRatio()).isCloseTo(0.1, within(1e-12));
    assertThat(e.p99Ms()).isEqualTo(95); // quantiles do not add: the worse part
    assertThat(e.observedRatio()).isCloseTo(1.0, within(1e-12)); // (12 - 2) / 10
    assertThat(e.ratio()).isCloseTo(1.0, within(1e-12));
    assertThat(e.stable()).isFalse(); // one sample
    assertThat(e.note()).contains("1 of 5 samples");
    assertThat(g.skippedClusters()).containsExactly("kuma_envoy_admin");
    assertThat(g.error()).isEmpty();
  }

  @Test
  void ratio_becomesStableOverRefreshes_andIgnoresRetries() {
    OutboundQuery q = new OutboundQuery(Regime.LEGACY, config(Optional.empty()));
    GraphAssembler a = new GraphAssembler(CallRatioSettings.defaults());
    MeshGraph g = null;
    for (int i = 0; i < 6; i++) {
      // 2.5 calls per request, plus a retry storm growing on the edge.
      double retries = 5 * i;
      g = a.assemble(q, List.of(
          row("inbound", "frontend_shop_svc_80", null, 10),
          row("attempts", "frontend_shop_svc_80", "catalog_shop_svc_8080", 25 + retries),
          row("retries", "frontend_shop_svc_80", "catalog_shop_svc_8080", retries)),
          T0.plusSeconds(i));
    }
    MeshGraph.Edge e = g.edges().get(0);
    assertThat(e.ratio()).isCloseTo(2.5, within(1e-9));
    assertThat(e.stable()).isTrue();
    assertThat(e.note()).doesNotContain("ratio");
  }

  @Test
  void missingNumbers_areNaNWithANote_neverZero() {
    OutboundQuery q = new OutboundQuery(Regime.LEGACY, config(Optional.empty()));
    GraphAssembler a = new GraphAssembler(CallRatioSettings.defaults());
    // A caller without a measured inbound (a job, a TCP inbound) and no latency observations.
    MeshGraph g = a.assemble(q, List.of(
        row("attempts", "cron_jobs_svc", "backend_data_svc_3001", 3)), T0);
    MeshGraph.Edge e = g.edges().get(0);
    assertThat(e.observedRatio()).isNaN();
    assertThat(e.ratio()).isNaN();
    assertThat(e.p99Ms()).isNaN();
    assertThat(e.errorRatio()).isZero(); // no 5xx series: usedonly exports none before the first
    assertThat(e.note()).contains("caller's inbound rate not measured")
        .contains("no latency observations");
    assertThat(g.node(new ServiceRef("data", "backend")).orElseThrow().rps()).isNaN();
  }
}
