package io.meshcast.adapter.hpa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshcast.adapter.hpa.Pod.Phase;
import io.meshcast.adapter.hpa.ReplicaCalculator.Proposal;
import io.meshcast.adapter.hpa.ReplicaCalculator.Tolerances;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The per-metric formulas of k8s-metrics-api.md §5.4, hand-computed, called directly. The
 * controller around them (metric combination, normalisation, behaviours) is tested through the
 * replay's {@code HorizontalControllerTest} in load-tests.
 */
final class ReplicaCalculatorTest {

  private static final Tolerances TOL = Tolerances.DEFAULT;

  private static List<Pod> running(String... names) {
    return java.util.Arrays.stream(names).map(Pod::running).toList();
  }

  @Test
  void pods_allReporting_ceilOfRatioTimesReadyPods() {
    Proposal p = ReplicaCalculator.podsMetric(Map.of("a", 300L, "b", 301L), running("a", "b"), 2,
        100, TOL);
    // usage = floor(601 / 2) = 300 (Go's truncating division), ratio 3.0
    assertThat(p).isEqualTo(new Proposal(6, 300, 3.0, null));
  }

  @Test
  void pods_missingOnScaleUp_countAsZero() {
    Proposal p = ReplicaCalculator.podsMetric(Map.of("a", 300L, "b", 300L), running("a", "b", "c"),
        3, 100, TOL);
    // {300, 300, 0}: average 200, new ratio 2.0, ceil(2.0 * 3) = 6; usage shown is the first 300
    assertThat(p.replicas()).isEqualTo(6);
    assertThat(p.usage()).isEqualTo(300);
    assertThat(p.ratio()).isEqualTo(3.0);
  }

  @Test
  void pods_missingOnScaleDown_countAsTarget() {
    Proposal p = ReplicaCalculator.podsMetric(Map.of("a", 50L, "b", 50L), running("a", "b", "c"),
        3, 100, TOL);
    // {50, 50, 100}: average floor(200 / 3) = 66, ceil(0.66 * 3) = 2
    assertThat(p.replicas()).isEqualTo(2);
  }

  @Test
  void pods_pendingOnScaleUp_countAsZero_deletingIgnored() {
    List<Pod> pods = List.of(Pod.running("a"), new Pod("b", Phase.PENDING, false, false),
        new Pod("c", Phase.RUNNING, true, true));
    Proposal p = ReplicaCalculator.podsMetric(Map.of("a", 300L, "b", 900L, "c", 900L), pods, 3,
        100, TOL);
    // c is ignored; b is unready and scale-up: {300, 0}, ratio 1.5, ceil(1.5 * 2) = 3
    assertThat(p.replicas()).isEqualTo(3);
  }

  @Test
  void pods_withoutPodsOrMetrics_areInvalid() {
    assertThat(ReplicaCalculator.podsMetric(Map.of("a", 1L), List.of(), 1, 100, TOL).valid())
        .isFalse();
    Proposal p = ReplicaCalculator.podsMetric(Map.of(),
        List.of(new Pod("a", Phase.PENDING, false, false)), 1, 100, TOL);
    assertThat(p.valid()).isFalse();
    assertThat(p.error()).contains("did not receive metrics");
  }

  @Test
  void value_multipliesByReadyRunningPods_andScalesFromZero() {
    List<Pod> pods = List.of(Pod.running("a"), Pod.running("b"),
        new Pod("c", Phase.RUNNING, false, false));
    assertThat(ReplicaCalculator.valueMetric(300, pods, 3, 100, TOL).replicas()).isEqualTo(6);
    assertThat(ReplicaCalculator.valueMetric(105, pods, 3, 100, TOL).replicas()).isEqualTo(3);
    assertThat(ReplicaCalculator.valueMetric(250, List.of(), 0, 100, TOL).replicas())
        .isEqualTo(3);
    assertThat(ReplicaCalculator.valueMetric(300, List.of(), 3, 100, TOL).valid()).isFalse();
  }

  @Test
  void averageValue_usesStatusReplicas_andShowsPerReplicaUsage() {
    Proposal p = ReplicaCalculator.averageValueMetric(1000, 2, 100, TOL);
    assertThat(p).isEqualTo(new Proposal(10, 500, 5.0, null));
    assertThat(ReplicaCalculator.averageValueMetric(210, 2, 100, TOL).replicas()).isEqualTo(2);
  }

  @Test
  void tolerances_perDirection() {
    Tolerances t = new Tolerances(0.05, 0.2);
    assertThat(t.isWithin(0.95)).isTrue();
    assertThat(t.isWithin(0.94)).isFalse();
    assertThat(t.isWithin(1.2)).isTrue();
    assertThat(t.isWithin(1.21)).isFalse();
    assertThat(t.isWithin(Double.NaN)).isFalse();
  }

  @Test
  void milli_matchesQuantityMilliValue() {
    assertThat(ReplicaCalculator.milli(0.7)).isEqualTo(700);
    assertThat(ReplicaCalculator.milli(70)).isEqualTo(70_000);
    assertThat(ReplicaCalculator.milli(0.0015)).isEqualTo(2); // rounded up, as MilliValue does
    assertThat(ReplicaCalculator.milli(-0.0015)).isEqualTo(-2); // away from zero
    assertThatThrownBy(() -> ReplicaCalculator.milli(Double.NaN))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NaN");
  }

  @Test
  void limitsAndCaps() {
    assertThat(ReplicaCalculator.scaleUpLimit(1)).isEqualTo(4);
    assertThat(ReplicaCalculator.scaleUpLimit(3)).isEqualTo(6);
    assertThat(ReplicaCalculator.saturatedSum(List.of(Long.MAX_VALUE, 1L)))
        .isEqualTo(Long.MAX_VALUE);
    assertThat(ReplicaCalculator.saturatedSum(List.of(1L, 2L))).isEqualTo(3);
    assertThat(ReplicaCalculator.ceilToInt(1e12)).isEqualTo(Integer.MAX_VALUE);
    assertThat(ReplicaCalculator.ceilToInt(2.1)).isEqualTo(3);
  }
}
