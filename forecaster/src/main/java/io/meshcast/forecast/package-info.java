/**
 * Forecasting and anomaly scoring for regular-interval golden-signal series: the forecaster
 * module's public API. Everything a user of the module needs is in this package; the rest is
 * package-private here or lives under {@code io.meshcast.forecast.internal}, which no other
 * module may use (checked by {@code scripts/SourceStructure.java}).
 *
 * <p><b>Serving.</b> {@link io.meshcast.forecast.Forecasters#create} builds a {@link
 * io.meshcast.forecast.SeriesForecaster} from a validated {@link
 * io.meshcast.forecast.ForecasterConfig} (with its {@link io.meshcast.forecast.GapPolicy}). Its
 * interface states the life cycle, thread safety, NaN policy and memory bound. It answers with
 * records: {@link io.meshcast.forecast.AnomalyScore} (with a {@link
 * io.meshcast.forecast.Severity}), {@link io.meshcast.forecast.Forecast} of {@link
 * io.meshcast.forecast.ForecastPoint}s, {@link io.meshcast.forecast.ModelStatus} and {@link
 * io.meshcast.forecast.FitReport}. {@link io.meshcast.forecast.FitTransfer} moves a fitted model
 * between replicas of one series.
 *
 * <p><b>Evaluating.</b> Benchmarks use two entry points, both on {@code Forecasters}: {@link
 * io.meshcast.forecast.Forecasters#backtest} runs the forecasting spec's rolling-origin protocol
 * on a {@link io.meshcast.forecast.RegularSeries} against the baselines and returns a {@link
 * io.meshcast.forecast.BacktestResult}; {@link io.meshcast.forecast.Forecasters#model} runs one
 * model family with fixed parameters ({@link io.meshcast.forecast.ModelSpec}) as a {@link
 * io.meshcast.forecast.FixedModel}, built from the very classes the forecaster selects among;
 * {@link io.meshcast.forecast.Forecasters#anomalyStream} gives the forecaster's per-point anomaly
 * scoring ({@link io.meshcast.forecast.AnomalyStream}) on its own, to measure its cost and state.
 *
 * <p><b>Inside</b> (not API; may change without notice): {@code DefaultSeriesForecaster} (the
 * implementation, package-private) and {@code Backtest} here; {@code internal.smoothing} (the
 * model recursions), {@code internal.fit} (seasonality detection, parameter fitting, model
 * selection, interval calibration), {@code internal.series} (the bounded history) and {@code
 * internal.eval} (accuracy measures), {@code internal.anomaly} (residual scorer, regime
 * detector, score normaliser and their tuning). Dependencies point one way: this package uses the
 * internal packages, they never name a type of this package, so the package graph has no cycle.
 */
package io.meshcast.forecast;
