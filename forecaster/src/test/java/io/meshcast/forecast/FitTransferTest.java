package io.meshcast.forecast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

final class FitTransferTest {
  private static final long MIN = 60_000L;
  private static final long T0 = 1_700_000_000_000L;

  private static ForecasterConfig config() {
    return ForecasterConfig.defaults(Duration.ofMinutes(1)).withHistoryCapacity(3_000)
        .withMaxHorizonSteps(10).withRefitEverySteps(100_000);
  }

  /** Two cycles of a 240-step season with a trend and noise: seasonal models win. */
  private static double value(int i, Random noise) {
    return 100 + 0.01 * i + 30 * Math.sin(2 * Math.PI * i / 240.0) + noise.nextGaussian();
  }

  /** Feeds points [from, to) of the seeded series to each forecaster. */
  private static void feed(int from, int to, Random noise, SeriesForecaster... fs) {
    for (int i = from; i < to; i++) {
      double v = value(i, noise);
      for (SeriesForecaster f : fs) {
        f.update(T0 + i * MIN, v);
      }
    }
  }

  private static double[] forecasts(SeriesForecaster f) {
    return f.forecast(10).points().stream().mapToDouble(p -> p.mean()).toArray();
  }

  private static double[] upper(SeriesForecaster f) {
    return f.forecast(10).points().stream().mapToDouble(p -> p.upper80()).toArray();
  }

  @Test
  void adopt_afterOwnerRefit_forecastsAndUpdatesExactlyLikeTheOwner() throws IOException {
    SeriesForecaster owner = Forecasters.create(config());
    SeriesForecaster replica = Forecasters.create(config());
    Random noise = new Random(1);
    feed(0, 1_200, noise, owner, replica);
    assertThat(FitTransfer.export(owner)).as("no fit before the first refit").isEmpty();
    owner.refit();
    byte[] fit = FitTransfer.export(owner).orElseThrow();
    System.out.println("fit of " + owner.status().modelName() + ": " + fit.length + " bytes");

    assertThat(FitTransfer.adopt(replica, fit)).isEqualTo(FitTransfer.Adoption.ADOPTED);
    assertThat(replica.status().modelName()).isEqualTo(owner.status().modelName());
    assertThat(forecasts(replica)).containsExactly(forecasts(owner));
    assertThat(upper(replica)).containsExactly(upper(owner));
    feed(1_200, 1_300, noise, owner, replica);
    assertThat(forecasts(replica)).containsExactly(forecasts(owner));
  }

  @Test
  void adopt_replicaAheadOfTheExport_replaysItsOwnPoints() throws IOException {
    SeriesForecaster owner = Forecasters.create(config());
    SeriesForecaster replica = Forecasters.create(config());
    Random noise = new Random(2);
    feed(0, 1_000, noise, owner, replica);
    owner.refit();
    byte[] fit = FitTransfer.export(owner).orElseThrow();
    feed(1_000, 1_005, noise, owner, replica);

    assertThat(FitTransfer.adopt(replica, fit)).isEqualTo(FitTransfer.Adoption.ADOPTED);
    // the same points in the same order; only the rounding of the transform path differs
    assertThat(forecasts(replica)).containsExactly(forecasts(owner), within(1e-9));
  }

  @Test
  void adopt_replicaBehindTheExport_isRefusedUntilItCatchesUp() throws IOException {
    SeriesForecaster owner = Forecasters.create(config());
    SeriesForecaster replica = Forecasters.create(config());
    Random noise = new Random(3);
    feed(0, 998, noise, owner, replica);
    feed(998, 1_000, noise, owner);
    owner.refit();
    byte[] fit = FitTransfer.export(owner).orElseThrow();
    String before = replica.status().modelName();

    assertThat(FitTransfer.adopt(replica, fit)).isEqualTo(FitTransfer.Adoption.BEHIND);
    assertThat(replica.status().modelName()).isEqualTo(before);
    assertThat(FitTransfer.adopt(Forecasters.create(config()), fit))
        .isEqualTo(FitTransfer.Adoption.BEHIND);
  }

  @Test
  void adopt_corruptOrForeignPayload_failsWithTheReason() {
    SeriesForecaster owner = Forecasters.create(config());
    feed(0, 1_000, new Random(4), owner);
    owner.refit();
    byte[] fit = FitTransfer.export(owner).orElseThrow();
    SeriesForecaster otherStep = Forecasters.create(
        ForecasterConfig.defaults(Duration.ofSeconds(30)).withMaxHorizonSteps(10));
    otherStep.update(T0, 1);

    assertThatThrownBy(() -> FitTransfer.adopt(otherStep, fit))
        .isInstanceOf(IOException.class).hasMessageContaining("60000 ms step");
    byte[] truncated = Arrays.copyOf(fit, fit.length / 2);
    assertThatThrownBy(() -> FitTransfer.adopt(owner, truncated))
        .isInstanceOf(IOException.class);
    byte[] wrongFormat = fit.clone();
    wrongFormat[0] = 99;
    assertThatThrownBy(() -> FitTransfer.adopt(owner, wrongFormat))
        .isInstanceOf(IOException.class).hasMessageContaining("format 99");
  }
}
