package io.meshcast.adapter.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.meshcast.adapter.predict.DemandPropagation;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The graph's hook into the served forecast: who propagates, and what a stale graph does. */
final class GraphDemandTest {

  static final Instant T0 = Instant.parse("2026-12-05T00:00:00Z");
  static final ServiceRef GW = new ServiceRef("edge", "gateway");
  static final ServiceRef FE = new ServiceRef("shop", "frontend");

  static MeshGraph graph(boolean stable, Optional<String> error) {
    return new MeshGraph(T0, "legacy",
        List.of(new MeshGraph.Node(GW, 20, 20), new MeshGraph.Node(FE, 40, 0)),
        List.of(new MeshGraph.Edge(GW, FE, List.of("frontend_shop_svc_80"), 40, 0, 0, 50, 2, 2,
            stable, "")),
        List.of(), error, "q");
  }

  @Test
  void stableEdges_propagateTheCallersForecast() {
    GraphDemand d = new GraphDemand(() -> graph(true, Optional.empty()));
    Map<String, DemandPropagation.Upstream> up = d.propagate(Map.of(
        "edge/gateway/kuma_demand_rps", ReportFixture.rps("edge/gateway/kuma_demand_rps", 20, 30),
        "shop/frontend/kuma_demand_rps", ReportFixture.rps("shop/frontend/kuma_demand_rps", 40, 40)));
    // The gateway is about to receive 30: the frontend will get 60, whatever it sees now.
    DemandPropagation.Upstream fe = up.get("shop/frontend/kuma_demand_rps");
    assertThat(fe.upstream()).isCloseTo(60, within(1e-9));
    assertThat(fe.total()).isCloseTo(60, within(1e-9));
    assertThat(fe.detail()).contains("edge/gateway");
    assertThat(DemandPropagation.served(40, fe)).isEqualTo(60);
    assertThat(DemandPropagation.served(70, fe)).isEqualTo(70); // never lowers the own value
    assertThat(up).doesNotContainKey("edge/gateway/kuma_demand_rps"); // no callers: own forecast only
    assertThat(d.last().result()).isPresent();
  }

  @Test
  void unstableEdges_andStaleGraphs_propagateNothing() {
    Map<String, io.meshcast.adapter.predict.SeriesReport> reports = Map.of(
        "edge/gateway/kuma_demand_rps", ReportFixture.rps("edge/gateway/kuma_demand_rps", 20, 30),
        "shop/frontend/kuma_demand_rps", ReportFixture.rps("shop/frontend/kuma_demand_rps", 40, 40));
    assertThat(new GraphDemand(() -> graph(false, Optional.empty())).propagate(reports))
        .isEmpty();
    GraphDemand stale = new GraphDemand(() -> graph(true, Optional.of("outbound query failed")));
    assertThat(stale.propagate(reports)).isEmpty();
    assertThat(stale.last().detail()).contains("graph unavailable: outbound query failed");
  }
}
