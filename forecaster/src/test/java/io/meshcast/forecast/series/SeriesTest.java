package io.meshcast.forecast.series;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SeriesTest {

  @Test
  void ringBuffer_keepsTheNewestCapacityValues() {
    final DoubleRingBuffer b = new DoubleRingBuffer(3);
    for (int i = 1; i <= 5; i++) {
      b.add(i);
    }
    assertThat(b.size()).isEqualTo(3);
    assertThat(b.toArray()).containsExactly(3, 4, 5);
    assertThat(b.fromEnd(0)).isEqualTo(5);
    assertThat(b.fromEnd(2)).isEqualTo(3);
    assertThat(b.fromEnd(3)).isNaN();
    assertThatThrownBy(() -> b.get(3)).isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void resampler_aggregatesAndFillsExplicitly() {
    final long[] t = {0, 10, 30, 35, 50};
    final double[] v = {1, 3, 5, 7, 9};
    final RegularSeries mean = Resampler.resample(t, v, 0, 20, 3, Resampler.Aggregation.MEAN,
        Resampler.EmptyBucket.MISSING);
    assertThat(mean.values()).containsExactly(2, 6, 9);
    final RegularSeries gaps = Resampler.resample(new long[] {0, 45}, new double[] {1, 4}, 0, 10,
        5, Resampler.Aggregation.LAST, Resampler.EmptyBucket.INTERPOLATE);
    assertThat(gaps.values()).containsExactly(1, 1.75, 2.5, 3.25, 4);
    final RegularSeries missing = Resampler.resample(new long[] {0}, new double[] {1}, 0, 10, 2,
        Resampler.Aggregation.SUM, Resampler.EmptyBucket.MISSING);
    assertThat(missing.get(1)).isNaN();
  }

  @Test
  void regularSeries_rejectsInfinityAndCopiesDefensively() {
    assertThatThrownBy(() -> new RegularSeries(0, 1, new double[] {1, Double.POSITIVE_INFINITY}))
        .hasMessageContaining("index 1 is infinite");
    final double[] v = {1, 2};
    final RegularSeries s = new RegularSeries(0, 1, v);
    v[0] = 9;
    assertThat(s.get(0)).isEqualTo(1);
  }
}
