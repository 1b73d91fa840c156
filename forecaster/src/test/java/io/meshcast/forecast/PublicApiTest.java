package io.meshcast.forecast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The benchmark-facing part of the API: fixed-parameter models and the backtest. */
class PublicApiTest {

  @Test
  void model_runsTheSpecifiedRecursion() {
    // alpha = 0.5, y = 3, 5, 9, 20: level = 3, 4, 6.5, 13.25 (as in the smoothing golden test)
    final FixedModel ses = Forecasters.model(new ModelSpec.Ses(0.5));
    final double[] y = {3, 5, 9, 20};
    final double[] level = {3, 4, 6.5, 13.25};
    assertThat(ses.forecast(1)).isNaN();
    for (int i = 0; i < y.length; i++) {
      ses.update(y[i]);
      assertThat(ses.forecast(1)).isCloseTo(level[i], within(1e-12));
    }
    ses.update(Double.NaN);
    assertThat(ses.forecast(3)).isCloseTo(13.25, within(1e-12));
    assertThat(ses.name()).isEqualTo("ses");
    assertThatThrownBy(() -> ses.forecast(0)).hasMessageContaining("h must be >= 1, was 0");
  }

  @Test
  void model_log1pAndCombinationCompose() {
    final FixedModel log = Forecasters.model(new ModelSpec.Log1p(new ModelSpec.Naive()));
    log.update(9);
    assertThat(log.forecast(1)).isCloseTo(9, within(1e-12));
    assertThat(log.name()).isEqualTo("naive/log1p");

    // weights 1:3 at h = 1 and 3:1 at h = 3, interpolated to 1:1 at h = 2
    final FixedModel combo = Forecasters.model(new ModelSpec.Combination(
        List.of(new ModelSpec.Naive(), new ModelSpec.SeasonalNaive(2)), List.of(1, 3),
        List.of(List.of(1.0, 3.0), List.of(3.0, 1.0))));
    combo.update(10);
    combo.update(20); // naive: 20; seasonal naive (period 2): 10 at h = 1, 20 at h = 2
    assertThat(combo.forecast(1)).isCloseTo(0.25 * 20 + 0.75 * 10, within(1e-12));
    assertThat(combo.forecast(2)).isCloseTo(20, within(1e-12));
  }

  @Test
  void modelSpec_rejectsInvalidParametersWhereWritten() {
    assertThatThrownBy(() -> new ModelSpec.Ses(0)).hasMessageContaining("alpha must be in (0, 1]");
    assertThatThrownBy(() -> new ModelSpec.DampedHolt(0.5, 1.5, 0.9))
        .hasMessageContaining("beta must be in [0, 1], was 1.5");
    assertThatThrownBy(() -> new ModelSpec.SeasonalNaive(1))
        .hasMessageContaining("period must be >= 2, was 1");
    assertThatThrownBy(() -> new ModelSpec.HoltWinters(0.2, 0, 1, List.of(4), List.of(0.1),
        List.of(1.0, 2.0))).hasMessageContaining("need at least max(periods) = 4 initial points");
    assertThatThrownBy(() -> new ModelSpec.HoltWinters(0.2, 0, 1, List.of(2, 3, 4),
        List.of(0.1, 0.1, 0.1), List.of(1.0, 2.0, 3.0, 4.0)))
        .hasMessageContaining("need 1 or 2 periods");
    assertThatThrownBy(() -> new ModelSpec.Combination(List.of(new ModelSpec.Naive()),
        List.of(1), List.of(List.of(0.0)))).hasMessageContaining("not all 0");
    assertThatThrownBy(() -> new ModelSpec.Combination(List.of(new ModelSpec.Naive()),
        List.of(3, 2), List.of(List.of(1.0), List.of(1.0))))
        .hasMessageContaining("strictly increasing; got [3, 2]");
    assertThatThrownBy(() -> new ModelSpec.SeasonallyAdjusted(new ModelSpec.Naive(),
        List.of(1.0))).hasMessageContaining("profile needs >= 2 phases, has 1");
  }

  @Test
  void backtest_validatesItsArguments() {
    final RegularSeries s = new RegularSeries(0, 60_000, new Random(1).doubles(100).toArray());
    assertThatThrownBy(() -> Forecasters.backtest(s, 50))
        .hasMessageContaining("need at least one horizon");
    assertThatThrownBy(() -> Forecasters.backtest(s, 50, 1, 0))
        .hasMessageContaining("horizons must be >= 1, got 0");
    assertThatThrownBy(() -> Forecasters.backtest(s, 100, 1))
        .hasMessageContaining("need 16 <= trainPoints < 100, got 100");
    final BacktestResult r = Forecasters.backtest(s, 50, 1, 2);
    assertThat(r.rows()).extracting(BacktestResult.Row::method).startsWith("meshcast", "meshcast")
        .contains("naive", "ses-tuned").doesNotContain("snaive-day");
    assertThat(r.rows()).allSatisfy(row -> assertThat(row.n()).isPositive());
  }
}
