package io.meshcast.adapter.graph;

import io.meshcast.adapter.config.CallRatioSettings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

final class CallRatioTest {

  private static final CallRatioSettings SETTINGS = CallRatioSettings.defaults();

  @Test
  void constantFanOut_convergesAndIsStable() {
    CallRatio r = new CallRatio(SETTINGS);
    Random rnd = new Random(1);
    for (int i = 0; i < 30; i++) {
      double x = 50 + 40 * rnd.nextDouble(); // caller traffic varies, the ratio does not
      r.observe(x, 2.5 * x, 0);
    }
    CallRatio.Estimate e = r.estimate();
    assertThat(e.ratio()).isCloseTo(2.5, within(1e-9));
    assertThat(e.stable()).isTrue();
    assertThat(e.explanation()).isEmpty();
    assertThat(e.samples()).isEqualTo(30);
  }

  @Test
  void fewSamples_areNotStable_andSaySo() {
    CallRatio r = new CallRatio(SETTINGS);
    r.observe(10, 10, 0);
    r.observe(10, 10, 0);
    CallRatio.Estimate e = r.estimate();
    assertThat(e.ratio()).isEqualTo(1.0);
    assertThat(e.stable()).isFalse();
    assertThat(e.explanation()).isEqualTo("2 of 5 samples");
  }

  @Test
  void noSamples_isNaN_andExplainsSkips() {
    CallRatio r = new CallRatio(SETTINGS);
    assertThat(r.estimate().explanation()).isEqualTo("no samples yet");
    assertThat(r.observe(0.01, 1, 0)).isFalse();
    assertThat(r.observe(Double.NaN, 1, 0)).isFalse();
    assertThat(r.observe(5, -1, 0)).isFalse();
    CallRatio.Estimate e = r.estimate();
    assertThat(e.ratio()).isNaN();
    assertThat(e.stable()).isFalse();
    assertThat(e.skipped()).isEqualTo(3);
    assertThat(e.explanation()).contains("3 skipped").contains("negative rate");
  }

  @Test
  void retries_areNotCountedAsFanOut() {
    CallRatio r = new CallRatio(SETTINGS);
    for (int i = 0; i < 10; i++) {
      r.observe(100, 30, 0);
    }
    // A retry storm: the callee fails, the caller retries each call twice.
    for (int i = 0; i < 10; i++) {
      r.observe(100, 90, 60);
    }
    CallRatio.Estimate e = r.estimate();
    assertThat(e.ratio()).isCloseTo(0.3, within(1e-9));
    assertThat(e.stable()).isTrue();
    assertThat(e.retryShare()).isGreaterThan(0.5);
  }

  @Test
  void moreRetriesThanAttempts_clampsToZeroCalls() {
    CallRatio r = new CallRatio(SETTINGS);
    r.observe(10, 5, 7);
    assertThat(r.estimate().ratio()).isEqualTo(0.0);
    assertThat(r.estimate().retryShare()).isEqualTo(1.0);
  }

  @Test
  void noisyRatio_isUnstable_withExplanation() {
    CallRatio r = new CallRatio(SETTINGS);
    Random rnd = new Random(7);
    for (int i = 0; i < 50; i++) {
      r.observe(100, 100 * (rnd.nextBoolean() ? 0.2 : 2.0), 0);
    }
    CallRatio.Estimate e = r.estimate();
    assertThat(e.stable()).isFalse();
    assertThat(e.dispersion()).isGreaterThan(SETTINGS.maxDispersion());
    assertThat(e.explanation()).startsWith("ratio varies: dispersion");
  }

  @Test
  void ratioChange_isUnstableWhileMoving_thenStableAtNewValue() {
    CallRatio r = new CallRatio(SETTINGS);
    for (int i = 0; i < 20; i++) {
      r.observe(100, 100, 0);
    }
    r.observe(100, 300, 0);
    assertThat(r.estimate().stable()).isFalse();
    for (int i = 0; i < 60; i++) {
      r.observe(100, 300, 0);
    }
    assertThat(r.estimate().stable()).isTrue();
    assertThat(r.estimate().ratio()).isCloseTo(3.0, within(1e-3));
  }

  @Test
  void missingRetryMetric_readsAsZero() {
    CallRatio r = new CallRatio(SETTINGS);
    assertThat(r.observe(10, 20, Double.NaN)).isTrue();
    assertThat(r.estimate().ratio()).isEqualTo(2.0);
  }

  @Test
  void badSettings_nameTheKey() {
    assertThatThrownBy(() -> new CallRatioSettings(0, 5, 0.2, 0))
        .hasMessageContaining("callRatio.alpha").hasMessageContaining("0.0");
    assertThatThrownBy(() -> new CallRatioSettings(0.2, 0, 0.2, 0))
        .hasMessageContaining("callRatio.minSamples");
    assertThatThrownBy(() -> new CallRatioSettings(0.2, 5, Double.NaN, 0))
        .hasMessageContaining("callRatio.maxDispersion");
    assertThatThrownBy(() -> new CallRatioSettings(0.2, 5, 0.2, -1))
        .hasMessageContaining("callRatio.minCallerRps");
  }
}
