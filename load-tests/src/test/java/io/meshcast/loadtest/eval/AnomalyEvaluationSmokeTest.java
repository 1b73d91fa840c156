package io.meshcast.loadtest.eval;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

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
}
