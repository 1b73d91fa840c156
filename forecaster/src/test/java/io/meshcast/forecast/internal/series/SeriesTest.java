package io.meshcast.forecast.internal.series;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshcast.forecast.RegularSeries;
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
  void regularSeries_rejectsInfinityAndCopiesDefensively() {
    assertThatThrownBy(() -> new RegularSeries(0, 1, new double[] {1, Double.POSITIVE_INFINITY}))
        .hasMessageContaining("index 1 is infinite");
    final double[] v = {1, 2};
    final RegularSeries s = new RegularSeries(0, 1, v);
    v[0] = 9;
    assertThat(s.get(0)).isEqualTo(1);
  }
}
