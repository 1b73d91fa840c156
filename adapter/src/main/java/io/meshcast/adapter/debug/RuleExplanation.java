package io.meshcast.adapter.debug;

import io.meshcast.adapter.config.PredictConfig;
import io.meshcast.adapter.predict.SeriesReport;
import io.meshcast.adapter.predict.ServingDecision;
import java.time.Duration;
import java.util.Locale;

/**
 * One sentence per served value saying which rule of {@link ServingDecision} decided it and with
 * which numbers, for the debug page: e.g. {@code the 40 % quantile of the forecast over the next
 * 2 min (forecast.risk 0.6 …) peaks at 56.4 req/s, above the observed 53.1 req/s}, values in the
 * signal's {@link DisplayUnit}. A rule this class does not know (one added later) is named with its
 * label rather than explained wrongly. Stateless.
 */
final class RuleExplanation {

  private RuleExplanation() {}

  /** Why {@code r.served()} is what it is, given the settings in force and the lead. */
  static String explain(SeriesReport r, PredictConfig config, Duration lead) {
    String over = "over the next " + ModelDescription.words(lead);
    DisplayUnit unit = DisplayUnit.of(r.signal());
    String observed = unit.format(r.observed());
    String served = unit.format(r.served());
    ServingDecision.Rule rule = r.rule();
    switch (rule) {
      case FORECAST_QUANTILE:
        return "the " + percent(config.servedQuantile()) + " quantile of the forecast " + over
            + " (forecast.risk " + num(config.risk().orElse(Double.NaN))
            + ": the accepted chance that demand exceeds what is served) peaks at " + served
            + ", above the observed " + observed;
      case FORECAST:
        return config.safety() == PredictConfig.Safety.FORECAST
            ? "the highest mean forecast " + over + ", " + served
                + ", served as is (safety: forecast, so it may be below the observed " + observed
                + ")"
            : "the highest mean forecast " + over + ", " + served + ", is above the observed "
                + observed;
      case OBSERVED_FLOOR:
        // With a risk set the served quantile may be below the mean: say which one stayed below.
        return (Double.isNaN(config.servedQuantile()) ? "the mean forecast " + over
            : "the " + percent(config.servedQuantile()) + " quantile of the forecast " + over)
            + " stays at or below the observed " + observed + " (the mean peaks at "
            + unit.format(r.forecast()) + "), so the observed value is served: safety "
            + "maxWithObserved never serves less than what is happening now";
      case FALLBACK:
        return "the model is not trusted (" + r.fallback().orElse("no reason recorded")
            + "), so the observed " + observed + " is served";
      case NO_DATA:
        return "no usable observation: nothing is served and the base metric's NaN policy"
            + " decides";
      default:
        return "rule " + rule.label() + ": served " + served + " (observed " + observed + ")";
    }
  }

  private static String percent(double q) {
    return String.format(Locale.ROOT, "%.0f %%", 100 * q);
  }

  /** Three significant digits, no exponent for ordinary values. */
  static String num(double v) {
    if (Double.isNaN(v)) {
      return "none";
    }
    double a = Math.abs(v);
    if (a >= 100 || a == 0) {
      return String.format(Locale.ROOT, "%.0f", v);
    }
    if (a >= 10) {
      return String.format(Locale.ROOT, "%.1f", v);
    }
    if (a >= 1) {
      return String.format(Locale.ROOT, "%.2f", v);
    }
    return new java.math.BigDecimal(v).round(new java.math.MathContext(3)).stripTrailingZeros()
        .toPlainString();
  }
}
