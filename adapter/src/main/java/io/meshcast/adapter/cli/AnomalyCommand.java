package io.meshcast.adapter.cli;

import io.meshcast.forecast.SeriesForecaster;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
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

  @Mixin SeriesStream stream;

  @Override
  public Integer call() {
    final PrintWriter err = spec.commandLine().getErr();
    return stream.run("anomaly", err, d -> d, "timestamp,value,anomaly_score",
        (series, row, forecaster, score) -> row.timestampText() + ','
            + CliSupport.num(row.value()) + ',' + CliSupport.num(score.score()));
  }
}
