package io.meshcast.forecast;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A jump that arrives just after an early refit must still be scored. Early refits (history still
 * short) restart the anomaly scorer from the new model's out-of-sample residuals; when there were
 * fewer than the scorer needs to establish its statistics, the restarted scorer scored nothing for
 * its next points and had absorbed the jump by the time it scored again (PredictiveE2EIT, loaded CI
 * run: a 10x latency spike peaked at 0.68). Settings as the adapter's demo series: 1 s steps,
 * 200-point history, 45 bootstrapped points, then refits when due (at 90 points).
 */
class EarlyRefitAnomalyTest {

  private static ForecasterConfig demoConfig() {
    final ForecasterConfig d = ForecasterConfig.defaults(Duration.ofSeconds(1))
        .withMaxHorizonSteps(3).withMinFitPoints(32).withHistoryCapacity(200);
    return new ForecasterConfig(d.step(), d.maxHorizonSteps(), d.historyCapacity(),
        d.refitEverySteps(), d.minFitPoints(), d.gapPolicy(), 100, d.anomalyWindow(),
        d.anomalyMemoryPoints(), 3, 10);
  }

  @Test
  void jumpRightAfterAnEarlyRefit_isScored() {
    for (int start = 86; start <= 96; start++) {
      final Random rnd = new Random(start);
      final SeriesForecaster f = Forecasters.create(demoConfig());
      double max = 0;
      int refitsBeforeJump = 0;
      for (int i = 0; i < start + 10; i++) {
        final double y = i < start ? 99.25 + 0.05 * rnd.nextGaussian() : 990;
        final AnomalyScore s = f.update(i * 1_000L, y);
        // the first refit after the bootstrapped 45 points, then whenever due
        if (i >= 44 && f.refitDue()) {
          f.refit();
          refitsBeforeJump += i < start ? 1 : 0;
        }
        if (i >= start) {
          max = Math.max(max, s.score());
        }
      }
      assertThat(refitsBeforeJump).as("refits at 45 and 90 before a jump at %d", start)
          .isGreaterThanOrEqualTo(start > 90 ? 2 : 1);
      assertThat(max).as("jump at point %d", start).isGreaterThanOrEqualTo(75);
    }
  }
}
