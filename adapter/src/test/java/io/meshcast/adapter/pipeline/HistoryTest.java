package io.meshcast.adapter.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

final class HistoryTest {

  @Test
  void append_keepsTheLastPoints_andNeverMutatesTheOriginal() {
    History h = History.empty();
    for (int i = 1; i <= 5; i++) {
      h = h.append(i * 1000L, i, 3);
    }
    assertThat(h.values()).containsExactly(3, 4, 5);
    assertThat(h.timestampsMillis()).containsExactly(3000, 4000, 5000);
    History before = h;
    History after = h.append(6000, 6, 3);
    assertThat(before.values()).containsExactly(3, 4, 5);
    assertThat(after.values()).containsExactly(4, 5, 6);
  }

  @Test
  void append_ignoresPointsNotNewerThanTheLast() {
    History h = History.empty().append(1000, 1, 10);
    assertThat(h.append(1000, 2, 10)).isSameAs(h);
    assertThat(h.append(500, 2, 10)).isSameAs(h);
  }

  @Test
  void of_keepsTheTail() {
    History h = History.of(new long[] {1, 2, 3, 4}, new double[] {10, 20, 30, 40}, 2);
    assertThat(h.values()).containsExactly(30, 40);
  }

  @Test
  void forkedAppend_onAnOlderView_doesNotDisturbEitherView() {
    History base = History.empty();
    for (int i = 1; i <= 3; i++) {
      base = base.append(i, i, 100);
    }
    History a = base.append(10, 10, 100);
    History b = base.append(20, 20, 100); // fork: must copy, not overwrite a's point
    assertThat(a.values()).containsExactly(1, 2, 3, 10);
    assertThat(b.values()).containsExactly(1, 2, 3, 20);
    assertThat(base.values()).containsExactly(1, 2, 3);
  }

  @Test
  void manyAppends_matchASimpleModel() {
    History h = History.empty();
    java.util.ArrayDeque<Double> model = new java.util.ArrayDeque<>();
    for (int i = 1; i <= 1000; i++) {
      h = h.append(i, i * 0.5, 7);
      model.addLast(i * 0.5);
      if (model.size() > 7) {
        model.removeFirst();
      }
      assertThat(h.values()).containsExactly(model.stream().mapToDouble(d -> d).toArray());
    }
    assertThat(h.timestampMillis(0)).isEqualTo(994);
  }

  @Test
  void aGapBeyondTheOffsetRange_startsAFreshBufferWithThePointsInRange() {
    long day = 86_400_000L;
    History h = History.empty();
    for (int i = 0; i < 5; i++) {
      h = h.append(i * day, i, 10);
    }
    History later = h.append(40 * day, 40, 10); // 24.8 days is the int-offset span
    assertThat(later.timestampsMillis()).containsExactly(40 * day);
    assertThat(later.values()).containsExactly(40);
    History near = h.append(20 * day, 20, 10);
    assertThat(near.timestampsMillis()).containsExactly(0, day, 2 * day, 3 * day, 4 * day,
        20 * day);
    History of = History.of(new long[] {0, 30 * day, 31 * day}, new double[] {1, 2, 3}, 10);
    assertThat(of.values()).containsExactly(2, 3);
  }

  @Test
  void valuesAreKeptToFloatPrecision() {
    History h = History.empty().append(1, 1234.5678, 4).append(2, 0.1, 4);
    assertThat(h.value(0)).isCloseTo(1234.5678, org.assertj.core.data.Offset.offset(1e-3));
    assertThat(h.value(1)).isEqualTo((double) 0.1f);
  }
}
