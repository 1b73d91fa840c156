package io.meshcast.adapter.predict;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshcast.adapter.config.PredictConfig.Safety;
import io.meshcast.adapter.config.PredictConfig;
import io.meshcast.adapter.predict.ServingDecision.Rule;
import io.meshcast.forecast.Forecasters;
import io.meshcast.forecast.SeriesForecaster;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

final class ServingDecisionTest {

  private static final Duration STEP = Duration.ofSeconds(15);

  /** A model bootstrapped on a noisy level, so its calibrated quantiles are known to be wide. */
  private static SeriesForecaster noisy(double level, double sd) {
    Random r = new Random(7);
    double[] h = new double[600];
    for (int i = 0; i < h.length; i++) {
      h[i] = level + sd * r.nextGaussian();
    }
    return Forecasters.create(SeriesModel.forecasterConfig(PredictConfig.defaults(), STEP, 8),
        0L, h);
  }

  @Test
  void untrainedModel_fallsBackToObserved_withTheReason() {
    SeriesForecaster f = Forecasters.create(
        SeriesModel.forecasterConfig(PredictConfig.defaults(), STEP, 8));
    f.update(0, 10);
    ServingDecision.Decision d =
        new ServingDecision(8, Safety.MAX_WITH_OBSERVED, 1.0, Double.NaN, false).decide(f, 10);
    assertThat(d.rule()).isEqualTo(Rule.FALLBACK);
    assertThat(d.fallback()).contains(FallbackReason.INSUFFICIENT_HISTORY);
    assertThat(d.detail()).startsWith("insufficient history: 1 of");
    assertThat(d.served()).isEqualTo(10);
  }

  @Test
  void observationAboveEveryForecast_isTheFloor() {
    SeriesForecaster f = noisy(100, 1);
    ServingDecision.Decision d =
        new ServingDecision(8, Safety.MAX_WITH_OBSERVED, 10, Double.NaN, false).decide(f, 500);
    assertThat(d.served()).isEqualTo(500);
    assertThat(d.rule()).isIn(Rule.OBSERVED_FLOOR, Rule.FALLBACK);
  }

  @Test
  void risk_servesAnUpperQuantile_widerWhenTheSeriesIsVolatile() {
    SeriesForecaster calm = noisy(100, 1);
    SeriesForecaster volatile_ = noisy(100, 20);
    ServingDecision risk = new ServingDecision(8, Safety.MAX_WITH_OBSERVED, 1.0, 0.9, false);
    ServingDecision.Decision c = risk.decide(calm, 100);
    ServingDecision.Decision v = risk.decide(volatile_, 100);
    assertThat(c.rule()).isEqualTo(Rule.FORECAST_QUANTILE);
    assertThat(v.rule()).isEqualTo(Rule.FORECAST_QUANTILE);
    assertThat(c.served()).isGreaterThan(100);
    assertThat(v.served() - 100).as("headroom grows with volatility")
        .isGreaterThan(5 * (c.served() - 100));
  }

  @Test
  void nanObservation_isNoData() {
    ServingDecision.Decision d = new ServingDecision(8, Safety.MAX_WITH_OBSERVED, 1.0,
        Double.NaN, false).decide(noisy(100, 1), Double.NaN);
    assertThat(d.rule()).isEqualTo(Rule.NO_DATA);
    assertThat(d.served()).isNaN();
  }

  /** A model bootstrapped on a steady climb, so its trend models extrapolate the climb. */
  private static SeriesForecaster climbing() {
    double[] h = new double[600];
    for (int i = 0; i < h.length; i++) {
      h[i] = 100 + 2.0 * i;
    }
    return Forecasters.create(SeriesModel.forecasterConfig(PredictConfig.defaults(), STEP, 8),
        0L, h);
  }

  private static RecentHistory flat(double level, double sd, int n) {
    RecentHistory r = new RecentHistory(8, 4, 2880);
    Random rnd = new Random(3);
    for (int i = 0; i < n; i++) {
      r.add(level + sd * rnd.nextGaussian());
    }
    return r;
  }

  @Test
  void trendBound_capsExtrapolationAtTheLargestRiseTheSeriesHasShown() {
    SeriesForecaster f = climbing();
    RecentHistory history = flat(1000, 5, 600);
    double maxRise = history.maxRise();
    assertThat(maxRise).isBetween(1.0, 1.05);
    ServingDecision on = new ServingDecision(8, Safety.MAX_WITH_OBSERVED, 1.0, 0.4, false,
        false, true, 4);
    ServingDecision off = new ServingDecision(8, Safety.MAX_WITH_OBSERVED, 1.0, 0.4, false);
    ServingDecision.Decision unbounded = off.decide(f, 1000, history);
    ServingDecision.Decision bounded = on.decide(f, 1000, history);
    assertThat(unbounded.served()).as("the trend model extrapolates").isGreaterThan(1000 * maxRise);
    assertThat(bounded.rule()).isEqualTo(Rule.TREND_BOUND);
    assertThat(bounded.served()).isCloseTo(1000 * maxRise, org.assertj.core.api.Assertions.within(1e-9));
  }

  @Test
  void surge_detectedWithinOneRefresh_servesTheExtrapolation_whileItLasts() {
    SeriesForecaster f = noisy(100, 1);
    RecentHistory history = flat(100, 1, 400);
    ServingDecision d = new ServingDecision(8, Safety.MAX_WITH_OBSERVED, 1.0, 0.4, false,
        true, false, 4);
    assertThat(d.decide(f, 100, history).rule()).isNotEqualTo(Rule.SURGE);
    // One refresh: +20 (about 20 typical steps).
    history.add(120);
    ServingDecision.Decision first = d.decide(f, 120, history);
    assertThat(history.surging()).isTrue();
    assertThat(first.rule()).isEqualTo(Rule.SURGE);
    // A 1-minute window at 15 s shows a step as a 4-step ramp: served where it ends, ~100 + 4 * 20.
    assertThat(first.served()).isBetween(120 + 3 * 17.0, 120 + 3 * 23.0);
    history.add(140);
    assertThat(d.decide(f, 140, history).rule()).isEqualTo(Rule.SURGE);
    // It stops rising: the surge is over and the ordinary rules decide again.
    history.add(139);
    assertThat(history.surging()).isFalse();
    assertThat(d.decide(f, 139, history).rule()).isNotEqualTo(Rule.SURGE);
  }

  @Test
  void surge_isNotCappedByTheTrendBound_andNoiseIsNotASurge() {
    RecentHistory noise = flat(100, 10, 2000);
    int surges = 0;
    Random r = new Random(11);
    for (int i = 0; i < 2000; i++) {
      noise.add(100 + 10 * r.nextGaussian());
      surges += noise.surging() ? 1 : 0;
    }
    assertThat(surges).as("4 typical steps in one refresh is rare in noise").isLessThan(20);
    RecentHistory history = flat(100, 1, 400);
    history.add(160);
    ServingDecision both = new ServingDecision(8, Safety.MAX_WITH_OBSERVED, 1.0, 0.4, false,
        true, true, 4);
    ServingDecision.Decision dd = both.decide(noisy(100, 1), 160, history);
    assertThat(dd.rule()).isEqualTo(Rule.SURGE);
    // The ramp's end (100 + 4 * 60) is demand already seen in one refresh, not extrapolation.
    assertThat(dd.served()).isCloseTo(340, org.assertj.core.api.Assertions.within(2.0));
  }
}
