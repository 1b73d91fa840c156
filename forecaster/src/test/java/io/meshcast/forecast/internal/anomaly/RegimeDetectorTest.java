package io.meshcast.forecast.internal.anomaly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.meshcast.forecast.Severity;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RegimeDetectorTest {

  @Test
  void constantSeries_neverRaisesAShift() {
    final RegimeDetector d = new RegimeDetector();
    for (int i = 0; i < 5_000; i++) {
      assertThat(d.update(42)).isZero();
    }
  }

  @Test
  void switchingBetweenTwoHeldLevels_isKnownBehaviour_aNewLevelIsNot() {
    final RegimeDetector d = new RegimeDetector();
    final Random rnd = new Random(3);
    // two days at 20, two at 60 (5-minute steps), as NAB's square-wave-like series
    int i = 0;
    for (; i < 4 * 288; i++) {
      d.update((i / 576 % 2 == 0 ? 20 : 60) + rnd.nextGaussian());
    }
    assertThat(d.knownLevel(20)).isTrue();
    assertThat(d.knownLevel(60)).isTrue();
    assertThat(d.knownLevel(40)).as("between the levels").isFalse();
    assertThat(d.knownTransition(60, 20)).isTrue();
    assertThat(d.knownTransition(20, 21)).as("same level: no transition").isFalse();
    assertThat(d.knownTransition(20, 40)).as("to a level never held").isFalse();
    // the next switches: their mixed windows are new histograms but raise nothing
    double strongest = 0;
    for (; i < 8 * 288; i++) {
      strongest = Math.max(strongest, d.update((i / 576 % 2 == 0 ? 20 : 60) + rnd.nextGaussian()));
    }
    assertThat(strongest).isZero();
    // a level never held is a new regime
    for (int k = 0; k < 52; k++) {
      strongest = Math.max(strongest, d.update(40 + rnd.nextGaussian()));
    }
    assertThat(strongest).isPositive();
  }

  @Test
  void stationaryNoise_settlesIntoKnownRegimes() {
    final RegimeDetector d = new RegimeDetector();
    final Random rnd = new Random(7);
    int late = 0;
    for (int i = 0; i < 20_000; i++) {
      final double s = d.update(100 + 10 * rnd.nextGaussian());
      if (i >= 5_000 && s > 0) {
        late++;
      }
    }
    // once the usual window shapes are known, new ones are rare (≈ the test's 1 % level, then
    // absorbed as hypotheses)
    assertThat(late).isLessThan(20);
  }

  @Test
  void levelShift_raisesAShiftSoonAfterOnset_onlyTheFirstTime() {
    final RegimeDetector d = new RegimeDetector();
    final Random rnd = new Random(11);
    for (int i = 0; i < 3_000; i++) {
      d.update(100 + 10 * rnd.nextGaussian());
    }
    // a sustained change of level well inside the range already seen (no new extremes)
    d.update(40);
    d.update(160);
    int firstShift = -1;
    for (int i = 0; i < 200; i++) {
      if (d.update(125 + 3 * rnd.nextGaussian()) > 0 && firstShift < 0) {
        firstShift = i;
      }
    }
    assertThat(firstShift).isBetween(0, RegimeDetector.WINDOW / 2);
    // the same regime again later is known
    for (int i = 0; i < 1_000; i++) {
      d.update(100 + 10 * rnd.nextGaussian());
    }
    int again = 0;
    for (int i = 0; i < 200; i++) {
      if (d.update(125 + 3 * rnd.nextGaussian()) > 0) {
        again++;
      }
    }
    assertThat(again).isLessThan(3);
  }

  @Test
  void widenedRange_keepsHypothesesComparable() {
    final RegimeDetector d = new RegimeDetector();
    final Random rnd = new Random(3);
    for (int i = 0; i < 2_000; i++) {
      d.update(rnd.nextDouble());
    }
    d.update(2); // range doubles once; the uniform regime on [0, 1) must still be recognised
    int shifts = 0;
    for (int i = 0; i < 2_000; i++) {
      if (d.update(rnd.nextDouble()) > 0) {
        shifts++;
      }
    }
    assertThat(shifts).isLessThan(10);
  }

  @Test
  void combine_ranksCorroboratedRegimeShiftsAboveResidualRecords() {
    final AnomalyScorer scorer = new AnomalyScorer(10, 1_000, 0, 100);
    final Random rnd = new Random(5);
    AnomalyScorer.Result last = null;
    for (int i = 0; i < 2_000; i++) {
      last = scorer.score(rnd.nextGaussian(), 0);
    }
    // quiet residuals: no corroboration, a regime shift alone does not raise the score
    int quiet = 0;
    for (int i = 0; i < 200 && quiet < RegimeDetector.WINDOW; i++) {
      last = scorer.score(0, 0);
      quiet = last.score() < 3 ? quiet + 1 : 0;
    }
    assertThat(quiet).isEqualTo(RegimeDetector.WINDOW);
    assertThat(scorer.combine(last, 0.5)).isSameAs(last);
    // a spike: a residual record is compressed into 90-93, a corroborated shift ranks above it
    final AnomalyScorer.Result spike = scorer.score(100, 0);
    assertThat(spike.score()).isGreaterThan(90);
    assertThat(scorer.combine(spike, 0).score()).isEqualTo(90 + 0.3 * (spike.score() - 90));
    final AnomalyScorer.Result shifted = scorer.combine(spike, 0.5);
    assertThat(shifted.score()).isEqualTo(95);
    assertThat(Severity.of(shifted.score())).isEqualTo(Severity.CRITICAL);
    assertThat(shifted.probability()).isEqualTo(spike.probability());
    // one event in the last 300 points already: the next is discounted by 0.05
    assertThat(scorer.combine(scorer.score(0, 0), 2).score()).isCloseTo(99.5, within(1e-9));
  }

  @Test
  void combine_frequentRegimeEventsFadeBelowAlerting() {
    final AnomalyScorer scorer = new AnomalyScorer(10, 1_000, 0, 100);
    final Random rnd = new Random(6);
    for (int i = 0; i < 500; i++) {
      scorer.score(rnd.nextGaussian(), 0);
    }
    scorer.combine(scorer.score(100, 0), 0);
    final double first = scorer.combine(scorer.score(0, 0), 1).score();
    assertThat(first).isEqualTo(100);
    double last = first;
    for (int k = 0; k < 25; k++) {
      // a drifting series: a full-strength new regime every point, corroborated by the spike
      last = scorer.combine(scorer.score(0, 0), 1).score();
    }
    // 20 events in the last 300 points discount a full-strength one to nothing
    assertThat(last).isLessThanOrEqualTo(90);
  }
}
