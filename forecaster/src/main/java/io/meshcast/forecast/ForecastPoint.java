package io.meshcast.forecast;

/**
 * One horizon of a forecast, in the series' original units.
 *
 * <p>Interval bounds come from empirical quantiles of out-of-sample h-step residuals measured at
 * the last refit (per series and per horizon). They are NaN until the first refit: no interval is
 * better than an invented one.
 *
 * @param horizonSteps steps ahead of the origin (1 = the next point)
 * @param targetEpochMillis timestamp of the forecast point
 * @param mean point forecast (for log-scale models the back-transformed value, i.e. a median-like
 *     forecast, which is what MAE rewards)
 * @param lower80 10 % quantile
 * @param upper80 90 % quantile
 * @param lower95 2.5 % quantile
 * @param upper95 97.5 % quantile
 */
public record ForecastPoint(
    int horizonSteps,
    long targetEpochMillis,
    double mean,
    double lower80,
    double upper80,
    double lower95,
    double upper95) {}
