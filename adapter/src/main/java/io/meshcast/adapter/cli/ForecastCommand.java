package io.meshcast.adapter.cli;

import io.meshcast.forecast.ForecastPoint;
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
 * {@code meshcast forecast}: streams a {@code timestamp,value} CSV through a {@link
 * SeriesForecaster} exactly as the adapter does (update per point, refit when due, here
 * synchronously) and writes, for every origin, the forecast {@code --horizon} steps ahead with its
 * 80 % and 95 % intervals. Intervals are {@code NaN} until the first refit.
 */
@Command(name = "forecast", mixinStandardHelpOptions = true,
    description = "Rolling forecast of a timestamp,value CSV; one output row per input row: "
        + "timestamp,target_timestamp,forecast,lower80,upper80,lower95,upper95")
public final class ForecastCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--input", required = true, description = "CSV with timestamp,value")
  Path input;

  @Option(names = "--output", required = true, description = "CSV to write")
  Path output;

  @Option(names = "--horizon", required = true, description = "steps ahead (>= 1)")
  int horizon;

  @Option(names = "--irregular", defaultValue = "fail",
      description = "off-grid or duplicate timestamps: fail (default) or snap onto the grid")
  String irregular;

  @Override
  public Integer call() {
    final PrintWriter err = spec.commandLine().getErr();
    if (horizon < 1) {
      err.println("meshcast forecast: --horizon must be >= 1, was " + horizon);
      return 2;
    }
    try {
      final SeriesCsv.Series series = SeriesCsv.read(input, CliSupport.irregular(irregular));
      final ForecasterConfig defaults =
          ForecasterConfig.defaults(Duration.ofMillis(series.stepMillis()));
      final SeriesForecaster forecaster = Forecasters.create(
          defaults.withMaxHorizonSteps(Math.max(horizon, defaults.maxHorizonSteps())));
      try (BufferedWriter out = Files.newBufferedWriter(output, StandardCharsets.UTF_8)) {
        out.write("timestamp,target_timestamp,forecast,lower80,upper80,lower95,upper95\n");
        for (SeriesCsv.Row row : series.rows()) {
          forecaster.update(row.epochMillis(), row.value());
          if (forecaster.refitDue()) {
            forecaster.refit();
          }
          final ForecastPoint p = forecaster.forecast(horizon).at(horizon);
          out.write(row.timestampText() + ',' + SeriesCsv.format(series, p.targetEpochMillis())
              + ',' + CliSupport.num(p.mean()) + ',' + CliSupport.num(p.lower80()) + ','
              + CliSupport.num(p.upper80()) + ',' + CliSupport.num(p.lower95()) + ','
              + CliSupport.num(p.upper95()) + '\n');
        }
      }
      return 0;
    } catch (SeriesCsv.FormatException | IllegalArgumentException e) {
      err.println("meshcast forecast: " + e.getMessage());
      return 1;
    } catch (IOException e) {
      err.println("meshcast forecast: I/O error: " + e.getMessage());
      return 1;
    }
  }
}
