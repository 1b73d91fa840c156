package io.meshcast.loadtest.eval;

import io.meshcast.forecast.AnomalyScore;
import io.meshcast.forecast.AnomalyStream;
import io.meshcast.forecast.ForecasterConfig;
import io.meshcast.forecast.Forecasters;
import io.meshcast.forecast.SeriesForecaster;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code anomaly-eval}: the anomaly scorer's evaluation in one run — {@code meshcast anomaly
 * --irregular=snap} (the real CLI, in-process) on every NAB file under {@code data/nab} in NAB's
 * simple layout for {@code nab_score.py}, the false-alarm check on synthetic anomaly-free series,
 * and the scorer's cost per point and state size. Writes {@code anomaly-results.md} to {@code
 * --out}.
 */
@Command(name = "anomaly-eval", mixinStandardHelpOptions = true,
    description = "Anomaly evaluation: NAB output of `meshcast anomaly`, false-alarm check, cost")
public final class AnomalyEvaluationCommand implements Callable<Integer> {
  /** NAB's artificial files: 5-minute steps, 14 days */
  private static final int POINTS = 4_032;
  private static final Duration STEP = Duration.ofMinutes(5);
  private static final int DAY = 288;

  @Option(names = "--data", defaultValue = "load-tests/data",
      description = "evaluation data directory (default: ${DEFAULT-VALUE})")
  Path data;

  @Option(names = "--out", defaultValue = "load-tests/target/anomaly-eval",
      description = "output directory (default: ${DEFAULT-VALUE})")
  Path out;

  @Option(names = "--skip-nab", description = "skip the NAB run")
  boolean skipNab;

  @Option(names = "--nab-only",
      description = "only the NAB run (no false-alarm check, no cost run); used per grid setting"
          + " by the cross-validation (evaluate-anomaly.sh --cv)")
  boolean nabOnly;

  @Option(names = "--quick", description = "1 NAB file, one seed, a short cost run (smoke test)")
  boolean quick;

  @Override
  public Integer call() throws Exception {
    Files.createDirectories(out);
    final StringBuilder md = new StringBuilder();
    if (!skipNab) {
      final long t0 = System.nanoTime();
      final List<String> refused = new ArrayList<>();
      final List<String> keys = NabRun.run(data.resolve("nab"), out.resolve("nab"),
          quick ? 1 : 0, refused);
      md.append(String.format(Locale.ROOT, "### NAB\n\n`meshcast anomaly --irregular=snap` on %d"
          + " files (%.1f s): `%s`\n\n", keys.size(), (System.nanoTime() - t0) / 1e9,
          out.resolve("nab")));
      md.append("Scorer tuning (discount,memory,spread,gate,weight,record): ").append(
          AnomalyStream.tuning())
          .append("\n\n");
      md.append(refused.isEmpty() ? "No file refused.\n\n"
          : "Refused by the CLI, scored as no detections:\n\n- "
              + String.join("\n- ", refused) + "\n\n");
    }
    if (!nabOnly) {
      md.append(falseAlarms(quick ? 1 : 3)).append('\n')
          .append(quick ? cost(100_000, 50) : cost(2_000_000, 2_000));
    }
    final Path report = out.resolve("anomaly-results.md");
    Files.writeString(report, md, StandardCharsets.UTF_8);
    System.out.println(md);
    System.out.println("wrote " + report);
    return 0;
  }

  /** Synthetic anomaly-free series like NAB's artificialNoAnomaly files. */
  static Map<String, double[]> anomalyFree(long seed) {
    final Random rnd = new Random(seed);
    final Map<String, double[]> m = new LinkedHashMap<>();
    final double[] noise = new double[POINTS];
    final double[] dailySmallNoise = new double[POINTS];
    final double[] dailyNoNoise = new double[POINTS];
    final double[] square = new double[POINTS];
    final double[] levelShift = new double[POINTS];
    for (int i = 0; i < POINTS; i++) {
      final double phase = 2 * Math.PI * i / DAY;
      noise[i] = 50 + 10 * rnd.nextGaussian();
      dailySmallNoise[i] = 50 + 30 * Math.sin(phase) + 2 * rnd.nextGaussian();
      dailyNoNoise[i] = 50 + 30 * Math.sin(phase);
      // a level that switches every 2 days and each level persists (an ordinary step pattern)
      square[i] = ((i / (2 * DAY)) % 2 == 0 ? 20 : 60) + rnd.nextGaussian();
      // one persistent level shift at 30 % of the series, well before the scored part ends
      levelShift[i] = (i < 0.3 * POINTS ? 40 : 70) + 3 * rnd.nextGaussian();
    }
    m.put("gaussian noise", noise);
    m.put("daily sine + small noise", dailySmallNoise);
    m.put("daily sine, no noise", dailyNoNoise);
    m.put("square wave (2-day levels)", square);
    m.put("one persistent level shift (at 30 %)", levelShift);
    return m;
  }

  /**
   * Scores each anomaly-free series through the public forecaster API with the CLI's defaults and
   * counts points at or above 25 ("minor") after NAB's probation (the first 15 %), for three
   * seeds. A level shift is an anomaly when it happens, so that series is judged only after
   * its shift has had a day to settle; the target is no point ≥ 25 anywhere else.
   */
  static String falseAlarms(int seeds) {
    final StringBuilder b = new StringBuilder("### False-alarm check (anomaly-free series)\n\n"
        + "5-minute steps, 4,032 points, scores after the first 15 %; seeds 1.." + seeds + ".\n\n"
        + "| series | points ≥ 25 (per seed) | points ≥ 50 | max score |\n|---|---|---|---|\n");
    final Map<String, int[]> minor = new LinkedHashMap<>();
    final Map<String, int[]> major = new LinkedHashMap<>();
    final Map<String, Double> max = new LinkedHashMap<>();
    for (int seed = 1; seed <= seeds; seed++) {
      for (var e : anomalyFree(seed).entrySet()) {
        final double[] y = e.getValue();
        final SeriesForecaster f = Forecasters.create(ForecasterConfig.defaults(STEP));
        final int from = e.getKey().startsWith("one persistent")
            ? (int) (0.3 * POINTS) + DAY : (int) (0.15 * POINTS);
        final int[] m = minor.computeIfAbsent(e.getKey(), k -> new int[seeds]);
        final int[] j = major.computeIfAbsent(e.getKey(), k -> new int[seeds]);
        for (int i = 0; i < y.length; i++) {
          final AnomalyScore s = f.update(i * STEP.toMillis(), y[i]);
          if (f.refitDue()) {
            f.refit();
          }
          if (i >= from) {
            m[seed - 1] += s.score() >= 25 ? 1 : 0;
            j[seed - 1] += s.score() >= 50 ? 1 : 0;
            max.merge(e.getKey(), s.score(), Math::max);
          }
        }
      }
    }
    for (String k : minor.keySet()) {
      final int[] m = minor.get(k);
      final int[] j = major.get(k);
      b.append(String.format(Locale.ROOT, "| %s | %s | %s | %.1f |\n", k, joined(m), joined(j),
          max.get(k)));
    }
    return b.toString();
  }

  private static String joined(int[] counts) {
    return java.util.Arrays.stream(counts).mapToObj(Integer::toString)
        .collect(java.util.stream.Collectors.joining(" / "));
  }

  /**
   * Cost of the anomaly part alone (residual scorer + regime detector, as the forecaster calls
   * them per point) and its retained heap, measured on many instances.
   */
  static String cost(int n, int instances) {
    final ForecasterConfig c = ForecasterConfig.defaults(STEP);
    final Random rnd = new Random(7);
    final double[] x = new double[1 << 16];
    for (int i = 0; i < x.length; i++) {
      x[i] = 50 + 30 * Math.sin(2 * Math.PI * i / DAY) + 5 * rnd.nextGaussian();
    }
    double sink = 0;
    double best = Double.MAX_VALUE;
    for (int round = 0; round < 5; round++) {
      final AnomalyStream stream = Forecasters.anomalyStream(c);
      final long t0 = System.nanoTime();
      for (int i = 0; i < n; i++) {
        final double v = x[i & (x.length - 1)];
        sink += stream.score(v, 50, v - 50).score();
      }
      best = Math.min(best, (System.nanoTime() - t0) / (double) n);
    }
    final Object[] keep = new Object[instances];
    final long before = CostBenchmark.usedHeap();
    for (int i = 0; i < instances; i++) {
      final AnomalyStream s = Forecasters.anomalyStream(c);
      for (int k = 0; k < 2_000; k++) {
        final double v = x[(k + i) & (x.length - 1)];
        s.score(v, 50, v - 50);
      }
      keep[i] = s;
    }
    final long after = CostBenchmark.usedHeap();
    sink += keep.length;
    return String.format(Locale.ROOT, "### Cost of the anomaly scorer (single thread)\n\n"
        + "| what | measured |\n|---|---|\n"
        + "| residual score + regime detector + combine, per point (best of 5 × %,d) | %.3f µs |\n"
        + "| retained heap per series (scorer + regime detector, %,d instances) | %.1f KiB |\n"
        + "\n(checksum %.1f)\n", n, best / 1000, instances,
        (after - before) / (double) instances / 1024, sink);
  }
}
