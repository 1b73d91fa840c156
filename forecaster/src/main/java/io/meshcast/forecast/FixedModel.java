package io.meshcast.forecast;

/**
 * One forecasting recursion with fixed parameters, as built by {@link Forecasters#model} from a
 * {@link ModelSpec}: the building blocks a {@link SeriesForecaster} fits and selects among, run
 * on their own (no fitting, no intervals, no anomaly scoring). Meant for benchmarks and
 * experiments that measure one model family; serving code uses {@link SeriesForecaster}.
 *
 * <p><b>NaN policy.</b> {@code update(NaN)} is a missing observation: the model advances its
 * state on its own one-step forecast (seasonal phases stay aligned) without new information.
 * Before any value has been seen, forecasts are NaN.
 *
 * <p><b>Thread safety.</b> None: one thread at a time. {@code update} and {@code forecast} do
 * not allocate.
 */
public interface FixedModel {

  /** The model's name as {@link FitReport.Candidate#name()} reports it, e.g. {@code "ses"}. */
  String name();

  /** Consumes the next observation (NaN = missing). */
  void update(double y);

  /**
   * The forecast {@code h} steps after the last consumed observation, in original units.
   *
   * @throws IllegalArgumentException if {@code h < 1}
   */
  double forecast(int h);
}
