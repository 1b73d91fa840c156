package io.meshcast.loadtest.hpa;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshcast.adapter.hpa.Pod;
import io.meshcast.adapter.hpa.Pod.Phase;
import io.meshcast.loadtest.hpa.HpaSpec.Behavior;
import io.meshcast.loadtest.hpa.HpaSpec.Metric;
import io.meshcast.loadtest.hpa.HpaSpec.Policy;
import io.meshcast.loadtest.hpa.HpaSpec.PolicyType;
import io.meshcast.loadtest.hpa.HpaSpec.Rules;
import io.meshcast.loadtest.hpa.HpaSpec.SelectPolicy;
import io.meshcast.loadtest.hpa.HpaSpec.TargetType;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Hand-worked cases for the tricky branches of §5; each comment shows the arithmetic. */
final class HorizontalControllerTest {

  /** A clock the test advances; the controller reads it once per reconcile. */
  static final class FakeClock extends Clock {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");

    void advanceSeconds(long s) {
      now = now.plusSeconds(s);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }

  private final FakeClock clock = new FakeClock();

  private static List<Pod> runningPods(int n) {
    List<Pod> pods = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      pods.add(new Pod("p" + i, Phase.RUNNING, true, false));
    }
    return pods;
  }

  /** Every running pod reports the same per-pod value. */
  private static MetricReading uniform(int pods, long milli) {
    Map<String, Long> m = new HashMap<>();
    for (int i = 0; i < pods; i++) {
      m.put("p" + i, milli);
    }
    return MetricReading.pods(m);
  }

  private static ScaleTarget scale(int replicas) {
    return new ScaleTarget(replicas, replicas, runningPods(replicas));
  }

  private HorizontalController podsHpa(int min, int max, Behavior behavior) {
    return new HorizontalController(
        new HpaSpec(min, max, List.of(Metric.pods("rps", 1.0)), behavior),
        ControllerConfig.defaults(), clock);
  }

  /** Behavior that only rate-limits scale-down by the given policy, with no stabilisation. */
  private static Behavior downPolicy(Policy p) {
    return new Behavior(null, new Rules(0, null, List.of(p), null));
  }

  @Test
  void docCrossCheck_tenPercentPerMinute_scalesEightyToSeventyTwoToSixtyFour() {
    // k8s docs "Scaling policies": 80 replicas, Percent 10 / 60 s → 80 → 72 → 64.
    HorizontalController hpa = podsHpa(1, 100, downPolicy(new Policy(PolicyType.PERCENT, 10, 60)));
    int replicas = 80;
    List<Integer> seen = new ArrayList<>();
    for (int sync = 0; sync <= 8; sync++) { // 0, 15, ..., 120 s
      ReconcileResult r = hpa.reconcile(scale(replicas), List.of(uniform(replicas, 100)));
      if (r.rescale()) {
        replicas = r.desiredReplicas();
        seen.add(replicas);
      }
      clock.advanceSeconds(15);
    }
    // t=0: int(80 × 0.9) = 72. t=15..45: period start 72 + 8 = 80 → 72, no change.
    // t=60: the event at t=0 is not After(60 s ago) → start 72 → int(64.8) = 64. t=120: 57.
    assertThat(seen).containsExactly(72, 64, 57);
  }

  @Test
  void docCrossCheck_scaleDownHappensExactlyAtSixtySeconds() {
    HorizontalController hpa = podsHpa(1, 100, downPolicy(new Policy(PolicyType.PERCENT, 10, 60)));
    assertThat(hpa.reconcile(scale(80), List.of(uniform(80, 100))).desiredReplicas()).isEqualTo(72);
    clock.advanceSeconds(59);
    ReconcileResult early = hpa.reconcile(scale(72), List.of(uniform(72, 100)));
    assertThat(early.rescale()).isFalse();
    assertThat(early.limitReason()).isEqualTo("ScaleDownLimit");
    clock.advanceSeconds(1);
    assertThat(hpa.reconcile(scale(72), List.of(uniform(72, 100))).desiredReplicas()).isEqualTo(64);
  }

  @ParameterizedTest(name = "per-pod {0}m vs target 1000m on 10 pods → {1}")
  @CsvSource({
    "1050, 10", // ratio 1.05 within 0.1
    "1100, 10", // ratio 1.1 == 1 + 0.1 in doubles: isWithin is inclusive
    "1101, 12", // ceil(1.101 × 10) = ceil(11.01) = 12
    "900, 10", // ratio 0.9 == 1 - 0.1 in doubles: inclusive
    "899, 9", // ceil(0.899 × 10) = ceil(8.99) = 9
  })
  void tolerance_isInclusiveOnBothEnds(long perPod, int expected) {
    HorizontalController hpa = podsHpa(1, 100, null);
    ReconcileResult r = hpa.reconcile(scale(10), List.of(uniform(10, perPod)));
    assertThat(r.metricReplicas()).isEqualTo(expected);
  }

  @Test
  void tolerance_perDirectionFromBehavior_overridesClusterDefault() {
    // scaleUp tolerance 0 → ratio 1.05 on 4 pods proposes ceil(4.2) = 5.
    Behavior b = new Behavior(new Rules(null, null, null, 0.0), null);
    HorizontalController hpa = podsHpa(1, 100, b);
    ReconcileResult r = hpa.reconcile(scale(4), List.of(uniform(4, 1050)));
    assertThat(r.metricReplicas()).isEqualTo(5);
    assertThat(r.desiredReplicas()).isEqualTo(5);
  }

  @Test
  void podsMetric_usesTruncatingIntegerAverage() {
    // 3 pods: 1000 + 1000 + 1301 = 3301 / 3 = 1100 (int64 division) → ratio 1.1 → within.
    HorizontalController hpa = podsHpa(1, 100, null);
    ReconcileResult r = hpa.reconcile(scale(3),
        List.of(MetricReading.pods(Map.of("p0", 1000L, "p1", 1000L, "p2", 1301L))));
    assertThat(r.metricReplicas()).isEqualTo(3);
  }

  @Test
  void missingPods_onScaleUp_countAsZero() {
    // 3 pods at 2000m + 1 without metrics: ratio 2 → missing = 0 → avg 6000/4 = 1500 → 1.5
    // → ceil(1.5 × 4) = 6.
    HorizontalController hpa = podsHpa(1, 100, null);
    ReconcileResult r = hpa.reconcile(scale(4),
        List.of(MetricReading.pods(Map.of("p0", 2000L, "p1", 2000L, "p2", 2000L))));
    assertThat(r.metricReplicas()).isEqualTo(6);
    assertThat(r.desiredReplicas()).isEqualTo(6);
  }

  @Test
  void missingPods_onScaleDown_countAsTarget() {
    // 3 pods at 500m + 1 missing: ratio 0.5 → missing = 1000 → avg 2500/4 = 625 → ceil(2.5) = 3.
    HorizontalController hpa = podsHpa(1, 100, null);
    ReconcileResult r = hpa.reconcile(scale(4),
        List.of(MetricReading.pods(Map.of("p0", 500L, "p1", 500L, "p2", 500L))));
    assertThat(r.metricReplicas()).isEqualTo(3);
  }

  @Test
  void missingPods_flipDirection_keepsCurrent() {
    // 1 pod at 1500m + 3 missing: ratio 1.5 → missing = 0 → avg 375 → 0.375 < 1: a flip → 4.
    HorizontalController hpa = podsHpa(1, 100, null);
    ReconcileResult r = hpa.reconcile(scale(4), List.of(MetricReading.pods(Map.of("p0", 1500L))));
    assertThat(r.metricReplicas()).isEqualTo(4);
  }

  @Test
  void pendingPods_onScaleUp_countAsZero_andDeletingPodsAreIgnored() {
    // p0,p1 running at 3000m; p2,p3 Pending; p4 terminating (its metric is dropped).
    // ratio 3 with unready → unready = 0 → avg 6000/4 = 1500 → ceil(1.5 × 4) = 6.
    List<Pod> pods = List.of(
        new Pod("p0", Phase.RUNNING, true, false), new Pod("p1", Phase.RUNNING, true, false),
        new Pod("p2", Phase.PENDING, false, false), new Pod("p3", Phase.PENDING, false, false),
        new Pod("p4", Phase.RUNNING, true, true));
    HorizontalController hpa = podsHpa(1, 100, null);
    ReconcileResult r = hpa.reconcile(new ScaleTarget(5, 5, pods),
        List.of(MetricReading.pods(Map.of("p0", 3000L, "p1", 3000L, "p4", 9000L))));
    assertThat(r.metricReplicas()).isEqualTo(6);
  }

  @Test
  void pendingPods_onScaleDown_areLeftOut() {
    // 2 running at 400m, 2 Pending: ratio 0.4, no scale-up → ceil(0.4 × readyPodCount 2) = 1.
    List<Pod> pods = List.of(
        new Pod("p0", Phase.RUNNING, true, false), new Pod("p1", Phase.RUNNING, true, false),
        new Pod("p2", Phase.PENDING, false, false), new Pod("p3", Phase.PENDING, false, false));
    HorizontalController hpa = podsHpa(1, 100, null);
    ReconcileResult r = hpa.reconcile(new ScaleTarget(4, 4, pods),
        List.of(MetricReading.pods(Map.of("p0", 400L, "p1", 400L))));
    assertThat(r.metricReplicas()).isEqualTo(1);
  }

  @Test
  void allMetricsFailed_noScaling() {
    HorizontalController hpa = podsHpa(1, 100, null);
    ReconcileResult r = hpa.reconcile(scale(4), List.of(MetricReading.failed("timeout")));
    assertThat(r.metricReplicas()).isEqualTo(-1);
    assertThat(r.rescale()).isFalse();
    assertThat(r.desiredReplicas()).isEqualTo(4);
    assertThat(r.metricErrors()).containsExactly("rps: timeout");
  }

  @Test
  void podsMetricWithoutItems_isInvalid() {
    HorizontalController hpa = podsHpa(1, 100, null);
    assertThat(hpa.reconcile(scale(4), List.of(MetricReading.pods(Map.of()))).metricReplicas())
        .isEqualTo(-1);
  }

  @Test
  void someMetricsFailed_scaleDownBlocked_scaleUpAllowed() {
    HpaSpec spec = new HpaSpec(1, 100,
        List.of(Metric.pods("rps", 1.0), Metric.external("queue", TargetType.AVERAGE_VALUE, 1.0)),
        null);
    HorizontalController hpa = new HorizontalController(spec, ControllerConfig.defaults(), clock);
    // valid metric proposes ceil(0.5 × 4) = 2 < 4 with one invalid → -1, no scaling.
    ReconcileResult down = hpa.reconcile(scale(4),
        List.of(uniform(4, 500), MetricReading.failed("no data")));
    assertThat(down.metricReplicas()).isEqualTo(-1);
    assertThat(down.rescale()).isFalse();
    // valid metric proposes ceil(2 × 4) = 8 ≥ 4 → scales despite the invalid one.
    clock.advanceSeconds(15);
    ReconcileResult up = hpa.reconcile(scale(4),
        List.of(uniform(4, 2000), MetricReading.failed("no data")));
    assertThat(up.desiredReplicas()).isEqualTo(8);
  }

  @Test
  void multipleMetrics_takeTheMaximum() {
    HpaSpec spec = new HpaSpec(1, 100,
        List.of(Metric.pods("rps", 1.0), Metric.external("queue", TargetType.AVERAGE_VALUE, 1.0)),
        null);
    HorizontalController hpa = new HorizontalController(spec, ControllerConfig.defaults(), clock);
    // pods: ceil(1.5 × 4) = 6; external: ceil(7000/1000) = 7 → 7.
    ReconcileResult r = hpa.reconcile(scale(4),
        List.of(uniform(4, 1500), MetricReading.external(7000)));
    assertThat(r.metricReplicas()).isEqualTo(7);
  }

  @Test
  void externalAverageValue_usesStatusReplicas() {
    HpaSpec spec = new HpaSpec(1, 100,
        List.of(Metric.external("rps", TargetType.AVERAGE_VALUE, 1.0)), null);
    HorizontalController hpa = new HorizontalController(spec, ControllerConfig.defaults(), clock);
    // spec 4 but status 2: ratio 2500 / (1000 × 2) = 1.25 → ceil(2500/1000) = 3.
    ReconcileResult r = hpa.reconcile(new ScaleTarget(4, 2, runningPods(2)),
        List.of(MetricReading.external(2500)));
    assertThat(r.metricReplicas()).isEqualTo(3);
    // ratio 2100 / 2000 = 1.05 within → statusReplicas (2), not spec.
    assertThat(new HorizontalController(spec, ControllerConfig.defaults(), clock)
        .reconcile(new ScaleTarget(4, 2, runningPods(2)), List.of(MetricReading.external(2100)))
        .metricReplicas()).isEqualTo(2);
  }

  @Test
  void externalValue_sumsItems_andMultipliesByReadyRunningPods() {
    HpaSpec spec = new HpaSpec(1, 100,
        List.of(Metric.external("rps", TargetType.VALUE, 1.0)), null);
    HorizontalController hpa = new HorizontalController(spec, ControllerConfig.defaults(), clock);
    List<Pod> pods = List.of(
        new Pod("p0", Phase.RUNNING, true, false), new Pod("p1", Phase.RUNNING, true, false),
        new Pod("p2", Phase.RUNNING, false, false));
    // usage 1000 + 2000 = 3000 → ratio 3 → ceil(3 × 2 ready) = 6.
    ReconcileResult r = hpa.reconcile(new ScaleTarget(3, 3, pods),
        List.of(new MetricReading.ExternalValues(List.of(1000L, 2000L))));
    assertThat(r.metricReplicas()).isEqualTo(6);
  }

  @Test
  void objectValue_scaleFromZero_usesCeilRatio() {
    HpaSpec spec = new HpaSpec(0, 100,
        List.of(Metric.object("rps", TargetType.VALUE, 1.0)), null);
    HorizontalController hpa = new HorizontalController(spec, ControllerConfig.defaults(), clock);
    ReconcileResult r = hpa.reconcile(new ScaleTarget(0, 0, List.of()),
        List.of(new MetricReading.ObjectValue(2500)));
    assertThat(r.desiredReplicas()).isEqualTo(3);
  }

  @Test
  void zeroReplicasWithPositiveMin_scalingDisabled() {
    HorizontalController hpa = podsHpa(1, 100, null);
    ReconcileResult r = hpa.reconcile(new ScaleTarget(0, 0, List.of()), List.of(uniform(0, 0)));
    assertThat(r.rescale()).isFalse();
    assertThat(r.limitReason()).isEqualTo("ScalingDisabled");
  }

  @Test
  void outsideMinMax_isClampedWithoutMetrics() {
    HorizontalController hpa = podsHpa(2, 10, null);
    assertThat(hpa.reconcile(scale(12), List.of(MetricReading.failed("x"))).desiredReplicas())
        .isEqualTo(10);
    assertThat(hpa.reconcile(scale(1), List.of(MetricReading.failed("x"))).desiredReplicas())
        .isEqualTo(2);
  }

  @Test
  void legacy_downscaleStabilization_holdsFiveMinutesInclusive() {
    // Initial recommendation (10, t0) holds 10 while it is not Before(now − 5 min).
    HorizontalController hpa = podsHpa(1, 100, null);
    int replicas = 10;
    int scaledDownAt = -1;
    for (int t = 0; t <= 330; t += 15) {
      ReconcileResult r = hpa.reconcile(scale(replicas), List.of(uniform(replicas, 500)));
      if (r.rescale()) {
        scaledDownAt = t;
        replicas = r.desiredReplicas();
        break;
      }
      assertThat(r.limitReason()).isEqualTo("ScaleDownStabilized");
      clock.advanceSeconds(15);
    }
    // t=300: the t=0 records sit exactly at the cutoff and still count; t=315: they age out.
    assertThat(scaledDownAt).isEqualTo(315);
    assertThat(replicas).isEqualTo(5);
  }

  @Test
  void legacy_scaleUpLimit_isMaxOfDoubleAndFour() {
    HorizontalController hpa = podsHpa(1, 100, null);
    // ratio 20 on 3 pods → 60 proposed, limit max(6, 4) = 6.
    ReconcileResult r = hpa.reconcile(scale(3), List.of(uniform(3, 20000)));
    assertThat(r.desiredReplicas()).isEqualTo(6);
    assertThat(r.limitReason()).isEqualTo("ScaleUpLimit");
    // on 1 pod the floor of 4 applies
    ReconcileResult one = podsHpa(1, 100, null).reconcile(scale(1), List.of(uniform(1, 20000)));
    assertThat(one.desiredReplicas()).isEqualTo(4);
    // maxReplicas below the limit → TooManyReplicas
    ReconcileResult capped = podsHpa(1, 5, null).reconcile(scale(3), List.of(uniform(3, 20000)));
    assertThat(capped.desiredReplicas()).isEqualTo(5);
    assertThat(capped.limitReason()).isEqualTo("TooManyReplicas");
  }

  @Test
  void behaviorDefaults_scaleUpByMaxOfFourPodsAndHundredPercentPer15s() {
    HorizontalController hpa = podsHpa(1, 100, new Behavior(null, null));
    int replicas = 10;
    List<Integer> seen = new ArrayList<>();
    for (int sync = 0; sync < 4; sync++) {
      // demand fixed at 50 pods' worth: 50000m total
      ReconcileResult r = hpa.reconcile(scale(replicas), List.of(uniform(replicas, 50000 / replicas)));
      if (r.rescale()) {
        replicas = r.desiredReplicas();
        seen.add(replicas);
      }
      clock.advanceSeconds(15);
    }
    // t=0: max(10 + 4, ceil(10 × 2)) = 20. t=15: the +10 event is not After(t0) → start 20 → 40.
    // t=30: 80 ≥ 50 → 50.
    assertThat(seen).containsExactly(20, 40, 50);
  }

  @Test
  void behavior_minSelectPolicy_takesTheSmallestChange() {
    Behavior b = new Behavior(new Rules(null, SelectPolicy.MIN, null, null), null);
    ReconcileResult r = podsHpa(1, 100, b).reconcile(scale(10), List.of(uniform(10, 5000)));
    // min(10 + 4, 20) = 14
    assertThat(r.desiredReplicas()).isEqualTo(14);
    assertThat(r.limitReason()).isEqualTo("ScaleUpLimit");
  }

  @Test
  void behavior_disabledScaleDown_neverScalesDown() {
    Behavior b = new Behavior(null, new Rules(0, SelectPolicy.DISABLED, null, null));
    HorizontalController hpa = podsHpa(1, 100, b);
    ReconcileResult r = hpa.reconcile(scale(10), List.of(uniform(10, 100)));
    assertThat(r.rescale()).isFalse();
    assertThat(r.desiredReplicas()).isEqualTo(10);
  }

  @Test
  void behavior_podsPolicy_countsEventsInsidePeriodOnly() {
    // scaleDown: at most 2 pods per 60 s, no stabilisation; demand wants 1 pod.
    HorizontalController hpa = podsHpa(1, 100, downPolicy(new Policy(PolicyType.PODS, 2, 60)));
    int replicas = 10;
    List<String> trace = new ArrayList<>();
    for (int t = 0; t <= 120; t += 15) {
      ReconcileResult r = hpa.reconcile(scale(replicas), List.of(uniform(replicas, 50)));
      if (r.rescale()) {
        replicas = r.desiredReplicas();
        trace.add(t + ":" + replicas);
      }
      clock.advanceSeconds(15);
    }
    assertThat(trace).containsExactly("0:8", "60:6", "120:4");
  }

  @Test
  void behavior_scaleDownStabilizationWindow_usesMaxOfRecentRecommendations() {
    // window 60 s; recommendations 10 (initial), then 4 at every sync.
    Behavior b = new Behavior(null, new Rules(60, null, null, null));
    HorizontalController hpa = podsHpa(1, 100, b);
    int replicas = 10;
    int scaledAt = -1;
    for (int t = 0; t <= 90; t += 15) {
      ReconcileResult r = hpa.reconcile(scale(replicas), List.of(uniform(replicas, 400)));
      if (r.rescale()) {
        scaledAt = t;
        replicas = r.desiredReplicas();
        break;
      }
      clock.advanceSeconds(15);
    }
    // At t=60 the t=0 record is not After(cutoff = 0) → excluded (strict, unlike legacy).
    assertThat(scaledAt).isEqualTo(60);
    assertThat(replicas).isEqualTo(4);
  }

  @Test
  void behavior_scaleUpStabilizationWindow_usesMinOfRecentRecommendations() {
    Behavior b = new Behavior(new Rules(30, null, null, null), null);
    HorizontalController hpa = podsHpa(1, 100, b);
    // t=0: recs {4 (initial)}; desired 8 → up = min(8, 4) = 4 → stays.
    assertThat(hpa.reconcile(scale(4), List.of(uniform(4, 2000))).rescale()).isFalse();
    clock.advanceSeconds(15);
    // t=15: recs {4@0, 8@0} both After(-15) → min 4 → stays.
    assertThat(hpa.reconcile(scale(4), List.of(uniform(4, 2000))).rescale()).isFalse();
    clock.advanceSeconds(15);
    // t=30: cutoff 0 → t=0 records excluded; {8@15} → 8.
    assertThat(hpa.reconcile(scale(4), List.of(uniform(4, 2000))).desiredReplicas()).isEqualTo(8);
  }

  @Test
  void proposalAdjuster_seesTheMetricProposal_andFeedsNormalisation() {
    List<Integer> seen = new ArrayList<>();
    HorizontalController hpa = new HorizontalController(
        new HpaSpec(1, 100, List.of(Metric.pods("rps", 1.0)), null),
        ControllerConfig.defaults(), clock,
        (now, proposal, current) -> {
          seen.add(proposal);
          return proposal + 1;
        });
    ReconcileResult r = hpa.reconcile(scale(4), List.of(uniform(4, 1500)));
    assertThat(seen).containsExactly(6);
    assertThat(r.desiredReplicas()).isEqualTo(7);
  }
}
