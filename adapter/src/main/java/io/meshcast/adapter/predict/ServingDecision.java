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
 * With {@code maxWithObserved}, two rules use the series' own history ({@link RecentHistory}):
 *
 * <pre>
 *   trend bound  forecast &gt; y * maxRise (y &gt; 0)   serve max(y, y * maxRise)   rule TREND_BOUND
 *   surge        surging at the newest point        serve surgeTarget when it exceeds the
 *                                                   value above                  rule SURGE
 *   surgeTarget  = y + rise * max(0, W - j)         rise: mean rise per step over the j steps
 *                                                   since the surge began; W: the rate window
 *                                                   in steps
 * </pre>
 *
 * {@code maxRise} is the largest rise over the lead the series has shown (a forecast above it
 * extrapolates growth the history does not support: the overshoot that costs replica-hours); a
 * surge is a change point within one refresh, served while the series keeps rising. A step in
 * demand shows in {@code rate(...[W])} as a ramp W steps long; the surge target is where that
 * ramp ends, i.e. the demand the surge has already revealed, without waiting for the window.
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
    /**
     * The forecast extrapolated more growth over the lead than the series has ever shown; the
     * largest rise it has shown was served instead.
     */
    TREND_BOUND,
    /** A surge was detected at the newest point; its extrapolation over the lead was served. */
    SURGE,
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
  private final boolean surge;
  private final boolean trendBound;
  private final int windowSteps;

  /** As below, without the surge rule and the trend bound. */
  public ServingDecision(int leadSteps, Safety safety, double maxRelativeError, double quantile,
      boolean ratio) {
    this(leadSteps, safety, maxRelativeError, quantile, ratio, false, false, 1);
  }

  /**
   * @param leadSteps L, at least 1
   * @param quantile the quantile of the forecast distribution served at each horizon, or NaN for
   *     the mean
   * @param ratio whether the signal is a ratio (clipped to [0, 1])
   * @param surge whether the surge rule applies
   * @param trendBound whether the trend bound applies
   * @param windowSteps the signal's rate window in model steps (1 for gauges): a step in demand
   *     shows in a windowed rate as a ramp this many steps long
   */
  public ServingDecision(int leadSteps, Safety safety, double maxRelativeError, double quantile,
      boolean ratio, boolean surge, boolean trendBound, int windowSteps) {
    if (!Double.isNaN(quantile) && !(quantile >= 0.01 && quantile <= 0.99)) {
      throw new IllegalArgumentException("quantile must be in [0.01, 0.99], was " + quantile);
    }
    this.leadSteps = Math.max(1, leadSteps);
    this.safety = safety;
    this.maxRelativeError = maxRelativeError;
    this.quantile = quantile;
    this.ratio = ratio;
    this.surge = surge;
    this.trendBound = trendBound;
    this.windowSteps = Math.max(1, windowSteps);
  }

  /** The signal's rate window in model steps (1 for gauges). */
  public int windowSteps() {
    return windowSteps;
  }

  /** The lead in model steps. */
  public int leadSteps() {
    return leadSteps;
  }

  /** The decision without the series' recent history (no surge rule, no trend bound). */
  public Decision decide(SeriesForecaster f, double observed) {
    return decide(f, observed, null);
  }

  /**
   * The decision for the latest observation {@code observed} of the series {@code f} models,
   * with the series' {@code recent} history (null: none).
   */
  public Decision decide(SeriesForecaster f, double observed, RecentHistory recent) {
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
    Rule rule = risk() ? Rule.FORECAST_QUANTILE : Rule.FORECAST;
    double bound = Double.POSITIVE_INFINITY;
    if (recent != null && trendBound && y > 0 && !Double.isNaN(recent.maxRise())) {
      bound = Math.max(y, clip(y * recent.maxRise()));
      if (ahead > bound) {
        ahead = bound;
        rule = Rule.TREND_BOUND;
      }
    }
    if (recent != null && surge && recent.surging()) {
      // Not capped by the trend bound: the ramp's end is demand already seen, not extrapolation.
      double target = clip(recent.surgeTarget());
      if (target > Math.max(ahead, y)) {
        return new Decision(target, Rule.SURGE, Optional.empty(), "", peak, path);
      }
    }
    return ahead > y
        ? new Decision(ahead, rule, Optional.empty(), "", peak, path)
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
