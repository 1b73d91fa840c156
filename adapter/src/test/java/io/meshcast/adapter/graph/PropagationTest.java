package io.meshcast.adapter.graph;

import io.meshcast.adapter.config.CallRatioSettings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.meshcast.adapter.graph.Propagation.Demand;
import io.meshcast.adapter.graph.Propagation.Edge;
import io.meshcast.adapter.graph.Propagation.Result;
import io.meshcast.adapter.graph.Propagation.Service;
import io.meshcast.adapter.graph.Propagation.SkipReason;
import io.meshcast.adapter.graph.Propagation.Skipped;
import java.util.List;
import org.junit.jupiter.api.Test;

final class PropagationTest {

  private static Edge edge(String from, String to, double ratio, double rps) {
    return new Edge(from, to, ratio, true, rps);
  }

  @Test
  void chain_multipliesRatios_andUsesTheCallersForecastNotTheirObservation() {
    // Now: gateway 100 rps, frontend 100, backend 50 (all from the chain). The gateway's own
    // model forecasts 300; the others' models still see today's traffic.
    Result r = Propagation.compute(
        List.of(new Service("gateway", 300, 100), new Service("frontend", 100, 100),
            new Service("backend", 50, 50)),
        List.of(edge("gateway", "frontend", 1.0, 100), edge("frontend", "backend", 0.5, 50)));
    Demand backend = r.demands().get("backend");
    assertThat(backend.total()).isCloseTo(150, within(1e-9));
    assertThat(backend.ingress()).isEqualTo(0.0);
    assertThat(backend.upstream()).isCloseTo(150, within(1e-9));
    assertThat(backend.upstreamShare()).isCloseTo(1.0, within(1e-9));
    assertThat(backend.contributions()).singleElement()
        .satisfies(c -> assertThat(c.callerDemand()).isCloseTo(300, within(1e-9)));
    assertThat(r.demands().get("gateway").total()).isEqualTo(300.0);
    assertThat(r.demands().get("gateway").upstream()).isEqualTo(0.0);
    assertThat(r.skipped()).isEmpty();
    assertThat(backend.served()).isCloseTo(150, within(1e-9));
  }

  @Test
  void fanOut_givesEachCalleeItsRatio_andKeepsTheirOwnIngressShare() {
    // catalog gets 250 of its 350 rps from the frontend; 100 come from outside the mesh.
    Result r = Propagation.compute(
        List.of(new Service("frontend", 200, 100), new Service("catalog", 350, 350),
            new Service("cart", 30, 30)),
        List.of(edge("frontend", "catalog", 2.5, 250), edge("frontend", "cart", 0.3, 30)));
    Demand catalog = r.demands().get("catalog");
    assertThat(catalog.ingressShare()).isCloseTo(100.0 / 350, within(1e-9));
    assertThat(catalog.ingress()).isCloseTo(100, within(1e-9));
    assertThat(catalog.upstream()).isCloseTo(500, within(1e-9));
    assertThat(catalog.total()).isCloseTo(600, within(1e-9));
    assertThat(r.demands().get("cart").total()).isCloseTo(60, within(1e-9));
  }

  @Test
  void diamond_sumsBothPaths() {
    Result r = Propagation.compute(
        List.of(new Service("fe", 100, 100), new Service("a", 250, 250),
            new Service("b", 30, 30), new Service("db", 280, 280)),
        List.of(edge("fe", "a", 2.5, 250), edge("fe", "b", 0.3, 30),
            edge("a", "db", 1.0, 250), edge("b", "db", 1.0, 30)));
    Demand db = r.demands().get("db");
    assertThat(db.total()).isCloseTo(280, within(1e-9));
    assertThat(db.contributions()).hasSize(2);
    assertThat(db.contributions().get(0).edge().source()).isEqualTo("a"); // largest first
  }

  @Test
  void cycle_isCutAtTheEdgeLeadingBack_andItsTrafficStaysInTheOwnForecast() {
    // gateway -> a -> b -> a: the b -> a edge closes the cycle.
    Result r = Propagation.compute(
        List.of(new Service("gateway", 100, 100), new Service("a", 120, 120),
            new Service("b", 40, 40)),
        List.of(edge("gateway", "a", 1.0, 100), edge("a", "b", 0.4, 40),
            edge("b", "a", 0.5, 20)));
    assertThat(r.skipped()).extracting(Skipped::reason).containsExactly(SkipReason.CYCLE);
    assertThat(r.skipped().get(0).edge().source()).isEqualTo("b");
    Demand a = r.demands().get("a");
    // a's 20 rps from b are not explained by a propagating edge: they stay in a's own share.
    assertThat(a.ingressShare()).isCloseTo(20.0 / 120, within(1e-9));
    assertThat(a.total()).isCloseTo(20 + 100, within(1e-9));
    assertThat(r.demands().get("b").total()).isCloseTo(120 * 0.4, within(1e-9));
  }

  @Test
  void cycleWithGainAboveOne_terminates() {
    Result r = Propagation.compute(
        List.of(new Service("a", 10, 10), new Service("b", 10, 10)),
        List.of(edge("a", "b", 3, 10), edge("b", "a", 3, 10)));
    assertThat(r.skipped()).hasSize(1);
    assertThat(r.demands().values()).allSatisfy(d -> assertThat(d.total()).isFinite());
  }

  @Test
  void selfCall_isIgnored() {
    Result r = Propagation.compute(List.of(new Service("svc", 80, 80)),
        List.of(edge("svc", "svc", 0.5, 40)));
    assertThat(r.skipped()).extracting(Skipped::reason).containsExactly(SkipReason.SELF_CALL);
    assertThat(r.demands().get("svc").total()).isEqualTo(80.0);
  }

  @Test
  void unstableEdge_doesNotPropagate_andTheCalleeKeepsItsOwnForecast() {
    Result r = Propagation.compute(
        List.of(new Service("gateway", 500, 100), new Service("backend", 60, 60)),
        List.of(new Edge("gateway", "backend", 0.6, false, 60)));
    assertThat(r.skipped()).extracting(Skipped::reason).containsExactly(SkipReason.UNSTABLE);
    Demand backend = r.demands().get("backend");
    assertThat(backend.total()).isEqualTo(60.0);
    assertThat(backend.upstream()).isEqualTo(0.0);
    assertThat(backend.ingressShare()).isEqualTo(1.0);
  }

  @Test
  void served_neverFallsBelowTheOwnForecast() {
    // The caller forecasts less than the callee already sees (held-back load being released).
    Result r = Propagation.compute(
        List.of(new Service("caller", 100, 100), new Service("callee", 400, 100)),
        List.of(edge("caller", "callee", 1.0, 100)));
    Demand callee = r.demands().get("callee");
    assertThat(callee.total()).isCloseTo(100, within(1e-9));
    assertThat(callee.served()).isEqualTo(400.0);
  }

  @Test
  void invalidRatio_isSkipped() {
    Result r = Propagation.compute(List.of(new Service("a", 1, 1), new Service("b", 1, 1)),
        List.of(new Edge("a", "b", Double.NaN, true, 1)));
    assertThat(r.skipped()).extracting(Skipped::reason)
        .containsExactly(SkipReason.INVALID_RATIO);
  }

  @Test
  void retriesInTheEdgeRate_doNotInflatePropagation() {
    // The ratio comes from CallRatio, which drops retries: a callee failing and retried 3x sees
    // the caller's forecast times the first-attempt ratio.
    CallRatio ratio = new CallRatio(CallRatioSettings.defaults());
    for (int i = 0; i < 10; i++) {
      ratio.observe(100, 200, 150); // 50 first attempts, 150 retries
    }
    CallRatio.Estimate est = ratio.estimate();
    Result r = Propagation.compute(
        List.of(new Service("caller", 400, 100), new Service("callee", 200, 200)),
        List.of(new Edge("caller", "callee", est.ratio(), est.stable(), 50)));
    assertThat(r.demands().get("callee").upstream()).isCloseTo(200, within(1e-9));
  }

  @Test
  void missingNumbers_areExplicit() {
    // The callee has no model yet and only an edge endpoint: callers explain all of it.
    Result r = Propagation.compute(List.of(new Service("caller", 100, 100)),
        List.of(edge("caller", "new", 2, 200)));
    Demand fresh = r.demands().get("new");
    assertThat(fresh.total()).isEqualTo(200.0);
    // A caller nobody knows anything about: NaN, and its edges are reported.
    Result r2 = Propagation.compute(List.of(new Service("callee", 10, 10)),
        List.of(edge("ghost", "callee", 1, 5)));
    assertThat(r2.demands().get("ghost").total()).isNaN();
    assertThat(r2.demands().get("ghost").note()).isNotEmpty();
    assertThat(r2.skipped()).extracting(Skipped::reason)
        .containsExactly(SkipReason.CALLER_UNKNOWN);
    assertThat(r2.demands().get("callee").total()).isEqualTo(10.0);
    // No own forecast but an observation: the ingress share of the observation, with a note.
    Result r3 = Propagation.compute(List.of(new Service("svc", Double.NaN, 40)), List.of());
    assertThat(r3.demands().get("svc").total()).isEqualTo(40.0);
    assertThat(r3.demands().get("svc").note()).contains("no own forecast");
  }

  @Test
  void duplicates_areRefusedByName() {
    assertThatThrownBy(() -> Propagation.compute(
        List.of(new Service("a", 1, 1), new Service("a", 2, 2)), List.of()))
        .hasMessage("duplicate service a");
    assertThatThrownBy(() -> Propagation.compute(List.of(),
        List.of(edge("a", "b", 1, 1), edge("a", "b", 2, 1))))
        .hasMessage("duplicate edge a -> b");
  }
}
