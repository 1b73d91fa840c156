package io.meshcast.loadtest.eval;

import io.meshcast.forecast.FixedModel;
import io.meshcast.forecast.ForecasterConfig;
import io.meshcast.forecast.Forecasters;
import io.meshcast.forecast.ModelSpec;
import io.meshcast.forecast.RegularSeries;
import io.meshcast.forecast.SeriesForecaster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Single-threaded cost of the forecaster on one-week, one-minute series cut from the NASA trace:
 * update throughput per model (and of the whole {@link SeriesForecaster#update}, which adds
 * anomaly scoring and error tracking), refit cost of a series' first fit (cold) and in the steady
 * state (warm-started refits every 6 hours), and retained heap per series. Update timings are
 * wall-clock on a shared machine, with the naive model's update as the in-run baseline; refit
 * cost is the thread's CPU time.
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
    final List<Double> weekValues = boxed(week);
    final List<Double> logWeekValues = boxed(logWeek);
    final ModelSpec ses = new ModelSpec.Ses(0.2);
    final ModelSpec holt = new ModelSpec.DampedHolt(0.2, 0.05, 0.9);
    final ModelSpec profiled = new ModelSpec.SeasonallyAdjusted(ses, boxed(new double[day]));
    final Map<String, ModelSpec> models = new LinkedHashMap<>();
    models.put("naive", new ModelSpec.Naive());
    models.put("ses", ses);
    models.put("holt-damped", holt);
    models.put("hw(1440)/log1p", new ModelSpec.Log1p(new ModelSpec.HoltWinters(0.2, 0, 1,
        List.of(day), List.of(0.1), logWeekValues)));
    models.put("hw(1440,10080)", new ModelSpec.HoltWinters(0.2, 0, 1, List.of(day, WEEK),
        List.of(0.1, 0.1), weekValues));
    models.put("ses+profile(1440)", profiled);
    models.put("combo of 3", new ModelSpec.Combination(List.of(ses, holt, profiled),
        List.of(1, 30), List.of(List.of(0.5, 0.3, 0.2), List.of(0.2, 0.3, 0.5))));

    final StringBuilder b = new StringBuilder();
    b.append("| what | ns / point | points / s |\n|---|---|---|\n");
    double sink = 0;
    for (var e : models.entrySet()) {
      final FixedModel m = Forecasters.model(e.getValue());
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

    // Refit on one week of 1-minute history: the first fit of a series (cold: no earlier
    // parameters) and the steady state (every 6 hours = 360 new points, warm-started from the
    // previous fit, a full re-selection every 4th refit as the forecaster schedules it).
    final double[] all = nasa.values();
    final int steps = 360;
    final int warmRefits = 4;
    final java.lang.management.ThreadMXBean threads =
        java.lang.management.ManagementFactory.getThreadMXBean();
    final List<Long> coldWall = new ArrayList<>();
    long coldCpu = 0;
    long warmCpu = 0;
    for (int i = 0; i < refitSamples; i++) {
      final int from = (i * 97) % WEEK;
      final SeriesForecaster g = Forecasters.create(config.withHistoryCapacity(WEEK));
      long t = nasa.startEpochMillis();
      int next = from;
      for (; next < from + WEEK; next++) {
        g.update(t, all[next % all.length]);
        t += 60_000L;
      }
      final long c0 = threads.getCurrentThreadCpuTime();
      final long r0 = System.nanoTime();
      g.refit();
      coldWall.add(System.nanoTime() - r0);
      coldCpu += threads.getCurrentThreadCpuTime() - c0;
      for (int r = 0; r < warmRefits; r++) {
        for (int k = 0; k < steps; k++, next++) {
          g.update(t, all[next % all.length]);
          t += 60_000L;
        }
        final long w0 = threads.getCurrentThreadCpuTime();
        g.refit();
        warmCpu += threads.getCurrentThreadCpuTime() - w0;
      }
    }
    coldWall.sort(null);
    // thread CPU time: the machine is shared, so wall time includes waiting for a core
    final double meanCold = (double) coldCpu / refitSamples;
    final double meanWarm = (double) warmCpu / (refitSamples * warmRefits);
    b.append(String.format(Locale.ROOT,
        "| first refit of a series (cold: seasonality, fit from default starts, selection,"
            + " calibration) on 1 week = %d points; mean CPU of %d (median wall %.0f ms) |"
            + " %.0f | %,.0f |%n",
        WEEK, refitSamples, coldWall.get(coldWall.size() / 2) / 1e6, meanCold / WEEK,
        1e9 * WEEK / meanCold));
    b.append(String.format(Locale.ROOT,
        "| steady-state refit (after 360 new points, warm-started, every 4th one a full"
            + " re-selection) on 1 week; mean CPU of %d | %.0f | %,.0f |%n",
        refitSamples * warmRefits, meanWarm / WEEK, 1e9 * WEEK / meanWarm));
    b.append(String.format(Locale.ROOT,
        "%nRefit CPU per one-week series: first fit **%.1f ms**, steady state **%.1f ms**."
            + " Projected single-core CPU to refit 10,000 one-week 1-minute series: first fits"
            + " **%.0f s**, steady state **%.0f s** (target < 60 s).%n",
        meanCold / 1e6, meanWarm / 1e6, meanCold * 10_000 / 1e9, meanWarm * 10_000 / 1e9));

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

  private static List<Double> boxed(double[] values) {
    return java.util.Arrays.stream(values).boxed().toList();
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
