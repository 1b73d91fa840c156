package io.meshcast.adapter.cli;

import io.meshcast.forecast.AnomalyScore;
import io.meshcast.forecast.ForecasterConfig;
import io.meshcast.forecast.Forecasters;
import io.meshcast.forecast.SeriesForecaster;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.UnaryOperator;
import picocli.CommandLine.Option;

/**
 * The part {@code forecast} and {@code anomaly} share (a picocli mixin): the input, output and
 * {@code --irregular} options, and streaming the series through a forecaster the way the adapter
 * feeds it (update per point, refit when due), one output row per input row.
 */
final class SeriesStream {

  @Option(names = "--input", required = true, description = "CSV with timestamp,value")
  Path input;

  @Option(names = "--output", required = true, description = "CSV to write")
  Path output;

  @Option(names = "--irregular", defaultValue = "snap",
      description = "Irregular timestamps: snap (default) rounds off-grid timestamps to the "
          + "grid, merges rows on the same slot (mean of their values) and drops rows going back "
          + "in time, counting each on stderr; fail stops at the first such row, naming its line.")
  String irregular;

  @Option(names = "--progress-every", defaultValue = "100000", paramLabel = "ROWS",
      description = "Report progress on stderr every ROWS rows and at least every 5 s "
          + "(default: ${DEFAULT-VALUE}; 0: never).")
  int progressEvery;

  /** Time-based progress: a long input with slow refits still reports this often. */
  private static final long PROGRESS_NANOS = 5_000_000_000L;

  /** Writes one output row for an input row, after the forecaster has seen it. */
  @FunctionalInterface
  interface RowWriter {
    String row(SeriesCsv.Series series, SeriesCsv.Row row, SeriesForecaster forecaster,
        AnomalyScore score) throws IOException;
  }

  /**
   * Streams the input to the output; returns the exit code (1 with a message naming the problem,
   * and the line for malformed input).
   */
  int run(String command, PrintWriter err, UnaryOperator<ForecasterConfig> config, String header,
      RowWriter writer) {
    try {
      if (progressEvery < 0) {
        throw new IllegalArgumentException("--progress-every must be >= 0, was " + progressEvery);
      }
      Preflight.readable(input, "--input");
      final SeriesCsv.Series series = SeriesCsv.read(input, CliSupport.irregular(irregular));
      err.println("meshcast " + command + ": " + summary(series));
      err.flush();
      final SeriesForecaster forecaster = Forecasters.create(
          config.apply(ForecasterConfig.defaults(Duration.ofMillis(series.stepMillis()))));
      final int total = series.rows().size();
      long lastReport = System.nanoTime();
      int done = 0;
      try (BufferedWriter out = Files.newBufferedWriter(output, StandardCharsets.UTF_8)) {
        out.write(header + '\n');
        for (SeriesCsv.Row row : series.rows()) {
          final AnomalyScore score = forecaster.update(row.epochMillis(), row.value());
          if (forecaster.refitDue()) {
            forecaster.refit();
          }
          out.write(writer.row(series, row, forecaster, score) + '\n');
          done++;
          if (progressEvery > 0 && done < total && (done % progressEvery == 0
              || System.nanoTime() - lastReport >= PROGRESS_NANOS)) {
            lastReport = System.nanoTime();
            err.printf(java.util.Locale.ROOT, "meshcast %s: %d/%d rows (%.0f%%)%n", command, done,
                total, 100.0 * done / total);
            err.flush();
          }
        }
      }
      return 0;
    } catch (SeriesCsv.FormatException | IllegalArgumentException e) {
      err.println("meshcast " + command + ": " + e.getMessage());
      return 1;
    } catch (IOException e) {
      final String file = e instanceof java.nio.file.FileSystemException f && f.getFile() != null
          ? f.getFile() : output.toString();
      err.println("meshcast " + command + ": " + (file.equals(output.toString()) ? "--output "
          + file + ": cannot write: " : "--input " + file + ": cannot read: ")
          + io.meshcast.adapter.config.IoReasons.of(e));
      return 1;
    }
  }

  /** One line: what was read and what snapping changed, so nothing is altered silently. */
  static String summary(SeriesCsv.Series s) {
    final SeriesCsv.Changes c = s.changes();
    final StringBuilder b = new StringBuilder().append(c.read()).append(" rows read, ")
        .append(s.rows().size()).append(" points on a ")
        .append(CliSupport.num(s.stepMillis() / 1000.0)).append(" s grid");
    if (c.none()) {
      return b.append("; no irregular timestamps").toString();
    }
    final java.util.List<String> parts = new java.util.ArrayList<>();
    if (c.snapped() > 0) {
      parts.add("snapped " + rows(c.snapped()) + " with off-grid timestamps to the grid");
    }
    if (c.merged() > 0) {
      parts.add("merged " + rows(c.merged()) + " into the earlier row of the same slot (mean)");
    }
    if (c.droppedBackwards() > 0) {
      parts.add("dropped " + rows(c.droppedBackwards()) + " going back in time (first at line "
          + c.firstBackwardsLine() + ")");
    }
    b.append("; ").append(String.join(", ", parts));
    return b.toString();
  }

  private static String rows(int n) {
    return n + (n == 1 ? " row" : " rows");
  }
}
