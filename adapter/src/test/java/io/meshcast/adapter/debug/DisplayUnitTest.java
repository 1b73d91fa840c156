package io.meshcast.adapter.debug;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

final class DisplayUnitTest {

  @ParameterizedTest(name = "{0} {1} -> {2}")
  @CsvSource(delimiter = '|', value = {
    "kuma_rps | 42.25 | 42.3 req/s",
    "kuma_demand_rps | 1234.4 | 1234 req/s",
    "kuma_latency_p99_ms | 105.7 | 106 ms",
    "kuma_error_ratio | 0.002 | 0.2 %",
    "kuma_error_ratio | 0.25 | 25.0 %",
    "kuma_inflight | 1.834 | 1.83 in flight",
    "kuma_saturation | 0.5 | 0.5 in flight",
    "custom_queue_depth | 7 | 7.00",
  })
  void format_scalesAndNamesTheUnitFromTheMetricSuffix(String signal, double v, String shown) {
    assertThat(DisplayUnit.of(signal).format(v)).isEqualTo(shown);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"kuma_rps", "kuma_error_ratio"})
  void format_nan_saysNone(String signal) {
    assertThat(DisplayUnit.of(signal).format(Double.NaN)).isEqualTo("none");
  }
}
