package io.meshcast.loadtest.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import org.junit.jupiter.api.Test;

final class PhpaPolicyTest {

  @Test
  void holtWinters_constantSeries_predictsTheConstant() {
    double[] y = new double[24];
    java.util.Arrays.fill(y, 7);
    assertThat(PhpaPolicy.predictNext(y, 6, 0.9, 0.9, 0.9)).isCloseTo(7, within(1e-12));
  }

  @Test
  void holtWinters_pureSeasonalPattern_predictsTheNextPhase() {
    double[] pattern = {2, 4, 6, 8, 6, 4};
    double[] y = new double[20]; // ends after phase 1 (index 19 % 6 == 1) → next is phase 2
    for (int i = 0; i < y.length; i++) {
      y[i] = pattern[i % 6];
    }
    assertThat(PhpaPolicy.predictNext(y, 6, 0.9, 0.9, 0.9)).isCloseTo(6, within(1e-9));
  }

  @Test
  void adjuster_takesMaxOfProposalAndPrediction_afterTwoSeasons() {
    PhpaPolicy p = new PhpaPolicy();
    var adj = p.adjuster();
    for (int i = 0; i < 11; i++) {
      assertThat(adj.adjust(Instant.EPOCH, 5, 5)).isEqualTo(5); // not enough history yet
    }
    assertThat(adj.adjust(Instant.EPOCH, 5, 5)).isEqualTo(5); // constant → 5
    // a jump to 8 is extrapolated: level 0.9·8 + 0.1·5 = 7.7, trend 0.9·2.7 = 2.43, season 0
    // → 10.13 → ceil 11
    assertThat(adj.adjust(Instant.EPOCH, 8, 5)).isEqualTo(11);
  }
}
