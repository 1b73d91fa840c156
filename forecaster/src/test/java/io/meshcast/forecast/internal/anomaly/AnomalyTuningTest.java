package io.meshcast.forecast.internal.anomaly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

class AnomalyTuningTest {

  @Test
  void property_parsesRoundTripsAndDefaultsWhenAbsent() {
    assertThat(AnomalyTuning.fromProperty(null)).isEqualTo(AnomalyTuning.DEFAULT);
    assertThat(AnomalyTuning.fromProperty(" ")).isEqualTo(AnomalyTuning.DEFAULT);
    final AnomalyTuning t = AnomalyTuning.fromProperty("0.1, 600, 0.5, 0.001, 0.5, 1");
    assertThat(t).isEqualTo(new AnomalyTuning(0.1, 600, 0.5, 0.001, 0.5, 1));
    assertThat(AnomalyTuning.fromProperty(t.text())).isEqualTo(t);
    final AnomalyTuning eight = AnomalyTuning.fromProperty("0.05,300,0.3,0,0,0,0.8,0.1");
    assertThat(eight.repeatRatio()).isEqualTo(0.8);
    assertThat(eight.significance()).isEqualTo(0.1);
    assertThat(AnomalyTuning.fromProperty(eight.text())).isEqualTo(eight);
    assertThat(t.repeatRatio()).isZero();
    assertThat(AnomalyTuning.DEFAULT.repeatRatio()).isEqualTo(0.8);
    assertThat(t.significance()).isEqualTo(1);
    final AnomalyTuning nine = AnomalyTuning.fromProperty("0.05,300,0.3,0,0,0,0.8,20,2");
    assertThat(nine.likelihoodScore()).isEqualTo(2);
    assertThat(AnomalyTuning.fromProperty(nine.text())).isEqualTo(nine);
    assertThat(AnomalyTuning.DEFAULT.likelihoodScore()).isZero();
    assertThat(AnomalyTuning.DEFAULT.text()).isEqualTo("0.05,300,0.3,0.0,0.0,0.0,0.8,20.0");
  }

  @Test
  void repeatRatio_capsANonRecordLikeAnEarlierAlertButNotTheOppositeOne() {
    final AnomalyScorer plain = new AnomalyScorer(10, 1_000, 0, 0,
        new AnomalyTuning(0.05, 300, 0.3, 0, 0, 0));
    final AnomalyScorer scorer = new AnomalyScorer(10, 1_000, 0, 0,
        new AnomalyTuning(0.05, 300, 0.3, 0, 0, 0, 0.8, 1));
    final Random rnd = new Random(10);
    prime(rnd, 2_000, plain, scorer);
    // a first jump up alerts on both
    assertThat(scorer.score(40, 0).score()).isEqualTo(plain.score(40, 0).score())
        .isGreaterThanOrEqualTo(50);
    prime(rnd, 50, plain, scorer);
    // the same jump again (a little smaller, so not a record): seen before; a jump down of that
    // size was not
    assertThat(plain.score(36, 0).score()).isGreaterThanOrEqualTo(50);
    assertThat(scorer.score(36, 0).score()).isLessThan(25);
    prime(rnd, 50, plain, scorer);
    assertThat(scorer.score(-40, 0).score()).isGreaterThanOrEqualTo(50);
  }

  @Test
  void significance_belowOneLetsLessImprobablePointsThrough() {
    final AnomalyScorer plain = new AnomalyScorer(10, 1_000, 0, 0, AnomalyTuning.DEFAULT);
    final AnomalyScorer lax = new AnomalyScorer(10, 1_000, 0, 0,
        new AnomalyTuning(0.05, 300, 0.3, 0, 0, 0, 0, 0.01));
    final Random rnd = new Random(11);
    prime(rnd, 2_000, plain, lax);
    // about 5 residual scales out: p ≈ e^-5, expected ≈ 7 times in 1,000 points
    final double r = 5 * 0.8;
    assertThat(plain.score(r, 0).score()).isLessThan(25);
    assertThat(lax.score(r, 0).score()).isGreaterThanOrEqualTo(25);
  }

  @Test
  void property_badValuesNameThePropertyAndValue() {
    assertThatThrownBy(() -> AnomalyTuning.fromProperty("0.1,600,0.5,0,0"))
        .hasMessageContaining(AnomalyTuning.PROPERTY).hasMessageContaining("0.1,600,0.5,0,0");
    assertThatThrownBy(() -> AnomalyTuning.fromProperty("0.1,x,0.5,0,0,0"))
        .hasMessageContaining("not a number").hasMessageContaining("0.1,x,0.5,0,0,0");
    assertThatThrownBy(() -> AnomalyTuning.fromProperty("0.1,600,0.5,1,0,0"))
        .hasMessageContaining("likelihoodGate").hasMessageContaining("1.0");
  }

  @Test
  void likelihoodGate_needsASustainedSurpriseNotOneWarning() {
    final AnomalyTuning gated = new AnomalyTuning(0.05, 300, 0.3, 0.001, 0, 0);
    final AnomalyScorer plain = new AnomalyScorer(10, 1_000, 0, 100, AnomalyTuning.DEFAULT);
    final AnomalyScorer scorer = new AnomalyScorer(10, 1_000, 0, 100, gated);
    final Random rnd = new Random(8);
    prime(rnd, 2_000, plain, scorer);
    // one moderately large residual: a warning, but the window mean stays ordinary
    final AnomalyScorer.Result a = plain.score(4, 0);
    final AnomalyScorer.Result b = scorer.score(4, 0);
    assertThat(a.score()).isEqualTo(b.score()).isGreaterThanOrEqualTo(3);
    assertThat(plain.combine(a, 0.5).score()).isEqualTo(95);
    assertThat(scorer.combine(b, 0.5)).isSameAs(b);
    // a sustained run of large residuals: the window likelihood passes the gate
    AnomalyScorer.Result last = null;
    for (int i = 0; i < 10; i++) {
      last = scorer.score(6, 0);
    }
    assertThat(scorer.combine(last, 0.5).score()).isEqualTo(95);
  }

  @Test
  void likelyRecord_ranksALikelihoodBackedRecordAsAFullEvent() {
    final AnomalyScorer plain = new AnomalyScorer(10, 1_000, 0, 0, AnomalyTuning.DEFAULT);
    final AnomalyScorer scorer = new AnomalyScorer(10, 1_000, 0, 0,
        new AnomalyTuning(0.05, 300, 0.3, 0.01, 1, 1));
    final Random rnd = new Random(9);
    prime(rnd, 2_000, plain, scorer);
    // ever larger residuals: records, and soon an improbable window mean as well
    double plainMax = 0;
    double gatedMax = 0;
    for (int i = 0; i < 10; i++) {
      final double r = 6 + 2 * i;
      plainMax = Math.max(plainMax, plain.combine(plain.score(r, 0), 0).score());
      gatedMax = Math.max(gatedMax, scorer.combine(scorer.score(r, 0), 0).score());
    }
    assertThat(plainMax).isGreaterThan(90).isLessThanOrEqualTo(93);
    assertThat(gatedMax).isEqualTo(100);
  }

  /** Feeds the same {@code n} standard-normal residuals to every scorer. */
  private static void prime(Random rnd, int n, AnomalyScorer... scorers) {
    for (int i = 0; i < n; i++) {
      final double r = rnd.nextGaussian();
      for (AnomalyScorer s : scorers) {
        s.score(r, 0);
      }
    }
  }
}
