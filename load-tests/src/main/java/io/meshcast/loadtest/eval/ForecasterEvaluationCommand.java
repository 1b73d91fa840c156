package io.meshcast.loadtest.eval;

import io.meshcast.forecast.BacktestResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code forecaster-eval}: the forecaster's evaluation in one run — rolling-origin backtest
 * against the baselines, the NAB anomaly run (files in NAB's simple layout for {@code
 * nab_score.py}), and the cost benchmark. Writes {@code forecaster-results.md} to {@code --out}.
 */
@Command(name = "forecaster-eval", mixinStandardHelpOptions = true,
    description = "Forecaster evaluation: backtest vs baselines, NAB anomaly output, cost")
public final class ForecasterEvaluationCommand implements Callable<Integer> {
  @Option(names = "--data", defaultValue = "load-tests/data",
      description = "evaluation data directory (default: ${DEFAULT-VALUE})")
  Path data;

  @Option(names = "--out", defaultValue = "load-tests/target/forecaster-eval",
      description = "output directory (default: ${DEFAULT-VALUE})")
  Path out;

  @Option(names = "--quick", description = "2-day NASA slice, 1 NAB file, small cost run")
  boolean quick;

  @Option(names = "--skip-nab", description = "skip the NAB anomaly run")
  boolean skipNab;

  @Option(names = "--skip-cost", description = "skip the cost benchmark")
  boolean skipCost;

  @Override
  public Integer call() throws Exception {
    Files.createDirectories(out);
    final StringBuilder md = new StringBuilder("### Forecast accuracy (rolling origin)\n\n");
    final List<BacktestSuite.Spec> specs =
        quick ? List.of(BacktestSuite.quick()) : BacktestSuite.FULL;
    for (BacktestSuite.Spec spec : specs) {
      final long t0 = System.nanoTime();
      final BacktestResult r = BacktestSuite.run(data, spec, quick ? 2_880 : 0);
      final long stepMinutes =
          GridSeries.load(data.resolve(spec.file())).stepMillis() / 60_000L;
      md.append(BacktestSuite.markdown(spec, r, stepMinutes));
      System.out.printf("backtest %s done in %.1f s%n", spec.label(),
          (System.nanoTime() - t0) / 1e9);
    }
    if (!skipNab) {
      final Path nabOut = out.resolve("nab");
      final long t0 = System.nanoTime();
      final List<String> keys = NabRun.run(data.resolve("nab"), nabOut, quick ? 1 : 0);
      md.append("### NAB\n\n`meshcast anomaly` output for ").append(keys.size())
          .append(" files in NAB simple layout: `").append(nabOut).append("` (")
          .append(String.format("%.1f", (System.nanoTime() - t0) / 1e9)).append(" s)\n\n");
      System.out.printf("NAB anomaly run on %d files done in %.1f s%n", keys.size(),
          (System.nanoTime() - t0) / 1e9);
    }
    if (!skipCost) {
      md.append("### Cost (single thread)\n\n").append(CostBenchmark.run(
          GridSeries.load(data.resolve("traces/nasa_http_jul1995_per_min.csv")),
          quick ? 2 : 30, quick ? 5 : 100)).append('\n');
    }
    final Path report = out.resolve("forecaster-results.md");
    Files.writeString(report, md, StandardCharsets.UTF_8);
    System.out.println(md);
    System.out.println("wrote " + report);
    return 0;
  }
}
