package io.meshcast.adapter.debug;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

final class ModelDescriptionTest {

  /** Names as the forecaster's models print them, at a 1-minute step. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
    "naive | last value (naive)",
    "ses/log1p | level only (exponential smoothing), log scale",
    "holt-damped | level + damped trend (Holt)",
    "hw(1440) | seasonal (1 day) + level (Holt-Winters)",
    "hw-damped(60,10080)/log1p"
        + " | seasonal (1 h and 7 days) + damped trend (Holt-Winters), log scale",
    "snaive(1440) | same time one season earlier (1 day, seasonal naive)",
    "ses+profile(1440) | level only (exponential smoothing) after removing a 1 day profile",
    "combo[1.00 ses] | level only (exponential smoothing)",
    "combo[0.00..0.34 ses + 1.00..0.33 ses/log1p + 0.00..0.33 holt-damped/log1p]"
        + " | blend (weights at the shortest → longest horizon): level only (exponential "
        + "smoothing), log scale 1.00 → 0.33 · level only (exponential smoothing) 0.00 → 0.34"
        + " · level + damped trend (Holt), log scale 0.00 → 0.33",
    "combo[0.70 hw(1440) + 0.30 naive + 0.00 ses]"
        + " | blend (weights): seasonal (1 day) + level (Holt-Winters) 0.70 · "
        + "last value (naive) 0.30",
  })
  void describe_turnsModelNamesIntoWords(String name, String expected) {
    assertThat(ModelDescription.describe(name, Duration.ofMinutes(1))).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
    "arima(2,1,2)", "combo[0.5 something-new + 0.5 ses]", "combo[]", "hw(x)",
  })
  void describe_unknownName_returnsItUnchanged(String name) {
    assertThat(ModelDescription.describe(name, Duration.ofMinutes(1))).isEqualTo(name);
  }

  @ParameterizedTest(name = "{0} steps of {1} s")
  @CsvSource({
    "1440, 1, 24 min", "1440, 60, 1 day", "2880, 60, 2 days", "24, 900, 6 h", "4, 15, 1 min",
    "3, 15, 45 s",
  })
  void duration_usesTheLargestUnitThatDivides(long steps, long stepSeconds, String expected) {
    assertThat(ModelDescription.duration(steps, Duration.ofSeconds(stepSeconds)))
        .isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"PT0S, 0 s", "PT0.5S, 500 ms", "PT2M, 2 min", "PT90S, 90 s"})
  void words_formatsLeads(Duration d, String expected) {
    assertThat(ModelDescription.words(d)).isEqualTo(expected);
  }
}
