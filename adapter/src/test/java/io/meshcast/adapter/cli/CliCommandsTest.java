package io.meshcast.adapter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/** Drives the CLI contract the scripts depend on, through picocli like {@code meshcast.jar}. */
class CliCommandsTest {
  private static final DateTimeFormatter FMT =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);

  @TempDir
  Path dir;

  private record Run(int exitCode, String err) {}

  private Run run(String... args) {
    final StringWriter err = new StringWriter();
    final CommandLine cli = new CommandLine(new io.meshcast.adapter.Main());
    cli.setErr(new PrintWriter(err));
    return new Run(cli.execute(args), err.toString());
  }

  private Path seasonalCsv(int rows) throws IOException {
    final StringBuilder b = new StringBuilder("timestamp,value\n");
    LocalDateTime t = LocalDateTime.of(2024, 1, 1, 0, 0);
    for (int i = 0; i < rows; i++) {
      b.append(FMT.format(t)).append(',')
          .append(String.format(Locale.ROOT, "%.3f", 50 + 20 * Math.sin(2 * Math.PI * i / 288)
              + (i * 7919 % 13) * 0.5)).append('\n');
      t = t.plusMinutes(5);
    }
    final Path p = dir.resolve("in.csv");
    Files.writeString(p, b);
    return p;
  }

  @Test
  void forecast_writesOneRowPerOriginWithTargetAndIntervals() throws IOException {
    final Path in = seasonalCsv(800);
    final Path out = dir.resolve("out.csv");
    final Run r = run("forecast", "--input", in.toString(), "--horizon", "6", "--output",
        out.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    final List<String> lines = Files.readAllLines(out);
    assertThat(lines.get(0))
        .isEqualTo("timestamp,target_timestamp,forecast,lower80,upper80,lower95,upper95");
    assertThat(lines).hasSize(801);
    assertThat(lines.get(1)).startsWith("2024-01-01 00:00:00,2024-01-01 00:30:00,");
    final String[] last = lines.get(800).split(",");
    assertThat(last[1]).isEqualTo("2024-01-03 19:05:00");
    final double mean = Double.parseDouble(last[2]);
    assertThat(Double.parseDouble(last[5])).isLessThanOrEqualTo(Double.parseDouble(last[3]));
    assertThat(Double.parseDouble(last[3])).isLessThanOrEqualTo(mean);
    assertThat(mean).isLessThanOrEqualTo(Double.parseDouble(last[4]));
    assertThat(Double.parseDouble(last[4])).isLessThanOrEqualTo(Double.parseDouble(last[6]));
  }

  @Test
  void anomaly_scoresEveryRowAndFlagsASpike() throws IOException {
    final Path in = seasonalCsv(1_200);
    final List<String> rows = new java.util.ArrayList<>(Files.readAllLines(in));
    final String[] f = rows.get(1_100).split(",");
    rows.set(1_100, f[0] + ",400");
    Files.write(in, rows);
    final Path out = dir.resolve("scores.csv");
    final Run r = run("anomaly", "--input", in.toString(), "--output", out.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    final List<String> lines = Files.readAllLines(out);
    assertThat(lines.get(0)).isEqualTo("timestamp,value,anomaly_score");
    assertThat(lines).hasSize(1_201);
    double maxElsewhere = 0;
    for (int i = 700; i < lines.size(); i++) {
      final double s = Double.parseDouble(lines.get(i).split(",")[2]);
      assertThat(s).isBetween(0.0, 100.0);
      if (i != 1_100) {
        maxElsewhere = Math.max(maxElsewhere, s);
      }
    }
    assertThat(Double.parseDouble(lines.get(1_100).split(",")[2])).isGreaterThanOrEqualTo(75)
        .isGreaterThan(maxElsewhere);
  }

  static Stream<Arguments> malformedFiles() {
    return Stream.of(
        Arguments.of("timestamp,value\n2024-01-01 00:00:00,1\n2024-01-01 00:05:00,2\nyesterday,3\n",
            "line 4: bad timestamp 'yesterday'"),
        Arguments.of("timestamp,value\n2024-01-01 00:00:00,1\n2024-01-01 00:05:00,abc\n",
            "line 3: value 'abc' is not a finite number"),
        Arguments.of("timestamp,value\n2024-01-01 00:00:00,1\n2024-01-01 00:05:00,2\n"
            + "2024-01-01 00:10:00,3\n2024-01-01 00:13:00,4\n",
            "line 5: timestamp '2024-01-01 00:13:00' is off the 300.0 s grid"),
        Arguments.of("timestamp,value\n2024-01-01 00:05:00,1\n2024-01-01 00:00:00,2\n",
            "line 3: timestamp '2024-01-01 00:00:00' is earlier than the previous row's"),
        Arguments.of("time,v\n1,2\n", "line 1: header must contain 'timestamp' and 'value'"),
        Arguments.of("timestamp,value\n2024-01-01 00:00:00,1\n2024-01-01 00:00:00,1\n"
            + "2024-01-01 00:05:00,1\n",
            "line 3: timestamp '2024-01-01 00:00:00' is a duplicate"));
  }

  @ParameterizedTest
  @MethodSource("malformedFiles")
  void malformedInput_failsNamingTheLine(String csv, String message) throws IOException {
    final Path in = dir.resolve("bad.csv");
    Files.writeString(in, csv);
    for (String cmd : List.of("anomaly", "forecast")) {
      final Run r = cmd.equals("anomaly")
          ? run(cmd, "--input", in.toString(), "--output", dir.resolve("o.csv").toString())
          : run(cmd, "--input", in.toString(), "--output", dir.resolve("o.csv").toString(),
              "--horizon", "2");
      assertThat(r.exitCode()).isEqualTo(1);
      assertThat(r.err()).contains(message);
    }
  }

  @Test
  void snap_keepsOneOutputRowPerInputRowOnIrregularTimestamps() throws IOException {
    final Path in = dir.resolve("irregular.csv");
    final StringBuilder b = new StringBuilder("timestamp,value\n");
    LocalDateTime t = LocalDateTime.of(2024, 1, 1, 0, 0);
    for (int i = 0; i < 300; i++) {
      b.append(FMT.format(t)).append(',').append(i % 10).append('\n');
      if (i == 100) {
        b.append(FMT.format(t)).append(",5\n"); // duplicate
      }
      t = t.plusMinutes(i == 200 ? 7 : 5); // off-grid jump
    }
    Files.writeString(in, b);
    final Path out = dir.resolve("o.csv");
    assertThat(run("anomaly", "--input", in.toString(), "--output", out.toString()).exitCode())
        .isEqualTo(1);
    final Run r = run("anomaly", "--irregular=snap", "--input", in.toString(), "--output",
        out.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(Files.readAllLines(out)).hasSize(302);
  }

  @Test
  void badOptions_areUsageErrors() throws IOException {
    final Path in = seasonalCsv(10);
    assertThat(run("forecast", "--input", in.toString(), "--output", "x", "--horizon", "0")
        .err()).contains("--horizon must be >= 1, was 0");
    assertThat(run("anomaly", "--input", dir.resolve("missing.csv").toString(), "--output",
        "x").err()).contains("no such file: " + dir.resolve("missing.csv"));
  }
}
