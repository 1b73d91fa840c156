package io.meshcast.adapter.predict;

import io.meshcast.adapter.config.PredictConfig.Safety;
import io.meshcast.forecast.Forecast;
import io.meshcast.forecast.ForecastPoint;
import io.meshcast.forecast.ModelStatus;
import io.meshcast.forecast.SeriesForecaster;
import java.util.Locale;
import java.util.Optional;

/**
 * The one place that decides the value an HPA receives for a {@code <signal>_forecast} metric,
 * and says which rule decided it. The server (through {@link ForecastPath}) and the load-test
 * replay use this class; nothing else computes a served value.
 *
 * <p>With {@code y} the latest observation, {@code L} the lead in model steps and {@code
 * maxOverLead} the forecaster's {@link SeriesForecaster#maxOverLead(int, double)} (the highest of
 * the last fed point and the forecasts at horizons 1..L, at the configured quantile or the mean):
 *
 * <pre>
 *   served = NaN                              y is NaN (the base metric's NaN policy decides)
 *          = y                                the model is untrustworthy          rule FALLBACK
 *          = max(maxOverLead(L), y)           safety maxWithObserved (default):
 *                                               rule FORECAST, or OBSERVED_FLOOR when y wins
 *          = max_{h=1..L} mean(h)             safety forecast (may fall below y)  rule FORECAST
 *   then clipped to the signal's range ([0, inf), [0, 1] for ratios)
 * </pre>
 *
 * A model is untrustworthy when it holds fewer than {@code minFitPoints} points, has not been fitted
 * yet, its recent error exceeds {@code maxRelativeError} times the naive forecast's, or the
 * forecaster itself says so ({@link ModelStatus#trustworthy()}).
 *
 * <p>Stateless; thread-safe. No logging, no allocation beyond the returned record and the path.
 */
public final class ServingDecision {

  /** Which rule decided a served value. */
  public enum Rule {
    /** The mean forecast over the lead was served. */
    FORECAST,
    /**
     * The {@code 1 - risk} quantile of the calibrated forecast distribution over the lead was
     * served (forecast.risk set).
     */
    FORECAST_QUANTILE,
    /** The forecast was below the observation, and the observation was served instead. */
    OBSERVED_FLOOR,
    /** The model is not trusted; the observation was served ({@link Decision#fallback()}). */
    FALLBACK,
    /** No usable observation: NaN is served and the base metric's policy decides. */
    NO_DATA,
    /**
     * A pod-level series without a model of its own ({@code forecast.podModels: false}): its
     * Service's served value shared over the pods reporting the signal (divided by their count
     * for additive signals, as is otherwise).
     */
    SERVICE_SHARE;

    /** The label shown on /debug and in metrics, e.g. {@code observed_floor}. */
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * One served value and why.
   *
   * @param served what the HPA receives (NaN: no value, the base policy decides)
   * @param rule the rule that decided it
   * @param fallback the reason for {@link Rule#FALLBACK}, else empty
   * @param detail human-readable detail of the fallback (empty otherwise)
   * @param forecast the highest mean forecast over horizons 1..L (NaN before any observation)
   * @param path the forecast for horizons 1..L, null before the first observation
   */
  public record Decision(double served, Rule rule, Optional<FallbackReason> fallback,
      String detail, double forecast, Forecast path) {}

  private final int leadSteps;
  private final Safety safety;
  private final double maxRelativeError;
  private final double quantile;
  private final boolean ratio;

  /**
   * @param leadSteps L, at least 1
   * @param quantile the quantile of the forecast distribution served at each horizon, or NaN for
   *     the mean
   * @param ratio whether the signal is a ratio (clipped to [0, 1])
   */
  public ServingDecision(int leadSteps, Safety safety, double maxRelativeError, double quantile,
      boolean ratio) {
    if (!Double.isNaN(quantile) && !(quantile >= 0.01 && quantile <= 0.99)) {
      throw new IllegalArgumentException("quantile must be in [0.01, 0.99], was " + quantile);
    }
    this.leadSteps = Math.max(1, leadSteps);
    this.safety = safety;
    this.maxRelativeError = maxRelativeError;
    this.quantile = quantile;
    this.ratio = ratio;
  }

  /** The decision for the latest observation {@code observed} of the series {@code f} models. */
  public Decision decide(SeriesForecaster f, double observed) {
    ModelStatus status = f.status();
    Forecast path = null;
    double peak = Double.NaN;
    if (status.pointsSeen() > 0) {
      path = f.forecast(leadSteps);
      for (ForecastPoint p : path.points()) {
        peak = Double.isNaN(peak) ? p.mean() : Math.max(peak, p.mean());
      }
    }
    peak = clip(peak);
    if (Double.isNaN(observed)) {
      return new Decision(Double.NaN, Rule.NO_DATA, Optional.empty(), "", peak, path);
    }
    Optional<FallbackReason> reason = reason(f, status);
    if (reason.isPresent() && reason.get() == FallbackReason.WORSE_THAN_NAIVE && risk()) {
      // The quantiles are calibrated on the model's own out-of-sample errors at each horizon, so
      // they keep the accepted risk even when its point forecast is no better than naive: a less
      // accurate model just gets wider headroom.
      reason = Optional.empty();
    }
    if (reason.isPresent() || path == null) {
      FallbackReason r = reason.orElse(FallbackReason.NO_MODEL);
      return new Decision(clip(observed), Rule.FALLBACK, Optional.of(r), detail(f, status, r),
          peak, path);
    }
    if (safety == Safety.FORECAST) {
      return new Decision(peak, Rule.FORECAST, Optional.empty(), "", peak, path);
    }
    double ahead = clip(f.maxOverLead(leadSteps, quantile));
    double y = clip(observed);
    return ahead > y
        ? new Decision(ahead, risk() ? Rule.FORECAST_QUANTILE : Rule.FORECAST, Optional.empty(),
            "", peak, path)
        : new Decision(y, Rule.OBSERVED_FLOOR, Optional.empty(), "", peak, path);
  }

  private boolean risk() {
    return !Double.isNaN(quantile);
  }

  private Optional<FallbackReason> reason(SeriesForecaster f, ModelStatus s) {
    if (s.historySize() < f.config().minFitPoints()) {
      return Optional.of(FallbackReason.INSUFFICIENT_HISTORY);
    }
    if (s.refits() == 0) {
      return Optional.of(FallbackReason.NO_MODEL);
    }
    double rel = s.relativeError();
    if ((!Double.isNaN(rel) && rel > maxRelativeError) || !s.trustworthy()) {
      return Optional.of(FallbackReason.WORSE_THAN_NAIVE);
    }
    return Optional.empty();
  }

  private String detail(SeriesForecaster f, ModelStatus s, FallbackReason r) {
    double rel = s.relativeError();
    return switch (r) {
      case INSUFFICIENT_HISTORY -> "insufficient history: " + s.historySize() + " of "
          + f.config().minFitPoints() + " points";
      case NO_MODEL -> "no model fitted yet";
      case WORSE_THAN_NAIVE -> !Double.isNaN(rel) && rel > maxRelativeError
          ? String.format(Locale.ROOT, "recent error %.2f x naive exceeds %.2f", rel,
              maxRelativeError)
          : "model untrustworthy (recent error worse than naive)";
    };
  }

  private double clip(double v) {
    if (Double.isNaN(v)) {
      return v;
    }
    double x = Math.max(0, v);
    return ratio ? Math.min(1, x) : x;
  }
}
