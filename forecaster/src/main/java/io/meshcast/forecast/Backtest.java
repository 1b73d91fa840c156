package io.meshcast.forecast;

import io.meshcast.forecast.internal.eval.Accuracy;
import io.meshcast.forecast.internal.fit.ParameterFitter;
import io.meshcast.forecast.internal.smoothing.HoltWinters;
import io.meshcast.forecast.internal.smoothing.Model;
import io.meshcast.forecast.internal.smoothing.Naive;
import io.meshcast.forecast.internal.smoothing.SeasonalNaive;
import io.meshcast.forecast.internal.smoothing.SimpleExponentialSmoothing;
import io.meshcast.forecast.internal.smoothing.Transform;
import io.meshcast.forecast.internal.smoothing.TransformedModel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Rolling-origin backtest following the protocol of the forecasting spec: the first {@code
 * trainPoints} points train, and at every origin t in the test part each method, updated one
 * observation at a time, forecasts y[t+h] for each requested h. Baseline parameters are tuned on
 * the training part only (one-step MSE, like the spec's measured baselines). meshcast streams the
 * whole series through {@link SeriesForecaster} and refits on its own schedule from past data
 * only (no look-ahead), exactly as the adapter would.
 *
 * <p>Methods: {@code meshcast}, {@code naive}, {@code snaive-day} (if the day is a whole number
 * of steps and the training part holds two), {@code ses-tuned}, {@code hw-day-tuned}, {@code
 * hw-day-log1p-tuned}, and {@code phpa-hw-0.9} (additive Holt-Winters, daily season,
 * α = β = γ = 0.9 as in PHPA's example configuration).
 */
final class Backtest {
  private Backtest() {}

  /** See {@link Forecasters#backtest}. */
  static BacktestResult run(RegularSeries series, int trainPoints, int[] horizons) {
    final double[] y = series.values();
    final int n = y.length;
    if (trainPoints < 16 || trainPoints >= n) {
      throw new IllegalArgumentException("need 16 <= trainPoints < " + n + ", got " + trainPoints);
    }
    final double scale = Accuracy.naiveScale(y, trainPoints);
    final long day = 86_400_000L;
    final int dayPeriod = day % series.stepMillis() == 0 ? (int) (day / series.stepMillis()) : 0;
    int hMax = 0;
    for (int h : horizons) {
      hMax = Math.max(hMax, h);
    }

    final Map<String, Model> baselines = new LinkedHashMap<>();
    baselines.put("naive", new Naive());
    final boolean seasonal = dayPeriod >= 2 && 2 * dayPeriod <= trainPoints;
    if (seasonal) {
      baselines.put("snaive-day", new SeasonalNaive(dayPeriod));
    }
    final double[] alpha = tune(p -> new SimpleExponentialSmoothing(p[0]), y, trainPoints,
        new double[] {0.3}, new double[] {0.01}, new double[] {1}, 0);
    baselines.put("ses-tuned", new SimpleExponentialSmoothing(alpha[0]));
    if (seasonal) {
      for (Transform t : List.of(Transform.IDENTITY, Transform.LOG1P)) {
        final double[] z = transformed(y, t);
        final double[] p = tune(q -> new HoltWinters(q[0], q[1], 1, new int[] {dayPeriod},
                new double[] {q[2]}, z), z, trainPoints, new double[] {0.2, 0.01, 0.1},
            new double[] {0.01, 0, 0.001}, new double[] {1, 0.3, 0.6}, dayPeriod);
        final Model hw = new TransformedModel(new HoltWinters(p[0], p[1], 1,
            new int[] {dayPeriod}, new double[] {p[2]}, z), t);
        baselines.put(t == Transform.IDENTITY ? "hw-day-tuned" : "hw-day-log1p-tuned", hw);
      }
      baselines.put("phpa-hw-0.9", new HoltWinters(0.9, 0.9, 1, new int[] {dayPeriod},
          new double[] {0.9}, y));
    }

    final ForecasterConfig config = ForecasterConfig.defaults(Duration.ofMillis(
        series.stepMillis())).withMaxHorizonSteps(Math.max(hMax,
        ForecasterConfig.defaults(Duration.ofMillis(series.stepMillis())).maxHorizonSteps()));
    final SeriesForecaster meshcast = Forecasters.create(config);

    final Map<String, Accuracy[]> acc = new LinkedHashMap<>();
    acc.put("meshcast", newAcc(horizons.length));
    for (String name : baselines.keySet()) {
      acc.put(name, newAcc(horizons.length));
    }
    long refitNanos = 0;
    long updateNanos = 0;
    long refits = 0;
    for (int t = 0; t < n; t++) {
      // origin t: everything before t has been seen
      if (t >= trainPoints) {
        final var f = meshcast.forecast(hMax);
        for (int i = 0; i < horizons.length; i++) {
          final int target = t + horizons[i] - 1;
          if (target < n) {
            final ForecastPoint p = f.at(horizons[i]);
            acc.get("meshcast")[i].add(y[target], p.mean(), p.lower80(), p.upper80(),
                p.lower95(), p.upper95());
            for (var e : baselines.entrySet()) {
              acc.get(e.getKey())[i].add(y[target], e.getValue().forecast(horizons[i]));
            }
          }
        }
      }
      final long u0 = System.nanoTime();
      meshcast.update(series.timestampAt(t), y[t]);
      updateNanos += System.nanoTime() - u0;
      if (meshcast.refitDue()) {
        final long r0 = System.nanoTime();
        meshcast.refit();
        refitNanos += System.nanoTime() - r0;
        refits++;
      }
      for (Model m : baselines.values()) {
        m.update(y[t]);
      }
    }

    final List<BacktestResult.Row> rows = new ArrayList<>();
    final Accuracy[] naive = acc.get("naive");
    for (var e : acc.entrySet()) {
      for (int i = 0; i < horizons.length; i++) {
        final Accuracy a = e.getValue()[i];
        rows.add(new BacktestResult.Row(e.getKey(), horizons[i], a.count(), a.mae(), a.mase(scale), a.smape(),
            a.mae() / naive[i].mae(), a.coverage80(), a.coverage95()));
      }
    }
    return new BacktestResult(rows, refits, refitNanos / 1e9, updateNanos / 1e9,
        meshcast.status().modelName());
  }

  private static Accuracy[] newAcc(int k) {
    final Accuracy[] a = new Accuracy[k];
    for (int i = 0; i < k; i++) {
      a[i] = new Accuracy();
    }
    return a;
  }

  private static double[] transformed(double[] y, Transform t) {
    final double[] z = new double[y.length];
    for (int i = 0; i < y.length; i++) {
      z[i] = Double.isNaN(y[i]) ? y[i] : t.apply(y[i]);
    }
    return z;
  }

  /** Minimises the one-step MSE of the model on z[0, end) after {@code warm} points. */
  private static double[] tune(Function<double[], Model> factory, double[] z, int end,
      double[] start, double[] lo, double[] hi, int warm) {
    return ParameterFitter.minimise(p -> {
      final Model m = factory.apply(p);
      double sse = 0;
      for (int t = 0; t < end; t++) {
        if (t >= warm && !Double.isNaN(z[t])) {
          final double e = z[t] - m.forecast(1);
          if (!Double.isNaN(e)) {
            sse += e * e;
          }
        }
        m.update(z[t]);
      }
      return sse;
    }, start, lo, hi, 200);
  }
}
