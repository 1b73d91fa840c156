package io.meshcast.adapter.debug;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshcast.adapter.pipeline.Level;
import io.meshcast.adapter.predict.FallbackReason;
import io.meshcast.adapter.config.PredictConfig;
import io.meshcast.adapter.predict.SeriesReport;
import io.meshcast.adapter.predict.ServingDecision.Rule;
import io.meshcast.forecast.Severity;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

final class RuleExplanationTest {

  private static final Duration LEAD = Duration.ofMinutes(2);

  private static SeriesReport report(Rule rule, double observed, double forecast, double served,
      Optional<String> fallback) {
    return new SeriesReport("demo/frontend/kuma_rps", "kuma_rps", Level.SERVICE, "demo",
        "frontend", "frontend_demo_svc_80", Map.of(), observed, Instant.EPOCH, forecast,
        Double.NaN, Double.NaN, served, 0, Severity.NONE, "naive", Double.NaN, fallback.isEmpty(),
        fallback, 100, 1, null, rule,
        fallback.map(x -> FallbackReason.INSUFFICIENT_HISTORY));
  }

  @Test
  void forecastQuantile_namesTheQuantileTheRiskAndBothValues() {
    String s = RuleExplanation.explain(report(Rule.FORECAST_QUANTILE, 53.1, 55, 56.44,
        Optional.empty()), PredictConfig.defaults().withRisk(OptionalDouble.of(0.6)), LEAD);
    assertThat(s).isEqualTo("the 40 % quantile of the forecast over the next 2 min "
        + "(forecast.risk 0.6: the accepted chance that demand exceeds what is served) peaks "
        + "at 56.4 req/s, above the observed 53.1 req/s");
  }

  @Test
  void observedFloor_saysTheForecastStayedBelow() {
    String s = RuleExplanation.explain(report(Rule.OBSERVED_FLOOR, 120, 110.25, 120,
        Optional.empty()), PredictConfig.defaults().withRisk(OptionalDouble.empty()), LEAD);
    assertThat(s).startsWith("the mean forecast over the next 2 min stays at or below the "
        + "observed 120 req/s (the mean peaks at 110 req/s)");
  }

  @Test
  void observedFloor_withRisk_namesTheQuantileThatStayedBelow() {
    // The 40 % quantile can stay below the observation while the mean rises above it.
    String s = RuleExplanation.explain(report(Rule.OBSERVED_FLOOR, 2.32, 2.42, 2.32,
        Optional.empty()), PredictConfig.defaults().withRisk(OptionalDouble.of(0.6)), LEAD);
    assertThat(s).startsWith("the 40 % quantile of the forecast over the next 2 min stays at or "
        + "below the observed 2.32 req/s (the mean peaks at 2.42 req/s)");
  }

  @Test
  void fallback_quotesTheReason() {
    String s = RuleExplanation.explain(report(Rule.FALLBACK, 0.004, Double.NaN, 0.004,
        Optional.of("insufficient history: 10 of 32 points")), PredictConfig.defaults(), LEAD);
    assertThat(s).isEqualTo("the model is not trusted (insufficient history: 10 of 32 points), "
        + "so the observed 0.004 req/s is served");
  }

  @Test
  void forecastWithSafetyForecast_warnsItMayBeBelowObserved() {
    String s = RuleExplanation.explain(report(Rule.FORECAST, 10, 8, 8, Optional.empty()),
        PredictConfig.defaults().withSafety(PredictConfig.Safety.FORECAST), LEAD);
    assertThat(s).contains("served as is (safety: forecast", "below the observed 10.0 req/s");
  }

  @Test
  void ratios_areExplainedInPerCent() {
    SeriesReport r = new SeriesReport("demo/frontend/kuma_error_ratio", "kuma_error_ratio",
        Level.SERVICE, "demo", "frontend", "frontend_demo_svc_80", Map.of(), 0.002, Instant.EPOCH,
        0.0019, Double.NaN, Double.NaN, 0.002, 0, Severity.NONE, "naive", Double.NaN, true,
        Optional.empty(), 100, 1, null, Rule.OBSERVED_FLOOR, Optional.empty());
    assertThat(RuleExplanation.explain(r, PredictConfig.defaults(), LEAD))
        .contains("the observed 0.2 % (the mean peaks at 0.19 %)");
  }

  @Test
  void noData_pointsAtTheNanPolicy() {
    assertThat(RuleExplanation.explain(report(Rule.NO_DATA, Double.NaN, Double.NaN, Double.NaN,
        Optional.empty()), PredictConfig.defaults(), LEAD)).contains("NaN policy");
  }
}
