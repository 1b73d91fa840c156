package io.meshcast.loadtest.eval;

import io.meshcast.forecast.ForecasterConfig;
import io.meshcast.forecast.Forecasters;
import io.meshcast.forecast.SeriesForecaster;
import io.meshcast.forecast.series.RegularSeries;
import io.meshcast.forecast.smoothing.Combination;
import io.meshcast.forecast.smoothing.DampedHolt;
import io.meshcast.forecast.smoothing.HoltWinters;
import io.meshcast.forecast.smoothing.Model;
import io.meshcast.forecast.smoothing.Naive;
import io.meshcast.forecast.smoothing.SeasonallyAdjusted;
import io.meshcast.forecast.smoothing.SimpleExponentialSmoothing;
import io.meshcast.forecast.smoothing.Transform;
import io.meshcast.forecast.smoothing.TransformedModel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Single-threaded cost of the forecaster on one-week, one-minute series cut from the NASA trace:
 * update throughput per model (and of the whole {@link SeriesForecaster#update}, which adds
 * anomaly scoring and error tracking), refit throughput, and retained heap per series. Timings
 * are wall-clock on a shared machine; the naive model's update is the in-run baseline.
 */
final class CostBenchmark {
  private static final int WEEK = 10_080;

  private CostBenchmark() {}

  static String run(RegularSeries nasa, int refitSamples, int heapSeries) {
    final double[] y = nasa.slice(0, Math.min(nasa.size(), 2 * WEEK)).values();
    final double[] week = java.util.Arrays.copyOf(y, Math.min(WEEK, y.length));
    final double[] logWeek = new double[week.length];
    for (int i = 0; i < week.length; i++) {
      logWeek[i] = Math.log1p(week[i]);
    }
    final int day = 1_440;
    final Map<String, Supplier<Model>> models = new LinkedHashMap<>();
    models.put("naive", Naive::new);
    models.put("ses", () -> new SimpleExponentialSmoothing(0.2));
    models.put("holt-damped", () -> new DampedHolt(0.2, 0.05, 0.9));
    models.put("hw(1440)/log1p", () -> new TransformedModel(new HoltWinters(0.2, 0, 1,
        new int[] {day}, new double[] {0.1}, logWeek), Transform.LOG1P));
    models.put("hw(1440,10080)", () -> new HoltWinters(0.2, 0, 1, new int[] {day, WEEK},
        new double[] {0.1, 0.1}, week));
    models.put("ses+profile(1440)", () -> new SeasonallyAdjusted(
        new SimpleExponentialSmoothing(0.2), new double[day]));
    models.put("combo of 3", () -> new Combination(new Model[] {
        new SimpleExponentialSmoothing(0.2), new DampedHolt(0.2, 0.05, 0.9),
        new SeasonallyAdjusted(new SimpleExponentialSmoothing(0.2), new double[day])},
        new int[] {1, 30}, new double[][] {{0.5, 0.3, 0.2}, {0.2, 0.3, 0.5}}));

    final StringBuilder b = new StringBuilder();
    b.append("| what | ns / point | points / s |\n|---|---|---|\n");
    double sink = 0;
    for (var e : models.entrySet()) {
      final Model m = e.getValue().get();
      final int reps = 200;
      for (int warm = 0; warm < 20; warm++) {
        for (double v : y) {
          m.update(v);
          sink += m.forecast(1);
        }
      }
      final long t0 = System.nanoTime();
      for (int r = 0; r < reps; r++) {
        for (double v : y) {
          m.update(v);
          sink += m.forecast(1);
        }
      }
      final double ns = (System.nanoTime() - t0) / (double) (reps * y.length);
      b.append(String.format(Locale.ROOT, "| update + 1-step forecast: %s | %.1f | %,.0f |%n",
          e.getKey(), ns, 1e9 / ns));
    }

    // Whole SeriesForecaster.update (model + anomaly score + error tracking), bootstrapped.
    final ForecasterConfig config = ForecasterConfig.defaults(Duration.ofMinutes(1));
    final SeriesForecaster f = Forecasters.create(config, nasa.startEpochMillis(), week);
    long ts = nasa.startEpochMillis() + (long) week.length * 60_000L;
    final int updates = 2_000_000;
    for (int i = 0; i < 200_000; i++) {
      sink += f.update(ts, y[i % y.length]).score();
      ts += 60_000L;
    }
    final long u0 = System.nanoTime();
    for (int i = 0; i < updates; i++) {
      sink += f.update(ts, y[i % y.length]).score();
      ts += 60_000L;
    }
    final double updNs = (System.nanoTime() - u0) / (double) updates;
    b.append(String.format(Locale.ROOT,
        "| SeriesForecaster.update (model `%s` + anomaly score) | %.1f | %,.0f |%n",
        f.status().modelName(), updNs, 1e9 / updNs));

    // Refit: full re-selection on one week of 1-minute history.
    final List<Long> refitNs = new ArrayList<>();
    final java.lang.management.ThreadMXBean threads =
        java.lang.management.ManagementFactory.getThreadMXBean();
    long refitCpu = 0;
    for (int i = 0; i < refitSamples; i++) {
      final double[] hist = java.util.Arrays.copyOfRange(y, (i * 97) % WEEK,
          (i * 97) % WEEK + WEEK);
      final SeriesForecaster g = Forecasters.create(config.withHistoryCapacity(WEEK));
      long t = nasa.startEpochMillis();
      for (double v : hist) {
        g.update(t, v);
        t += 60_000L;
      }
      final long c0 = threads.getCurrentThreadCpuTime();
      final long r0 = System.nanoTime();
      g.refit();
      refitNs.add(System.nanoTime() - r0);
      refitCpu += threads.getCurrentThreadCpuTime() - c0;
    }
    refitNs.sort(null);
    final double meanRefitWall = refitNs.stream().mapToLong(Long::longValue).average().orElse(0);
    // thread CPU time: the machine is shared, so wall time includes waiting for a core
    final double meanRefit = (double) refitCpu / refitSamples;
    b.append(String.format(Locale.ROOT,
        "| refit (seasonality, fit, selection, calibration) on 1 week = %d points; mean CPU of"
            + " %d (mean wall %.0f ms, median wall %.0f ms) | %.0f | %,.0f |%n",
        WEEK, refitSamples, meanRefitWall / 1e6, refitNs.get(refitNs.size() / 2) / 1e6,
        meanRefit / WEEK, 1e9 * WEEK / meanRefit));
    b.append(String.format(Locale.ROOT,
        "%nProjected single-core refit of 10,000 one-week 1-minute series (CPU time): **%.0f s**"
            + " (target < 60 s).%n", meanRefit * 10_000 / 1e9));

    // Heap per series: bootstrapped forecasters held live.
    final Runtime rt = Runtime.getRuntime();
    final List<SeriesForecaster> live = new ArrayList<>();
    gc();
    final long before = rt.totalMemory() - rt.freeMemory();
    for (int i = 0; i < heapSeries; i++) {
      live.add(Forecasters.create(config, nasa.startEpochMillis(), week));
    }
    gc();
    final long after = rt.totalMemory() - rt.freeMemory();
    b.append(String.format(Locale.ROOT,
        "%nRetained heap per series (default 1-minute config: history capacity %d points,"
            + " bootstrapped with one week, %d series live): **%.0f KiB**.%n",
        config.historyCapacity(), live.size(), (after - before) / 1024.0 / live.size()));
    if (sink == 42) {
      b.append(' ');
    }
    return b.toString();
  }

  /** Heap in use after a few collections (for retained-size estimates). */
  static long usedHeap() {
    gc();
    final Runtime rt = Runtime.getRuntime();
    return rt.totalMemory() - rt.freeMemory();
  }

  private static void gc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
