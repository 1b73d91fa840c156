package io.meshcast.forecast.internal.smoothing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Model recursions against values computed by hand from the equations in the class comments. */
class SmoothingGoldenTest {

  @Test
  void ses_matchesHandComputedLevels() {
    // alpha = 0.5, y = 3, 5, 9, 20: level = 3, 4, 6.5, 13.25
    final SimpleExponentialSmoothing m = new SimpleExponentialSmoothing(0.5);
    final double[] expected = {3, 4, 6.5, 13.25};
    final double[] y = {3, 5, 9, 20};
    for (int i = 0; i < y.length; i++) {
      m.update(y[i]);
      assertThat(m.forecast(1)).isCloseTo(expected[i], within(1e-12));
    }
    assertThat(m.forecast(7)).isCloseTo(13.25, within(1e-12));
  }

  @Test
  void ses_missingValueLeavesLevelUnchanged() {
    final SimpleExponentialSmoothing m = new SimpleExponentialSmoothing(0.3);
    m.update(10);
    m.update(Double.NaN);
    assertThat(m.forecast(1)).isEqualTo(10);
  }

  @Test
  void dampedHolt_matchesHandComputedRecursion() {
    // alpha = beta = 0.5, phi = 0.9; y = 1, 2, 4
    // t=1: l=1, b=0
    // t=2: l = .5*2 + .5*(1 + 0) = 1.5;  b = .5*(1.5-1) + .5*.9*0 = 0.25
    // t=3: l = .5*4 + .5*(1.5 + .9*.25) = 2.8625;  b = .5*(2.8625-1.5) + .5*.9*.25 = 0.79375
    // forecast(2) = 2.8625 + (0.9 + 0.81) * 0.79375 = 4.2198125
    final DampedHolt m = new DampedHolt(0.5, 0.5, 0.9);
    m.update(1);
    m.update(2);
    assertThat(m.forecast(1)).isCloseTo(1.5 + 0.9 * 0.25, within(1e-12));
    m.update(4);
    assertThat(m.forecast(2)).isCloseTo(4.2198125, within(1e-12));
  }

  @Test
  void holtWinters_matchesHandComputedRecursion() {
    // period 2, init [1, 3]: level 2, season [-1, 1]; alpha = gamma = 0.5, no trend
    // y=2 at phase 0: level = .5*(2+1) + .5*2 = 2.5; s0 = .5*(2-2.5) + .5*(-1) = -0.75
    final HoltWinters m = new HoltWinters(0.5, 0, 1, new int[] {2}, new double[] {0.5},
        new double[] {1, 3});
    assertThat(m.forecast(1)).isCloseTo(1, within(1e-12));
    assertThat(m.forecast(2)).isCloseTo(3, within(1e-12));
    m.update(2);
    assertThat(m.forecast(1)).isCloseTo(3.5, within(1e-12));
    assertThat(m.forecast(2)).isCloseTo(1.75, within(1e-12));
    assertThat(m.forecast(4)).isCloseTo(1.75, within(1e-12));
  }

  @Test
  void holtWinters_reproducesPureSeasonalSeriesExactly() {
    final int period = 24;
    final double[] y = new double[period * 4];
    for (int i = 0; i < y.length; i++) {
      y[i] = 100 + 30 * Math.sin(2 * Math.PI * i / period) + (i % period == 5 ? 17 : 0);
    }
    final HoltWinters hw = new HoltWinters(0.3, 0.1, 0.9, new int[] {period},
        new double[] {0.2}, y);
    final SeasonalNaive sn = new SeasonalNaive(period);
    for (int t = 0; t < 2 * period; t++) {
      hw.update(y[t]);
      sn.update(y[t]);
    }
    for (int h = 1; h <= 2 * period; h++) {
      assertThat(hw.forecast(h)).isCloseTo(y[2 * period + h - 1], within(1e-9));
      assertThat(sn.forecast(h)).isCloseTo(y[2 * period + h - 1], within(1e-12));
    }
  }

  @Test
  void doubleSeasonal_reproducesSumOfTwoCycles() {
    final int[] periods = {4, 12};
    final double[] y = new double[48];
    for (int i = 0; i < y.length; i++) {
      y[i] = 50 + (i % 4) * 2 + ((i % 12) < 6 ? 10 : -10);
    }
    final HoltWinters hw = new HoltWinters(0.4, 0, 1, periods, new double[] {0.3, 0.3}, y);
    for (int t = 0; t < 24; t++) {
      hw.update(y[t]);
    }
    for (int h = 1; h <= 24; h++) {
      assertThat(hw.forecast(h)).isCloseTo(y[23 + h], within(1e-9));
    }
  }

  @Test
  void seasonallyAdjusted_profileRecoversTheCycle() {
    final int m = 96;
    final double[] y = new double[m * 5];
    for (int i = 0; i < y.length; i++) {
      y[i] = 10 + 0.01 * i + 3 * Math.cos(2 * Math.PI * i / m);
    }
    final double[] p = SeasonallyAdjusted.profile(y, y.length, m);
    for (int j = 0; j < m; j++) {
      // the 3-phase smoothing attenuates a cosine of 96 phases by well under 1 %
      assertThat(p[j]).isCloseTo(3 * Math.cos(2 * Math.PI * j / m), within(0.05));
    }
    assertThat(SeasonallyAdjusted.profile(y, m, m)).isNull();
  }

  @Test
  void combination_interpolatesWeightsBetweenAnchorHorizons() {
    final Naive a = new Naive();
    final SeasonalNaive b = new SeasonalNaive(2);
    final Combination c = new Combination(new Model[] {a, b}, new int[] {1, 3},
        new double[][] {{1, 0}, {0, 1}});
    c.update(10); // phase 0
    c.update(20); // phase 1
    // h=1: all naive = 20; h=3: all seasonal naive = value at phase 0 = 10; h=2: half/half
    assertThat(c.forecast(1)).isEqualTo(20);
    assertThat(c.forecast(2)).isCloseTo(0.5 * 20 + 0.5 * 20, within(1e-12));
    assertThat(c.forecast(3)).isEqualTo(10);
    assertThat(c.forecast(5)).isEqualTo(10);
  }

  @Test
  void log1pTransform_roundTrips() {
    final TransformedModel m = new TransformedModel(new SimpleExponentialSmoothing(1),
        Transform.LOG1P);
    m.update(41);
    assertThat(m.forecast(3)).isCloseTo(41, within(1e-9));
    assertThat(m.name()).isEqualTo("ses/log1p");
  }

  @Test
  void invalidParameters_areRejectedWithTheirValue() {
    assertThatThrownBy(() -> new SimpleExponentialSmoothing(0))
        .hasMessageContaining("alpha must be in (0, 1], was 0.0");
    assertThatThrownBy(() -> new HoltWinters(0.5, 0, 1, new int[] {10}, new double[] {0.1},
        new double[5])).hasMessageContaining("at least max(period) = 10 points, got 5");
  }
}
