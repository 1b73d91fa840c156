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
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code meshcast anomaly}: streams a {@code timestamp,value} CSV through a {@link
 * SeriesForecaster} (update per point, refit when due) and writes each point's anomaly score,
 * 0–100. Divide by 100 for NAB's [0, 1] format. A missing value scores 0.
 */
@Command(name = "anomaly", mixinStandardHelpOptions = true,
    description = "Streaming anomaly scores of a timestamp,value CSV; writes "
        + "timestamp,value,anomaly_score with the score in 0-100")
public final class AnomalyCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--input", required = true, description = "CSV with timestamp,value")
  Path input;

  @Option(names = "--output", required = true, description = "CSV to write")
  Path output;

  @Option(names = "--irregular", defaultValue = "fail",
      description = "off-grid or duplicate timestamps: fail (default) or snap onto the grid")
  String irregular;

  @Override
  public Integer call() {
    final PrintWriter err = spec.commandLine().getErr();
    try {
      final SeriesCsv.Series series = SeriesCsv.read(input, CliSupport.irregular(irregular));
      final SeriesForecaster forecaster = Forecasters.create(
          ForecasterConfig.defaults(Duration.ofMillis(series.stepMillis())));
      try (BufferedWriter out = Files.newBufferedWriter(output, StandardCharsets.UTF_8)) {
        out.write("timestamp,value,anomaly_score\n");
        for (SeriesCsv.Row row : series.rows()) {
          final AnomalyScore score = forecaster.update(row.epochMillis(), row.value());
          if (forecaster.refitDue()) {
            forecaster.refit();
          }
          out.write(row.timestampText() + ',' + CliSupport.num(row.value()) + ','
              + CliSupport.num(score.score()) + '\n');
        }
      }
      return 0;
    } catch (SeriesCsv.FormatException | IllegalArgumentException e) {
      err.println("meshcast anomaly: " + e.getMessage());
      return 1;
    } catch (IOException e) {
      err.println("meshcast anomaly: I/O error: " + e.getMessage());
      return 1;
    }
  }
}
