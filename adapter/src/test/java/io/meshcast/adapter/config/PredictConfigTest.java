package io.meshcast.adapter.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.meshcast.adapter.config.PredictConfig.Safety;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

final class PredictConfigTest {

  private static PredictConfig parse(String yaml) throws Exception {
    return PredictConfig.parse(new ObjectMapper(new YAMLFactory()).readTree(yaml).get("forecast"));
  }

  @Test
  void absentSection_givesDefaults() throws Exception {
    PredictConfig c = parse("prometheus: {url: http://x}\n");
    assertThat(c.lead()).isEqualTo(Duration.ofMinutes(2));
    assertThat(c.safety()).isEqualTo(Safety.MAX_WITH_OBSERVED);
    assertThat(c.signals()).isEqualTo(PredictConfig.ALL_SIGNALS);
  }

  @Test
  void everyKey_parsed() throws Exception {
    PredictConfig c = parse("""
        forecast:
          lead: 1m30s
          safety: forecast
          step: 30s
          historyPoints: 2000
          refitEvery: 1h
          signals: [kuma_rps, kuma_inflight]
          maxRelativeError: 0.95
          workers: 3
          bootstrap: false
          podModels: true
        """);
    assertThat(c.lead()).isEqualTo(Duration.ofSeconds(90));
    assertThat(c.safety()).isEqualTo(Safety.FORECAST);
    assertThat(c.step()).contains(Duration.ofSeconds(30));
    assertThat(c.historyPoints()).isEqualTo(2000);
    assertThat(c.refitEvery()).contains(Duration.ofHours(1));
    assertThat(c.signals()).containsExactlyInAnyOrder("kuma_rps", "kuma_inflight");
    assertThat(c.maxRelativeError()).isEqualTo(0.95);
    assertThat(c.workers()).isEqualTo(3);
    assertThat(c.bootstrap()).isFalse();
    assertThat(c.podModels()).isTrue();
    assertThat(PredictConfig.defaults().podModels()).isFalse();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "forecast: {lead: soon}|forecast.lead: invalid duration \"soon\"",
    "forecast: {safety: max}|forecast.safety: expected maxWithObserved or forecast",
    "forecast: {signals: [kuma_cpu]}|unknown signal \"kuma_cpu\"",
    "forecast: {historyPoints: 10}|forecast.historyPoints: must be >= 64, was 10",
    "forecast: {leed: 2m}|forecast.leed: unknown key",
    "forecast: {workers: two}|forecast.workers: must be an integer",
    "forecast: {podModels: yes please}|forecast.podModels: must be true or false, was \"yes please\"",
  })
  void badValues_nameKeyAndValue(String yaml, String message) {
    assertThatThrownBy(() -> parse(yaml)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }
}
