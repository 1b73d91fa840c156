package io.meshcast.adapter.api.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

final class QuantityTest {

  /** The milli-unit table of k8s-metrics-api.md §1.6 (what NewMilliQuantity emits). */
  @ParameterizedTest(name = "{0}m -> {1}")
  @CsvSource({
    "0,0",
    "33,33m",
    "500,500m",
    "1000,1",
    "1500,1500m",
    "12000,12",
    "1000000,1k",
    "1500000,1500",
    "2000000,2k",
    "10500,10500m",
    "120000000,120k",
    "-500,-500m",
    "-2000000,-2k",
    "1,1m",
    "10,10m",
    "100,100m",
    "123456789,123456789m",
    "1000000000000,1G",
    "9000000000000000000,9P",
  })
  void formatMilli_matchesKubernetesCanonicalForm(long milli, String expected) {
    assertThat(Quantity.formatMilli(milli)).isEqualTo(expected);
  }

  /** Values round to milli-units away from zero, as the HPA's MilliValue() does. */
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "0.0,0",
    "0.5,500m",
    "1.5,1500m",
    "1.1,1100m",
    "2000,2k",
    "0.0015,2m",
    "0.000000001,1m",
    "0.0001,1m",
    "-0.0015,-2m",
    "33.033,33033m",
    "41.99999,42",
    "1e15,1P",
    "-0.0,0",
  })
  void format_roundsUpToMilli(double value, String expected) {
    assertThat(Quantity.format(value)).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(doubles = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1e16, -1e16})
  void format_rejectsValuesTheHpaCannotRead(double value) {
    assertThatThrownBy(() -> Quantity.format(value)).isInstanceOf(IllegalArgumentException.class);
  }
}
