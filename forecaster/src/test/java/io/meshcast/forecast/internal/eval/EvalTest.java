package io.meshcast.forecast.internal.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.meshcast.forecast.BacktestResult;
import io.meshcast.forecast.Forecasters;
import io.meshcast.forecast.RegularSeries;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EvalTest {

  @Test
  void accuracy_matchesHandComputedMetrics() {
    final Accuracy a = new Accuracy();
    a.add(10, 8, 7, 11, 5, 12); // |e| = 2, smape term 200*2/18; inside both
    a.add(0, 0); // smape term 0 by convention
    a.add(4, 6, 5, 7, 1, 9); // |e| = 2, smape 200*2/10; outside 80, inside 95
    a.add(Double.NaN, 1);
    assertThat(a.mae()).isCloseTo(4.0 / 3, within(1e-12));
    assertThat(a.smape()).isCloseTo((400.0 / 18 + 0 + 40) / 3, within(1e-9));
    assertThat(a.coverage80()).isEqualTo(0.5);
    assertThat(a.coverage95()).isEqualTo(1);
    assertThat(a.skipped()).isEqualTo(1);
    assertThat(Accuracy.naiveScale(new double[] {1, 3, Double.NaN, 0}, 4)).isEqualTo(2.5);
  }

  @Test
  void backtest_reportsEveryMethodAndBeatsNaiveOnNoisyLevel() {
    final Random rnd = new Random(4);
    final double[] y = new double[2_000];
    for (int i = 0; i < y.length; i++) {
      y[i] = 30 + rnd.nextGaussian() * 5;
    }
    final BacktestResult r = Forecasters.backtest(new RegularSeries(0, 60_000, y), 1_000, 1, 5);
    assertThat(r.rows()).extracting(BacktestResult.Row::method).contains("meshcast", "naive",
        "ses-tuned");
    final BacktestResult.Row mesh = r.rows().stream()
        .filter(x -> x.method().equals("meshcast") && x.horizon() == 5).findFirst().orElseThrow();
    assertThat(mesh.maeRelNaive()).isLessThan(0.8);
    assertThat(mesh.coverage80()).isBetween(0.7, 0.9);
    assertThat(r.refits()).isPositive();
  }
}
