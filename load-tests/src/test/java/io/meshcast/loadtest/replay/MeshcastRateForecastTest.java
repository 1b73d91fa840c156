package io.meshcast.loadtest.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/** The thin adapter against the real forecaster module. */
final class MeshcastRateForecastTest {

  private static final long T0 = 1_700_000_000_000L;

  @Test
  void beforeTheFirstFit_declines_soThePolicyFallsBackToObserved() {
    MeshcastRateForecast f = new MeshcastRateForecast(Double.NaN, 3);
    for (int i = 0; i < 10; i++) {
      f.observe(T0 + i * 60_000L, 100);
    }
    assertThat(f.forecast(3)).isEmpty();
  }

  @Test
  void onAPredictableDailyPattern_servesAForecastAtLeastTheLastValue() {
    MeshcastRateForecast f = new MeshcastRateForecast(Double.NaN, 3);
    double last = 0;
    for (int i = 0; i < 3 * 1440; i++) { // three days of a smooth daily cycle, one point a minute
      last = 500 + 300 * Math.sin(2 * Math.PI * i / 1440.0);
      f.observe(T0 + i * 60_000L, last);
    }
    OptionalDouble served = f.forecast(3);
    assertThat(served).isPresent();
    // maxOverLead includes the last observation; the cycle is rising here (sin near 0 → up)
    assertThat(served.getAsDouble()).isGreaterThanOrEqualTo(last - 1e-9);
    assertThat(served.getAsDouble()).isLessThan(last + 50);
  }

  @Test
  void quantileOutsideTheForecastersRange_isRejected() {
    assertThatThrownBy(() -> new MeshcastRateForecast(1.5, 3))
        .hasMessageContaining("quantile");
  }
}
