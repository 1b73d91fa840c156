package io.meshcast.adapter.predict;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshcast.adapter.config.PredictConfig;
import io.meshcast.adapter.pipeline.Level;
import io.meshcast.adapter.pipeline.SeriesIdentity;
import io.meshcast.adapter.config.PredictConfig.Safety;
import io.meshcast.forecast.ForecasterConfig;
import io.meshcast.forecast.Forecasters;
import io.meshcast.forecast.SeriesForecaster;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The {@code <signal>_anomaly_score} metric and {@code meshcast anomaly} share one scorer: the
 * same stream fed through the server's per-series path ({@link SeriesModel#observe}, refitting
 * when due as the predictive layer does) and through the CLI gives the same score at every point.
 */
final class AnomalyParityTest {

  private static final Duration STEP = Duration.ofMinutes(5);
  private static final DateTimeFormatter TS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);
  private static final SeriesIdentity ID = new SeriesIdentity("ns", "svc", "", "", "svc_ns_svc_80",
      Map.of("kuma_io_service", "svc_ns_svc_80"), Map.of());

  /** A daily cycle with noise, a spike and a persistent level shift. */
  private static double[] stream() {
    Random rnd = new Random(42);
    double[] y = new double[2_000];
    for (int i = 0; i < y.length; i++) {
      y[i] = 100 + 30 * Math.sin(2 * Math.PI * i / 288) + 4 * rnd.nextGaussian()
          + (i == 1_200 ? 80 : 0) + (i >= 1_600 ? 60 : 0);
    }
    return y;
  }

  @Test
  void serverPathAndCliGiveEqualScores(@TempDir Path dir) throws IOException {
    double[] y = stream();
    long t0 = Instant.parse("2024-01-01T00:00:00Z").toEpochMilli();
    Path in = dir.resolve("in.csv");
    Path out = dir.resolve("out.csv");
    StringBuilder csv = new StringBuilder("timestamp,value\n");
    for (int i = 0; i < y.length; i++) {
      csv.append(TS.format(Instant.ofEpochMilli(t0 + i * STEP.toMillis()))).append(',')
          .append(y[i]).append('\n');
    }
    Files.writeString(in, csv);
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new io.meshcast.adapter.Main());
    cli.setErr(new PrintWriter(err));
    assertThat(cli.execute("anomaly", "--input", in.toString(), "--output", out.toString()))
        .as(err.toString()).isZero();
    List<Double> cliScores = new ArrayList<>();
    for (String line : Files.readAllLines(out).subList(1, y.length + 1)) {
      cliScores.add(Double.parseDouble(line.split(",")[2]));
    }

    // The CLI uses the forecaster defaults for the file's step; the server path gets the same.
    SeriesForecaster f = Forecasters.create(ForecasterConfig.defaults(STEP));
    SeriesModel model = new SeriesModel(f, Optional.empty(),
        new ServingDecision(6, Safety.MAX_WITH_OBSERVED, 1.0, Double.NaN, false));
    List<Double> serverScores = new ArrayList<>();
    for (int i = 0; i < y.length; i++) {
      model.observe("ns/svc/kuma_rps", Level.SERVICE, ID,
          Instant.ofEpochMilli(t0 + i * STEP.toMillis()), y[i]);
      if (model.forecaster().refitDue()) {
        model.forecaster().refit();
      }
      serverScores.add(model.report().anomalyScore());
    }

    assertThat(serverScores).hasSize(cliScores.size());
    for (int i = 0; i < y.length; i++) {
      assertThat(serverScores.get(i)).as("point %d", i)
          .isCloseTo(cliScores.get(i), org.assertj.core.data.Offset.offset(1e-5));
    }
    // not a vacuous comparison: the spike and the shift are scored as anomalies on both paths
    assertThat(cliScores.subList(1_200, 1_201)).allMatch(s -> s >= 75);
    assertThat(cliScores.stream().mapToDouble(Double::doubleValue).max().orElse(0))
        .isGreaterThanOrEqualTo(75);
  }
}
