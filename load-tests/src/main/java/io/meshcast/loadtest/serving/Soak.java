package io.meshcast.loadtest.serving;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Soak mode: the adapter alone at a steady open-loop rate for {@code duration}, in windows of
 * {@code sample}; after each window the target's heap (after a full GC) and RSS are read.
 *
 * <p>Flatness is judged by the least-squares slope of each series over the samples after the
 * first fifth of the run (which holds the heap and RSS growth of warm-up: JIT, TLS session
 * caches, G1 region commits). Two slopes are reported in MiB per hour: least squares, {@code
 * b = Σ(t-t̄)(y-ȳ) / Σ(t-t̄)²}, and Theil–Sen, the median of the pairwise slopes {@code
 * (y_j - y_i) / (t_j - t_i)} (Sen 1968, J. Am. Stat. Assoc. 63:1379), which a few transient RSS
 * spikes (G1 expanding the heap, then uncommitting after the next full GC) cannot drag.
 */
final class Soak {

  /** Soak parameters. */
  record Config(
      int series,
      double rate,
      Duration duration,
      Duration sample,
      Duration warmup,
      int connections,
      List<String> targetJvmArgs,
      Path outDir) {
    Config {
      targetJvmArgs = List.copyOf(targetJvmArgs);
      if (series < 24 || !(rate > 0) || connections < 1) {
        throw new IllegalArgumentException("--soak-series must be >= 24, --rate positive and "
            + "--connections >= 1");
      }
      if (sample.compareTo(duration) > 0 || sample.toSeconds() < 1) {
        throw new IllegalArgumentException(
            "--sample must be between 1 s and --duration, got " + sample);
      }
    }
  }

  /** One window: its load result and the memory read at its end. */
  record Sample(double minutes, LoadGenerator.Result window, TargetProcess.Memory memory) {}

  /** All windows plus the fitted slopes (MiB/hour) over the steady part. */
  record Outcome(List<Sample> samples, double heapSlopeMiBPerHour, double rssSlopeMiBPerHour,
      double heapTheilSenMiBPerHour, double rssTheilSenMiBPerHour, int steadyFrom) {}

  private Soak() {}

  static Outcome run(Config c, PrintStream log) throws Exception {
    List<String> mix = RequestMix.paths(
        SyntheticMesh.generate(c.series(), 7, 0, java.time.Instant.EPOCH).services(), 512, 11);
    List<Sample> samples = new ArrayList<>();
    try (TargetProcess adapter = TargetProcess.start(ServingBench.ADAPTER, c.targetJvmArgs(),
        List.of("--mode", ServingBench.ADAPTER, "--series", Integer.toString(c.series())),
        c.outDir().resolve("soak-adapter.log"))) {
      try (LoadGenerator warm = new LoadGenerator(adapter.port(), c.connections())) {
        warm.fixedRate(mix, c.rate(), c.warmup(), Duration.ofSeconds(10));
      }
      long windows = Math.max(1, c.duration().toSeconds() / c.sample().toSeconds());
      long t0 = System.nanoTime();
      for (long w = 0; w < windows; w++) {
        LoadGenerator.Result r;
        try (LoadGenerator gen = new LoadGenerator(adapter.port(), c.connections())) {
          r = gen.fixedRate(mix, c.rate(), c.sample(), Duration.ofSeconds(10));
        }
        TargetProcess.Memory m = adapter.memory();
        double minutes = (System.nanoTime() - t0) / 60e9;
        samples.add(new Sample(minutes, r, m));
        log.printf("   soak %5.1f min: p99 %.2f ms, %.0f ok/s, %d errors | RSS %.1f MiB, "
                + "heap after GC %.1f MiB%n", minutes, r.p99Ms(), r.throughput(), r.errors(),
            m.rssBytes() / 1048576.0, m.heapAfterGcBytes() / 1048576.0);
      }
    }
    int from = samples.size() / 5;
    java.util.function.ToDoubleFunction<Sample> heap =
        s -> s.memory().heapAfterGcBytes() / 1048576.0;
    java.util.function.ToDoubleFunction<Sample> rss = s -> s.memory().rssBytes() / 1048576.0;
    return new Outcome(samples, slopePerHour(samples, from, heap), slopePerHour(samples, from, rss),
        theilSenPerHour(samples, from, heap), theilSenPerHour(samples, from, rss), from);
  }

  /** Least-squares slope of y(minutes) over samples[from..], per hour; NaN under 2 points. */
  static double slopePerHour(List<Sample> samples, int from,
      java.util.function.ToDoubleFunction<Sample> y) {
    List<Sample> s = samples.subList(from, samples.size());
    if (s.size() < 2) {
      return Double.NaN;
    }
    double tMean = s.stream().mapToDouble(Sample::minutes).average().orElseThrow();
    double yMean = s.stream().mapToDouble(y).average().orElseThrow();
    double sxy = 0;
    double sxx = 0;
    for (Sample x : s) {
      final double dt = x.minutes() - tMean;
      sxy += dt * (y.applyAsDouble(x) - yMean);
      sxx += dt * dt;
    }
    return sxx == 0 ? Double.NaN : sxy / sxx * 60;
  }

  /** Theil–Sen slope of y(minutes) over samples[from..], per hour; NaN under 2 points. */
  static double theilSenPerHour(List<Sample> samples, int from,
      java.util.function.ToDoubleFunction<Sample> y) {
    List<Sample> s = samples.subList(from, samples.size());
    List<Double> slopes = new ArrayList<>();
    for (int i = 0; i < s.size(); i++) {
      for (int j = i + 1; j < s.size(); j++) {
        final double dt = s.get(j).minutes() - s.get(i).minutes();
        if (dt > 0) {
          slopes.add((y.applyAsDouble(s.get(j)) - y.applyAsDouble(s.get(i))) / dt);
        }
      }
    }
    if (slopes.isEmpty()) {
      return Double.NaN;
    }
    double[] v = slopes.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    final double median =
        v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    return median * 60;
  }
}
