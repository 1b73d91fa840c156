package io.meshcast.loadtest.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshcast.loadtest.hpa.ControllerConfig;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Invariants of the closed loop on a synthetic ramp-and-spike trace. */
final class SimulationTest {

  /** 3 h per minute: flat, a ramp to 10×, a one-minute spike, then back down. */
  private static Trace syntheticTrace() {
    double[] v = new double[180];
    for (int m = 0; m < v.length; m++) {
      v[m] = m < 60 ? 600 : m < 90 ? 600 + (m - 60) * 180 : m == 120 ? 9000 : m < 140 ? 6000 : 600;
    }
    return new Trace("synthetic", Instant.parse("2020-01-01T00:00:00Z"), 60, v, 0);
  }

  private static ReplayConfig config(int min, int max) {
    return new ReplayConfig(1500, 100, 5, 90, 250, 5, 0.7, min, max, 1, 0, 15, 60, 15,
        ControllerConfig.defaults(), null);
  }

  @Test
  void replicasStayWithinMinAndMax_andRespondToTheRamp() {
    Trace t = syntheticTrace();
    ReplayConfig cfg = new ReplayConfig(1500, 100, 5, 90, 250, 5, 0.7, 2, 20, 1, 0, 15, 60, 15,
        ControllerConfig.defaults(), null);
    Demand d = Demand.of(t, cfg.peakRps(), cfg.seed());
    Timeline tl = Simulation.run(d, cfg, new ReactivePolicy(), t.start());
    double maxPods = 0;
    for (int m = 0; m < tl.minutes; m++) {
      double pods = tl.podSeconds[m] / 60;
      assertThat(pods).isBetween(2.0, 20.0);
      assertThat(tl.readySeconds[m]).isLessThanOrEqualTo(tl.podSeconds[m]);
      assertThat(tl.dropped[m]).isLessThanOrEqualTo(tl.arrivals[m] + 100 * 20 * 5 * 60);
      maxPods = Math.max(maxPods, pods);
    }
    // the plateau is 1000 rps → ceil(1000 / 70) = 15 pods; the spike asks for more than 20
    assertThat(maxPods).isGreaterThanOrEqualTo(15.0);
    assertThat(tl.scaleEvents).isPositive();
  }

  @Test
  void ampleFixedCapacity_hasNoViolations_starvedCapacity_violatesEveryBusyMinute() {
    Trace t = syntheticTrace();
    ReplayConfig ample = config(25, 25);
    Demand d = Demand.of(t, ample.peakRps(), ample.seed());
    Timeline ok = Simulation.run(d, ample, new ReactivePolicy(), t.start());
    assertThat(ok.sloViolationMinutes()).isZero();
    assertThat(ok.replicaHours()).isCloseTo(75.0, org.assertj.core.api.Assertions.within(1e-9));
    // 1 pod = 100 rps of capacity; from the ramp's 2nd half on demand exceeds it
    ReplayConfig starved = new ReplayConfig(1000, 100, 5, 90, 250, 5, 0.7, 1, 1, 1, 0, 15, 60,
        15, ControllerConfig.defaults(), null);
    Timeline bad = Simulation.run(Demand.of(t, 1000, 1), starved, new ReactivePolicy(), t.start());
    int overloaded = 0;
    for (int m = 0; m < bad.minutes; m++) {
      if (bad.demandRate[m] > 100) {
        overloaded++;
        assertThat(bad.violated(m)).as("minute %d at %.0f rps on 100 rps", m, bad.demandRate[m])
            .isTrue();
      }
    }
    assertThat(overloaded).isGreaterThan(60);
    assertThat(bad.sloViolationMinutes()).isGreaterThanOrEqualTo(overloaded);
    assertThat(bad.droppedRequests()).isPositive();
  }

  @Test
  void oracle_isNoWorseThanReactive_onTheRamp() {
    Trace t = syntheticTrace();
    ReplayConfig cfg = new ReplayConfig(1500, 100, 5, 90, 250, 5, 0.7, 2, 50, 1, 0, 15, 60, 15,
        ControllerConfig.defaults(), null);
    Demand d = Demand.of(t, cfg.peakRps(), cfg.seed());
    Timeline reactive = Simulation.run(d, cfg, new ReactivePolicy(), t.start());
    Timeline oracle = Simulation.run(d, cfg, new OraclePolicy(d, cfg.leadSeconds()), t.start());
    assertThat(reactive.sloViolationMinutes()).isPositive(); // the ramp outruns a reactive HPA
    assertThat(oracle.sloViolationMinutes()).isLessThan(reactive.sloViolationMinutes());
  }

  @Test
  void behaviorDefaults_path_alsoScalesWithinBounds() {
    Trace t = syntheticTrace();
    ReplayConfig cfg = new ReplayConfig(1500, 100, 5, 90, 250, 5, 0.7, 2, 20, 1, 0, 15, 60, 15,
        ControllerConfig.defaults(), new io.meshcast.loadtest.hpa.HpaSpec.Behavior(null, null));
    Demand d = Demand.of(t, cfg.peakRps(), cfg.seed());
    Timeline tl = Simulation.run(d, cfg, new ReactivePolicy(), t.start());
    double maxPods = 0;
    for (int m = 0; m < tl.minutes; m++) {
      assertThat(tl.podSeconds[m] / 60).isBetween(2.0, 20.0);
      maxPods = Math.max(maxPods, tl.podSeconds[m] / 60);
    }
    assertThat(maxPods).isGreaterThanOrEqualTo(15.0);
  }
}
