package io.meshcast.forecast.internal.fit;

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
    assertThat(s.seasonalPeriods()).containsExactly(day);
    assertThat(s.modelName()).containsPattern("hw|profile|snaive");
    assertThat(s.candidates().get(0).relativeMae()).isLessThan(0.8);
    assertThat(s.quantiles()).isNotNull();
  }

  @Test
  void residualQuantiles_multiSelectMatchesAFullSort() {
    final Random rnd = new Random(5);
    for (int n : new int[] {10, 23, 24, 25, 100, 1_007, 3_024}) {
      final double[] a = new double[n];
      for (int i = 0; i < n; i++) {
        // ties and a heavy tail, as residuals of count data have
        a[i] = rnd.nextInt(4) == 0 ? Math.round(rnd.nextGaussian()) : rnd.nextGaussian() * 10;
      }
      final double[] sorted = a.clone();
      java.util.Arrays.sort(sorted);
      final double[] partial = a.clone();
      ResidualQuantiles.orderStatistics(partial, n);
      for (double p : ResidualQuantiles.GRID) {
        assertThat(ResidualQuantiles.quantileSorted(partial, n, p)).as("n=%d p=%s", n, p)
            .isEqualTo(ResidualQuantiles.quantileSorted(sorted, n, p));
      }
    }
  }

  @Test
  void warmSelection_validatesTheShortlistThenAllCandidatesAgain() {
    final int day = 288;
    final double[] y = dailyCycle(day, 10);
    final ModelSelection.Settings settings = ModelSelection.Settings.of(6, 5 * MINUTE);
    final double[] first = java.util.Arrays.copyOf(y, day * 8);
    final ModelSelection.Selection cold = ModelSelection.select(first, settings);
    final int all = validated(cold);

    final double[] second = java.util.Arrays.copyOfRange(y, day, day * 9);
    final ModelSelection.Selection warm = ModelSelection.select(second, settings, cold.memory());
    assertThat(validated(warm)).isLessThan(all).isGreaterThanOrEqualTo(2);
    assertThat(warm.candidates()).extracting(ModelSelection.Scored::name)
        .contains("naive");
    assertThat(warm.modelName()).containsPattern("hw|profile|snaive");
    assertThat(warm.candidates().get(0).relativeMae())
        .isLessThan(cold.candidates().get(0).relativeMae() * 1.1);
    assertThat(warm.quantiles()).isNotNull();

    // the selections up to the FULL_SELECTION_EVERY-th validate the shortlist; that one, all
    ModelSelection.Memory memory = warm.memory();
    for (int i = 2; i < ModelSelection.FULL_SELECTION_EVERY; i++) {
      final ModelSelection.Selection shortlist = ModelSelection.select(second, settings, memory);
      assertThat(validated(shortlist)).isLessThan(all);
      memory = shortlist.memory();
    }
    final double[] third = java.util.Arrays.copyOfRange(y, day * 2, day * 10);
    final ModelSelection.Selection full = ModelSelection.select(third, settings, memory);
    assertThat(validated(full)).isEqualTo(all);
  }

  /** {@code days} days of a noisy daily sine around 100, {@code day} points a day (seed 4). */
  private static double[] dailyCycle(int day, int days) {
    final Random rnd = new Random(4);
    final double[] y = new double[day * days];
    for (int i = 0; i < y.length; i++) {
      y[i] = 100 + 50 * Math.sin(2 * Math.PI * i / day) + rnd.nextGaussian() * 3;
    }
    return y;
  }

  /** Distinct single candidates in a report (a chosen combination is listed on top of them). */
  private static int validated(ModelSelection.Selection s) {
    return (int) s.candidates().stream().map(ModelSelection.Scored::name)
        .filter(n -> !n.startsWith("combo[")).distinct().count();
  }

  @Test
  void shortlistSelection_choosingTheSameMembers_keepsTheCalibration_withReplayedForecasts() {
    final int day = 288;
    final double[] y = dailyCycle(day, 9);
    final ModelSelection.Settings settings = ModelSelection.Settings.of(6, 5 * MINUTE);
    final ModelSelection.Selection cold =
        ModelSelection.select(java.util.Arrays.copyOf(y, day * 8), settings);
    final double[] second = java.util.Arrays.copyOfRange(y, day, day * 9);
    final ModelSelection.Selection warm = ModelSelection.select(second, settings, cold.memory());
    // same data, same parameters: the shortlist chooses the same members again
    final ModelSelection.Selection again = ModelSelection.select(second, settings, warm.memory());
    assertThat(again.modelName()).isEqualTo(warm.modelName());
    assertThat(again.quantiles()).isSameAs(warm.quantiles());
    assertThat(again.oneStepResiduals()).isEmpty();
    for (int h = 1; h <= 6; h++) {
      // the validated members' state is where the replay leaves the chosen model
      assertThat(again.predictor().forecast(h)).isEqualTo(warm.predictor().forecast(h));
    }
  }

  @Test
  void warmSelection_withOtherSeasonalPeriods_isAFullSelection() {
    final Random rnd = new Random(6);
    final double[] seasonal = new double[288 * 8];
    final double[] flat = new double[288 * 8];
    for (int i = 0; i < seasonal.length; i++) {
      seasonal[i] = 100 + 50 * Math.sin(2 * Math.PI * i / 288) + rnd.nextGaussian() * 3;
      flat[i] = 100 + rnd.nextGaussian() * 3;
    }
    final ModelSelection.Settings settings = ModelSelection.Settings.of(6, 5 * MINUTE);
    final ModelSelection.Selection before = ModelSelection.select(seasonal, settings);
    final ModelSelection.Selection after = ModelSelection.select(flat, settings, before.memory());
    final ModelSelection.Selection fresh = ModelSelection.select(flat, settings);
    assertThat(after.seasonalPeriods()).isEmpty();
    assertThat(validated(after)).isEqualTo(validated(fresh));
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
