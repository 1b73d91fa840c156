package io.meshcast.forecast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class SeriesForecasterTest {
  private static final long MIN = 60_000L;
  private static final long T0 = 1_700_000_000_000L;

  private static ForecasterConfig config() {
    return ForecasterConfig.defaults(Duration.ofMinutes(1)).withHistoryCapacity(3_000)
        .withRefitEverySteps(200);
  }

  @Test
  void constantSeries_givesConstantForecastsAndZeroAnomaly() {
    final SeriesForecaster f = Forecasters.create(config());
    for (int i = 0; i < 1_000; i++) {
      final AnomalyScore s = f.update(T0 + i * MIN, 7.5);
      assertThat(s.score()).isZero();
      if (f.refitDue()) {
        f.refit();
      }
    }
    final Forecast fc = f.forecast(30);
    for (ForecastPoint p : fc.points()) {
      assertThat(p.mean()).isCloseTo(7.5, within(1e-9));
      assertThat(p.lower95()).isCloseTo(7.5, within(1e-9));
      assertThat(p.upper95()).isCloseTo(7.5, within(1e-9));
    }
    assertThat(f.maxOverLead(10, 0.9)).isCloseTo(7.5, within(1e-9));
  }

  @Test
  void pureSeasonalSeries_isForecastExactlyAfterTwoSeasons() {
    final int period = 60;
    final ForecasterConfig c = ForecasterConfig.defaults(Duration.ofMinutes(1))
        .withMaxHorizonSteps(30);
    final double[] history = new double[2 * period];
    for (int i = 0; i < history.length; i++) {
      history[i] = 10 + 5 * Math.sin(2 * Math.PI * i / period) + ((i % period) == 7 ? 3 : 0);
    }
    final SeriesForecaster f = Forecasters.create(c, T0, history);
    final Forecast fc = f.forecast(2 * period);
    for (ForecastPoint p : fc.points()) {
      final int i = history.length - 1 + p.horizonSteps();
      final double truth = 10 + 5 * Math.sin(2 * Math.PI * i / period)
          + ((i % period) == 7 ? 3 : 0);
      assertThat(p.mean()).as("h=%d", p.horizonSteps()).isCloseTo(truth, within(1e-6));
    }
    assertThat(f.status().modelName()).containsPattern("snaive\\(60\\)|hw\\(60\\)");
  }

  @Test
  void intervalsAreOrderedAndCalibratedOnNoise() {
    final Random rnd = new Random(11);
    final SeriesForecaster f = Forecasters.create(config());
    int inside80 = 0;
    int total = 0;
    double pending = Double.NaN;
    double lo = 0;
    double hi = 0;
    for (int i = 0; i < 6_000; i++) {
      final double y = 100 + rnd.nextGaussian() * 10;
      if (!Double.isNaN(pending) && i > 2_000) {
        total++;
        if (y >= lo && y <= hi) {
          inside80++;
        }
      }
      f.update(T0 + i * MIN, y);
      if (f.refitDue()) {
        f.refit();
      }
      if (f.status().refits() > 0) {
        final ForecastPoint p = f.forecast(1).at(1);
        assertThat(p.lower95()).isLessThanOrEqualTo(p.lower80());
        assertThat(p.lower80()).isLessThanOrEqualTo(p.mean());
        assertThat(p.mean()).isLessThanOrEqualTo(p.upper80());
        assertThat(p.upper80()).isLessThanOrEqualTo(p.upper95());
        pending = p.mean();
        lo = p.lower80();
        hi = p.upper80();
      }
    }
    assertThat((double) inside80 / total).isBetween(0.75, 0.85);
    assertThat(f.status().trustworthy()).isTrue();
    assertThat(f.status().relativeError()).isLessThan(1);
  }

  @Test
  void beforeFirstRefit_forecastIsNaiveWithoutIntervalsAndUntrusted() {
    final SeriesForecaster f = Forecasters.create(config());
    f.update(T0, 3);
    f.update(T0 + MIN, 4);
    final ForecastPoint p = f.forecast(5).at(5);
    assertThat(p.mean()).isEqualTo(4);
    assertThat(p.upper80()).isNaN();
    assertThat(p.targetEpochMillis()).isEqualTo(T0 + 6 * MIN);
    assertThat(f.status().trustworthy()).isFalse();
    assertThat(f.status().modelName()).isEqualTo("naive");
    assertThat(f.maxOverLead(3)).isEqualTo(4);
  }

  @Test
  void gapsAreMissingPointsAndOrderIsEnforced() {
    final SeriesForecaster f = Forecasters.create(config());
    f.update(T0, 1);
    f.update(T0 + 5 * MIN + 1_000, 2); // rounded onto the grid; 4 missing steps
    assertThat(f.status().pointsSeen()).isEqualTo(6);
    assertThatThrownBy(() -> f.update(T0 + 5 * MIN, 3))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not after");
    assertThatThrownBy(() -> f.update(T0 + 6 * MIN, Double.POSITIVE_INFINITY))
        .hasMessageContaining("infinite");
    assertThat(f.update(T0 + 6 * MIN, Double.NaN).score()).isZero();

    final SeriesForecaster strict = Forecasters.create(config().withGapPolicy(GapPolicy.REJECT));
    strict.update(T0, 1);
    assertThatThrownBy(() -> strict.update(T0 + 3 * MIN, 2)).hasMessageContaining("skips 2");
  }

  @Test
  void refitOnAnotherThread_losesNoConcurrentUpdates() throws Exception {
    final Random rnd = new Random(5);
    final double[] history = new double[3_000];
    for (int i = 0; i < history.length; i++) {
      history[i] = 50 + 20 * Math.sin(2 * Math.PI * i / 1_440) + rnd.nextGaussian();
    }
    final SeriesForecaster f = Forecasters.create(config(), T0, history);
    final CompletableFuture<FitReport> refit = CompletableFuture.supplyAsync(f::refit);
    int extra = 0;
    long t = T0 + history.length * MIN;
    while (!refit.isDone() || extra < 50) {
      f.update(t, 50 + rnd.nextGaussian());
      t += MIN;
      extra++;
    }
    assertThat(refit.get().modelName()).isNotBlank();
    assertThat(f.status().pointsSeen()).isEqualTo(history.length + extra);
    assertThat(f.status().refits()).isEqualTo(2);
    assertThat(f.forecast(1).originEpochMillis()).isEqualTo(t - MIN);
  }

  @Test
  void config_rejectsBadValuesNamingThem() {
    assertThatThrownBy(() -> ForecasterConfig.defaults(Duration.ZERO))
        .hasMessageContaining("step must be at least 1 ms");
    assertThatThrownBy(() -> config().withHistoryCapacity(4))
        .hasMessageContaining("historyCapacity must be >= 16, was 4");
    assertThatThrownBy(() -> Forecasters.create(config()).maxOverLead(3, 1.5))
        .hasMessageContaining("quantile must be in [0.01, 0.99], was 1.5");
  }

  @Test
  void forecastWithoutData_isAnIllegalState() {
    assertThatThrownBy(() -> Forecasters.create(config()).forecast(1))
        .isInstanceOf(IllegalStateException.class);
  }
}
