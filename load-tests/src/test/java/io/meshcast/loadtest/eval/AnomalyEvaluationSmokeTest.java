package io.meshcast.loadtest.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keeps the anomaly evaluation's parts exercised in CI on small sizes; the full run is a script. */
class AnomalyEvaluationSmokeTest {

  @Test
  void falseAlarmCheck_reportsEverySeriesAndTheNoiselessSineStaysQuiet() {
    final String md = AnomalyEvaluationCommand.falseAlarms(1);
    assertThat(md).contains("| gaussian noise |", "| square wave (2-day levels) |",
        "| one persistent level shift (at 30 %) |");
    // a noiseless daily sine is perfectly predictable: nothing in it may reach "minor"
    assertThat(md).contains("| daily sine, no noise | 0 | 0 |");
  }

  @Test
  void cost_reportsTimePerPointAndStatePerSeries() {
    final String md = AnomalyEvaluationCommand.cost(20_000, 20);
    assertThat(md).contains("µs |", "KiB |");
  }

  @Test
  void nabOutput_hasOneRowPerInputRowEvenWhenTheCliMergedOrDroppedRows(@TempDir Path dir)
      throws Exception {
    // input: an off-grid row merged into 00:05, and a row going back in time (dropped by the CLI)
    final Path input = Files.writeString(dir.resolve("in.csv"), "timestamp,value\n"
        + "2020-01-01 00:00:00,1\n2020-01-01 00:05:00,2\n2020-01-01 00:06:00,3\n"
        + "2020-01-01 00:10:00,4\n2020-01-01 00:01:00,5\n2020-01-01 00:15:00,6\n");
    final Path raw = Files.writeString(dir.resolve("raw.csv"), "timestamp,value,anomaly_score\n"
        + "2020-01-01 00:00:00,1,0\n2020-01-01 00:05:00,2.5,10\n2020-01-01 00:10:00,4,20\n"
        + "2020-01-01 00:15:00,6,90\n");
    final Path out = dir.resolve("out.csv");
    NabRun.convert(raw, input, out);
    assertThat(Files.readAllLines(out)).containsExactly("timestamp,value,anomaly_score",
        "2020-01-01 00:00:00,1,0.000000", "2020-01-01 00:05:00,2,0.100000",
        "2020-01-01 00:06:00,3,0.100000", "2020-01-01 00:10:00,4,0.200000",
        "2020-01-01 00:01:00,5,0.000000", "2020-01-01 00:15:00,6,0.900000");
    assertThat(NabRun.nearest(new long[] {0, 300, 600}, 450)).isEqualTo(1);
    assertThat(NabRun.nearest(new long[] {0, 300, 600}, 451)).isEqualTo(2);
    assertThat(List.of(NabRun.nearest(new long[] {0, 300}, -5), NabRun.nearest(
        new long[] {0, 300}, 900))).containsExactly(0, 1);
  }
}
