package io.meshcast.forecast;

import java.util.List;
import java.util.Objects;

/**
 * The outcome of a rolling-origin backtest ({@link Forecasters#backtest}): accuracy of meshcast
 * and of each baseline at each requested horizon, plus what streaming the series through the
 * forecaster cost.
 *
 * @param rows one per method and horizon, methods in the order of {@link Forecasters#backtest}'s
 *     contract ({@code meshcast} first), horizons in the requested order
 * @param refits refits the forecaster ran while streaming the series
 * @param refitSeconds wall time spent in those refits
 * @param updateSeconds wall time spent in {@link SeriesForecaster#update} over the whole series
 * @param finalModel the forecaster's model after the last point ({@link ModelStatus#modelName()})
 */
public record BacktestResult(List<Row> rows, long refits, double refitSeconds,
    double updateSeconds, String finalModel) {

  public BacktestResult {
    rows = List.copyOf(rows);
    Objects.requireNonNull(finalModel, "finalModel");
    if (refits < 0) {
      throw new IllegalArgumentException("refits must be >= 0, was " + refits);
    }
  }

  /**
   * One method at one horizon over the test part. Pairs whose actual or forecast is NaN are
   * skipped; a metric with nothing to average is NaN.
   *
   * @param method {@code meshcast} or a baseline's name
   * @param horizon steps ahead
   * @param n forecast/actual pairs scored
   * @param mae mean absolute error
   * @param mase MAE over the in-sample MAE of the lag-1 naive forecast on the training part
   * @param smape symmetric MAPE in percent (M4 definition; 0/0 terms count as 0)
   * @param maeRelNaive MAE over the naive method's MAE at the same horizon
   * @param coverage80 share of actuals inside the 80 % interval; NaN for methods without intervals
   * @param coverage95 share inside the 95 % interval; NaN for methods without intervals
   */
  public record Row(String method, int horizon, long n, double mae, double mase, double smape,
      double maeRelNaive, double coverage80, double coverage95) {

    public Row {
      Objects.requireNonNull(method, "method");
      if (horizon < 1 || n < 0) {
        throw new IllegalArgumentException(
            "need horizon >= 1 and n >= 0, got " + horizon + " and " + n + " for " + method);
      }
    }
  }
}
