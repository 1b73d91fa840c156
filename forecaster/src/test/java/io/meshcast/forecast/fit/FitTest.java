package io.meshcast.forecast.fit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class FitTest {
  private static final long MINUTE = 60_000L;

  @Test
  void detector_findsDailyCycleInNoisyMinuteData() {
    final Random rnd = new Random(1);
    final double[] y = new double[1_440 * 3];
    for (int i = 0; i < y.length; i++) {
      y[i] = 40 + 20 * Math.sin(2 * Math.PI * i / 1_440) + rnd.nextGaussian() * 5;
    }
    assertThat(SeasonalityDetector.detect(y, MINUTE)).containsExactly(1_440);
  }

  @Test
  void detector_findsNothingInARandomWalk() {
    final Random rnd = new Random(2);
    final double[] y = new double[4_000];
    for (int i = 1; i < y.length; i++) {
      y[i] = y[i - 1] + rnd.nextGaussian();
    }
    assertThat(SeasonalityDetector.detect(y, MINUTE)).isEmpty();
  }

  @Test
  void detector_findsNonCalendarCycleByAcfPeak() {
    final double[] y = new double[600];
    for (int i = 0; i < y.length; i++) {
      y[i] = Math.sin(2 * Math.PI * i / 25);
    }
    assertThat(SeasonalityDetector.detect(y, MINUTE)).containsExactly(25);
  }

  @Test
  void residualQuantiles_areType7AndExtrapolateWithSqrtH() {
    final double[][] res = new double[2][];
    res[0] = new double[101];
    for (int i = 0; i <= 100; i++) {
      res[0][i] = 100 - i; // 0..100 unsorted
    }
    res[1] = new double[3];
    final ResidualQuantiles q = ResidualQuantiles.of(res, new int[] {101, 3});
    assertThat(q.estimatedHorizons()).isEqualTo(1);
    assertThat(q.quantile(1, 0.1)).isCloseTo(10, within(1e-9));
    assertThat(q.quantile(1, 0.9)).isCloseTo(90, within(1e-9));
    assertThat(q.quantile(1, 0.15)).isCloseTo(15, within(1e-9));
    assertThat(q.quantile(4, 0.9)).isCloseTo(180, within(1e-9));
  }

  @Test
  void selection_picksASeasonalModelForASeasonalSeries() {
    final Random rnd = new Random(3);
    final int day = 288;
    final double[] y = new double[day * 8];
    for (int i = 0; i < y.length; i++) {
      y[i] = 100 + 50 * Math.sin(2 * Math.PI * i / day) + rnd.nextGaussian() * 3;
    }
    final ModelSelection.Selection s = ModelSelection.select(y,
        ModelSelection.Settings.of(6, 5 * MINUTE));
    assertThat(s.report().seasonalPeriods()).containsExactly(day);
    assertThat(s.report().modelName()).containsPattern("hw|profile|snaive");
    assertThat(s.report().candidates().get(0).relativeMae()).isLessThan(0.8);
    assertThat(s.quantiles()).isNotNull();
  }

  @Test
  void optimiser_findsTheMinimumOfAQuadratic() {
    final double[] p = ParameterFitter.minimise(
        x -> (x[0] - 0.3) * (x[0] - 0.3) + (x[1] - 0.7) * (x[1] - 0.7),
        new double[] {0.5, 0.5}, new double[] {0, 0}, new double[] {1, 1}, 200);
    assertThat(p[0]).isCloseTo(0.3, within(1e-3));
    assertThat(p[1]).isCloseTo(0.7, within(1e-3));
    final double[] a = ParameterFitter.minimise(x -> Math.abs(x[0] - 0.25),
        new double[] {0.5}, new double[] {0}, new double[] {1}, 100);
    assertThat(a[0]).isCloseTo(0.25, within(1e-3));
  }
}
