package io.meshcast.forecast.internal.anomaly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Round 6's likelihood score (an experiment, off in the product; see AnomalyTuning). */
class AnomalyLikelihoodTest {
  private static final int W = 10;

  @Test
  void logUpperTail_isTheNormalTail() {
    assertThat(AnomalyLikelihood.logUpperTail(3)).isCloseTo(Math.log(1.3498980316e-3),
        within(1e-5));
    assertThat(AnomalyLikelihood.logUpperTail(5)).isCloseTo(Math.log(2.8665157187e-7),
        within(1e-5));
    assertThat(AnomalyLikelihood.logUpperTail(1)).isCloseTo(Math.log(0.1586552539),
        within(1e-5));
  }

  @Test
  void pureNoiseNeverScores() {
    // fails with the Gaussian fitted to the window mean itself (its right skew under-states the
    // tail): the cube root is what keeps white noise below the family-wise gate
    for (int seed = 1; seed <= 20; seed++) {
      final Feed feed = new Feed(seed);
      for (int i = 0; i < 4_000; i++) {
        assertThat(feed.next(1, false)).as("seed %d point %d", seed, i).isZero();
      }
    }
  }

  @Test
  void aTrebledSpreadScoresWithinAWindowOrTwo() {
    final Feed feed = new Feed(3);
    for (int i = 0; i < 3_000; i++) {
      feed.next(1, false);
    }
    double max = 0;
    for (int i = 0; i < 2 * W; i++) {
      max = Math.max(max, feed.next(3, false));
    }
    assertThat(max).isGreaterThanOrEqualTo(90);
  }

  @Test
  void aKnownTransitionSilencesItsWindow() {
    final Feed feed = new Feed(4);
    for (int i = 0; i < 3_000; i++) {
      feed.next(1, false);
    }
    assertThat(feed.next(30, true)).isZero();
    for (int i = 1; i < W; i++) {
      assertThat(feed.next(1, false)).isZero();
    }
  }

  /** surprises s = |r| / E|r| of Gaussian residuals, their W-point mean fed to a likelihood */
  private static final class Feed {
    private final Random rnd;
    private final AnomalyLikelihood likelihood = new AnomalyLikelihood(20, W);
    private final double[] window = new double[W];
    private int n;

    Feed(long seed) {
      rnd = new Random(seed);
    }

    double next(double spread, boolean knownTransition) {
      window[n % W] = Math.abs(spread * rnd.nextGaussian()) / Math.sqrt(2 / Math.PI);
      n++;
      double sum = 0;
      for (double s : window) {
        sum += s;
      }
      likelihood.update(sum / Math.min(n, W), Math.min(n, 8_064), n > 600);
      return likelihood.score(knownTransition);
    }
  }
}
