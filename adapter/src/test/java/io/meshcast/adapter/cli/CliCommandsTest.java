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
          ? run(cmd, "--irregular=fail", "--input", in.toString(), "--output",
              dir.resolve("o.csv").toString())
          : run(cmd, "--irregular=fail", "--input", in.toString(), "--output",
              dir.resolve("o.csv").toString(), "--horizon", "2");
      assertThat(r.exitCode()).isEqualTo(1);
      assertThat(r.err()).contains(message);
    }
  }

  private Run anomalyOn(String csv, String... extra) throws IOException {
    final Path in = dir.resolve("in.csv");
    Files.writeString(in, csv);
    final List<String> args = new java.util.ArrayList<>(List.of("anomaly", "--input",
        in.toString(), "--output", dir.resolve("o.csv").toString()));
    args.addAll(List.of(extra));
    return run(args.toArray(String[]::new));
  }

  private List<String> outputRows() throws IOException {
    return Files.readAllLines(dir.resolve("o.csv")).stream().skip(1)
        .map(l -> l.substring(0, l.lastIndexOf(','))).toList();
  }

  @Test
  void default_snapsOffGridTimestampsToTheNearestSlot() throws IOException {
    final Run r = anomalyOn("timestamp,value\n2024-01-01 00:00:00,1\n2024-01-01 00:05:00,2\n"
        + "2024-01-01 00:10:00,3\n2024-01-01 00:17:00,4\n2024-01-01 00:19:00,5\n"
        + "2024-01-01 00:25:00,6\n2024-01-01 00:30:00,7\n");
    assertThat(r.exitCode()).as(r.err()).isZero();
    // 00:17 rounds to 00:15, 00:19 to 00:20; on-grid rows keep their text.
    assertThat(outputRows()).containsExactly("2024-01-01 00:00:00,1", "2024-01-01 00:05:00,2",
        "2024-01-01 00:10:00,3", "2024-01-01 00:15:00,4", "2024-01-01 00:20:00,5",
        "2024-01-01 00:25:00,6", "2024-01-01 00:30:00,7");
    assertThat(r.err()).contains("meshcast anomaly: 7 rows read, 7 points on a 300 s grid; "
        + "snapped 2 rows with off-grid timestamps to the grid\n");
  }

  @Test
  void default_mergesRowsOfTheSameSlotWithTheMean() throws IOException {
    final Run r = anomalyOn("timestamp,value\n2024-01-01 00:00:00,1\n2024-01-01 00:05:00,2\n"
        + "2024-01-01 00:05:00,4\n2024-01-01 00:06:00,NaN\n2024-01-01 00:10:00,5\n"
        + "2024-01-01 00:15:00,6\n");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(outputRows()).containsExactly("2024-01-01 00:00:00,1", "2024-01-01 00:05:00,3",
        "2024-01-01 00:10:00,5", "2024-01-01 00:15:00,6");
    assertThat(r.err()).contains("6 rows read, 4 points on a 300 s grid; snapped 1 row with "
        + "off-grid timestamps to the grid, merged 2 rows into the earlier row of the same slot "
        + "(mean)\n");
  }

  @Test
  void default_dropsAndCountsRowsGoingBackInTime() throws IOException {
    // The clock goes back an hour (a repeated hour): those rows are dropped, the rest is scored.
    final StringBuilder b = new StringBuilder("timestamp,value\n");
    LocalDateTime t = LocalDateTime.of(2024, 1, 1, 0, 0);
    for (int i = 0; i < 24; i++) {
      b.append(FMT.format(t.plusMinutes(5L * i))).append(',').append(i).append('\n');
    }
    for (int i = 12; i < 24; i++) { // 01:00 .. 01:55 again
      b.append(FMT.format(t.plusMinutes(5L * i))).append(",99\n");
    }
    b.append(FMT.format(t.plusMinutes(5L * 24))).append(",24\n");
    final Run r = anomalyOn(b.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    final List<String> rows = outputRows();
    assertThat(rows).hasSize(25).doesNotContain("2024-01-01 01:00:00,99");
    // The repeat of 01:55 is on the last slot kept: a duplicate, merged (mean of 23 and 99).
    assertThat(rows.get(23)).isEqualTo("2024-01-01 01:55:00,61");
    assertThat(rows.get(24)).isEqualTo("2024-01-01 02:00:00,24");
    assertThat(r.err()).contains("37 rows read, 25 points on a 300 s grid; merged 1 row into the "
        + "earlier row of the same slot (mean), dropped 11 rows going back in time (first at line "
        + "26)");
  }

  @Test
  void default_regularInput_saysNothingChanged_andStrictModeStillFails() throws IOException {
    final Run r = anomalyOn("timestamp,value\n2024-01-01 00:00:00,1\n2024-01-01 00:05:00,2\n"
        + "2024-01-01 00:15:00,3\n");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(outputRows()).containsExactly("2024-01-01 00:00:00,1", "2024-01-01 00:05:00,2",
        "2024-01-01 00:15:00,3"); // a missing point stays missing
    assertThat(r.err()).contains("3 rows read, 3 points on a 300 s grid; no irregular timestamps");
    final Run strict = anomalyOn("timestamp,value\n2024-01-01 00:00:00,1\n"
        + "2024-01-01 00:05:00,2\n2024-01-01 00:10:00,3\n2024-01-01 00:12:00,4\n",
        "--irregular=fail");
    assertThat(strict.exitCode()).isEqualTo(1);
    assertThat(strict.err()).contains("line 5: timestamp '2024-01-01 00:12:00' is off the 300.0 s"
        + " grid");
  }

  @Test
  void progress_isReportedOnStderr() throws IOException {
    final Path in = seasonalCsv(1_000);
    final Run r = run("forecast", "--input", in.toString(), "--output",
        dir.resolve("o.csv").toString(), "--horizon", "1", "--progress-every=400");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.err()).contains("meshcast forecast: 400/1000 rows (40%)\n")
        .contains("meshcast forecast: 800/1000 rows (80%)\n");
  }

  @Test
  void badOptions_areUsageErrors() throws IOException {
    final Path in = seasonalCsv(10);
    assertThat(run("forecast", "--input", in.toString(), "--output", "x", "--horizon", "0")
        .err()).contains("--horizon must be >= 1, was 0");
    assertThat(run("anomaly", "--input", dir.resolve("missing.csv").toString(), "--output",
        "x").err()).contains("--input " + dir.resolve("missing.csv") + ": cannot read: no such file");
  }
}
