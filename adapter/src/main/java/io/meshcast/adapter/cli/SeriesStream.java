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

  @Option(names = "--irregular", defaultValue = "fail",
      description = "off-grid or duplicate timestamps: fail (default) or snap onto the grid")
  String irregular;

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
      final SeriesCsv.Series series = SeriesCsv.read(input, CliSupport.irregular(irregular));
      final SeriesForecaster forecaster = Forecasters.create(
          config.apply(ForecasterConfig.defaults(Duration.ofMillis(series.stepMillis()))));
      try (BufferedWriter out = Files.newBufferedWriter(output, StandardCharsets.UTF_8)) {
        out.write(header + '\n');
        for (SeriesCsv.Row row : series.rows()) {
          final AnomalyScore score = forecaster.update(row.epochMillis(), row.value());
          if (forecaster.refitDue()) {
            forecaster.refit();
          }
          out.write(writer.row(series, row, forecaster, score) + '\n');
        }
      }
      return 0;
    } catch (SeriesCsv.FormatException | IllegalArgumentException e) {
      err.println("meshcast " + command + ": " + e.getMessage());
      return 1;
    } catch (IOException e) {
      err.println("meshcast " + command + ": "
          + (e instanceof java.nio.file.NoSuchFileException ? "no such file: " + e.getMessage()
              : "I/O error: " + e));
      return 1;
    }
  }
}
