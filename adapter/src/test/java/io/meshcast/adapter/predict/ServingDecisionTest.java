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
}
