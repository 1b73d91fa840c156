package io.meshcast.adapter.cli;

import io.meshcast.forecast.ForecastPoint;
import io.meshcast.forecast.SeriesForecaster;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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

  @Mixin SeriesStream stream;

  @Option(names = "--horizon", required = true, description = "steps ahead (>= 1)")
  int horizon;

  @Override
  public Integer call() {
    final PrintWriter err = spec.commandLine().getErr();
    if (horizon < 1) {
      err.println("meshcast forecast: --horizon must be >= 1, was " + horizon);
      return 2;
    }
    return stream.run("forecast", err,
        d -> d.withMaxHorizonSteps(Math.max(horizon, d.maxHorizonSteps())),
        "timestamp,target_timestamp,forecast,lower80,upper80,lower95,upper95",
        (series, row, forecaster, score) -> {
          final ForecastPoint p = forecaster.forecast(horizon).at(horizon);
          return row.timestampText() + ',' + SeriesCsv.format(series, p.targetEpochMillis())
              + ',' + CliSupport.num(p.mean()) + ',' + CliSupport.num(p.lower80()) + ','
              + CliSupport.num(p.upper80()) + ',' + CliSupport.num(p.lower95()) + ','
              + CliSupport.num(p.upper95());
        });
  }
}
