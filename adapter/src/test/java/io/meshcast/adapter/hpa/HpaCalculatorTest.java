package io.meshcast.adapter.hpa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshcast.adapter.hpa.HpaCalculator.Kind;
import io.meshcast.adapter.hpa.ReplicaCalculator.Tolerances;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The /debug what-if: ReplicaCalculator's formulas for all-ready pods, then the legacy clamp. */
final class HpaCalculatorTest {

  /** Hand-computed from k8s-metrics-api.md §5.4 and §5.6. */
  @ParameterizedTest(name = "{0} usage={1} target={2} current={3} -> {6}")
  @CsvSource({
    // Object Value: ceil(usage/T * ready)
    "OBJECT_VALUE, 300, 100, 2, 1, 10, 4",      // proposes 6, scale-up limit max(2*2, 4)
    "OBJECT_VALUE, 300, 100, 3, 1, 10, 6",
    "OBJECT_VALUE, 105, 100, 3, 1, 10, 3",      // within tolerance
    "OBJECT_VALUE, 50, 100, 4, 1, 10, 2",
    // Object AverageValue: ratio = usage/(T*current); ceil(usage/T)
    "OBJECT_AVERAGE_VALUE, 250, 100, 2, 1, 10, 3",
    "OBJECT_AVERAGE_VALUE, 210, 100, 2, 1, 10, 2", // 210/200 = 1.05 within
    "EXTERNAL_AVERAGE_VALUE, 1000, 100, 2, 1, 10, 4", // ceil 10, scale-up limit max(4, 4)
    "EXTERNAL_AVERAGE_VALUE, 1000, 100, 5, 1, 8, 8",  // limit 10, max 8
    "EXTERNAL_VALUE, 20, 100, 5, 2, 10, 2",           // ceil(0.2*5)=1, min 2
    // Pods AverageValue: usage is the mean per pod
    "PODS_AVERAGE_VALUE, 30, 20, 4, 1, 20, 6",
    "PODS_AVERAGE_VALUE, 0.5, 0.4, 3, 1, 20, 4",      // milli: 500/400 = 1.25 -> ceil(3.75)
  })
  void replicas_matchTheControllerFormulas(Kind kind, double usage, double target, int current,
      int min, int max, long expected) {
    assertThat(HpaCalculator.replicas(kind, usage, target, current, min, max).desired())
        .isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({"0.9, true", "1.1, true", "0.89, false", "1.11, false"})
  void tolerance_isInclusive(double ratio, boolean within) {
    assertThat(Tolerances.DEFAULT.isWithin(ratio)).isEqualTo(within);
  }

  @ParameterizedTest
  @CsvSource({"0, 2, 1, 10", "10, 0, 1, 10", "10, 2, 5, 3"})
  void badInput_rejectedWithMessage(double target, int current, int min, int max) {
    assertThatThrownBy(() -> HpaCalculator.replicas(Kind.OBJECT_VALUE, 1, target, current, min,
        max)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("target > 0");
  }

  @Test
  void result_showsUsageRatioAndProposalBeforeClamping() {
    HpaCalculator.Result r = HpaCalculator.replicas(Kind.OBJECT_VALUE, 300, 100, 2, 1, 10);
    assertThat(r).isEqualTo(new HpaCalculator.Result(300, 3.0, 6, 4));
  }

  @Test
  void nanUsage_isShownAsNaN_andKeepsTheCurrentCount() {
    HpaCalculator.Result r = HpaCalculator.replicas(Kind.PODS_AVERAGE_VALUE, Double.NaN, 1, 3, 1,
        10);
    assertThat(r.ratio()).isNaN();
    assertThat(r.proposed()).isEqualTo(3);
    assertThat(r.desired()).isEqualTo(3);
  }
}
