package io.meshcast.adapter.predict;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshcast.adapter.config.PredictConfig;
import io.meshcast.adapter.pipeline.Level;
import io.meshcast.adapter.pipeline.SeriesIdentity;
import io.meshcast.adapter.config.PredictConfig.Safety;
import io.meshcast.forecast.Forecasters;
import io.meshcast.forecast.SeriesForecaster;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

final class SeriesModelTest {

  private static final Duration STEP = Duration.ofSeconds(15);
  private static final SeriesIdentity ID = new SeriesIdentity("ns", "svc", "", "", "svc_ns_svc_80",
      Map.of("kuma_io_service", "svc_ns_svc_80"), Map.of());

  private static SeriesModel bootstrapped(double[] history, Safety safety, boolean ratio) {
    PredictConfig c = PredictConfig.defaults();
    SeriesForecaster f = Forecasters.create(SeriesModel.forecasterConfig(c, STEP, 8), 0L, history);
    return new SeriesModel(f, Optional.of((history.length - 1) * STEP.toMillis()),
        new ServingDecision(8, safety, 1.0, Double.NaN, ratio));
  }

  @Test
  void twoRefreshesInOneStep_feedOnce() {
    SeriesModel m = new SeriesModel(Forecasters.create(SeriesModel.forecasterConfig(
        PredictConfig.defaults(), STEP, 8)), Optional.empty(),
        new ServingDecision(8, Safety.MAX_WITH_OBSERVED, 1.0, Double.NaN, false));
    assertThat(m.observe("ns/svc/kuma_rps", Level.SERVICE, ID, Instant.ofEpochSecond(0), 1))
        .isTrue();
    assertThat(m.observe("ns/svc/kuma_rps", Level.SERVICE, ID, Instant.ofEpochSecond(5), 2))
        .isFalse();
    assertThat(m.observe("ns/svc/kuma_rps", Level.SERVICE, ID, Instant.ofEpochSecond(16), 3))
        .isTrue();
    assertThat(m.report().historySize()).isEqualTo(2);
    assertThat(m.report().observed()).isEqualTo(3);
  }

  @Test
  void nanObservation_servesNaNForThePolicyToDecide() {
    double[] h = new double[300];
    java.util.Arrays.fill(h, 5);
    SeriesModel m = bootstrapped(h, Safety.MAX_WITH_OBSERVED, false);
    m.observe("id", Level.SERVICE, ID, Instant.ofEpochMilli(300 * STEP.toMillis()), Double.NaN);
    assertThat(m.report().served()).isNaN();
    assertThat(m.report().anomalyScore()).isZero();
  }

  @Test
  void ratioSignals_clippedToUnitInterval() {
    double[] h = new double[300];
    for (int i = 0; i < h.length; i++) {
      h[i] = Math.min(0.999, 0.5 + i * 0.002);
    }
    SeriesModel m = bootstrapped(h, Safety.FORECAST, true);
    m.observe("id", Level.SERVICE, ID, Instant.ofEpochMilli(300 * STEP.toMillis()), 0.999);
    assertThat(m.report().served()).isBetween(0.0, 1.0);
  }

  @Test
  void saturation_littlesLaw() {
    SeriesReport inflight = report(4.0, 4.0);
    SeriesReport rps = report(100, 150);
    assertThat(Saturation.forecast(inflight, rps)).isEqualTo(6.0);
    // Without traffic the in-flight series' own forecast is used.
    assertThat(Saturation.forecast(report(0.5, 0.7), report(0, 0))).isEqualTo(0.7);
    assertThat(Saturation.forecast(report(Double.NaN, 1), rps)).isNaN();
  }

  @Test
  void resample_interpolatesCoarseHistoryOntoTheModelGrid() {
    long[] t = {0, 60_000, 120_000};
    double[] v = {0, 4, 8};
    double[] g = Resample.onGrid(t, v, 15_000, 100);
    assertThat(g).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8);
    assertThat(Resample.gridStart(t, 15_000, g.length)).isZero();
    // A gap of more than three usual spacings is missing data, not a straight line.
    long[] gap = {0, 60_000, 120_000, 600_000};
    double[] gv = {1, 1, 1, 1};
    double[] gg = Resample.onGrid(gap, gv, 60_000, 100);
    assertThat(gg[5]).isNaN();
    assertThat(gg[gg.length - 1]).isEqualTo(1);
    assertThat(Resample.onGrid(t, v, 15_000, 4)).containsExactly(5, 6, 7, 8);
  }

  private static SeriesReport report(double observed, double served) {
    return new SeriesReport("id", "s", Level.SERVICE, "ns", "svc", "k", Map.of(), observed,
        Instant.EPOCH, served, Double.NaN, Double.NaN, served, 0,
        io.meshcast.forecast.Severity.NONE, "m", Double.NaN, true, Optional.empty(), 0, 0, null,
        ServingDecision.Rule.FORECAST, Optional.empty());
  }
}
