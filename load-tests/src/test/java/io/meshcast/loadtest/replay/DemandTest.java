package io.meshcast.loadtest.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class DemandTest {

  @TempDir Path dir;

  @Test
  void poisson_hasMeanAndVarianceLambda() {
    for (double lambda : new double[] {0.5, 3, 10, 50, 2000}) {
      SplittableRandom rng = new SplittableRandom(7);
      int n = 100_000;
      double sum = 0;
      double sq = 0;
      for (int i = 0; i < n; i++) {
        int k = Demand.poisson(rng, lambda);
        sum += k;
        sq += (double) k * k;
      }
      double mean = sum / n;
      double var = sq / n - mean * mean;
      assertThat(mean).as("mean at λ=%s", lambda).isCloseTo(lambda, within(5 * Math.sqrt(lambda / n)));
      assertThat(var / lambda).as("variance ratio at λ=%s", lambda).isCloseTo(1.0, within(0.03));
    }
  }

  @Test
  void rate_isScaledToPeak_andInterpolatedThroughMidpoints() {
    // counts per minute 60, 120, 60 → rates 1, 2, 1 /s; peak 10 rps → scale 5.
    Trace t = new Trace("t", Instant.EPOCH, 60, new double[] {60, 120, 60}, 0);
    Demand d = Demand.of(t, 10, 1);
    assertThat(d.seconds()).isEqualTo(180);
    assertThat(d.scale).isEqualTo(5.0);
    assertThat(d.rate[0]).isEqualTo(5.0); // held flat before the first midpoint
    // second 89 has its centre at 89.5 s, the middle interval's midpoint is at 90 s
    assertThat(d.rate[89]).isCloseTo(10.0 - 5.0 * 0.5 / 60, within(1e-9));
    assertThat(d.rate[179]).isEqualTo(5.0);
    double max = 0;
    for (double r : d.rate) {
      max = Math.max(max, r);
    }
    assertThat(max).isLessThanOrEqualTo(10.0);
  }

  @Test
  void sameSeed_sameArrivals() {
    Trace t = new Trace("t", Instant.EPOCH, 60, new double[] {600, 1200, 900}, 0);
    assertThat(Demand.of(t, 100, 3).arrivals).isEqualTo(Demand.of(t, 100, 3).arrivals);
  }

  @Test
  void traceReader_fillsGapsAndCountsThem() throws IOException {
    Path csv = dir.resolve("g.csv");
    Files.writeString(csv, "timestamp,value\n2014-04-10 00:00:00,10\n2014-04-10 00:05:00,20\n"
        + "2014-04-10 00:15:00,40\n");
    Trace t = Trace.read(csv);
    assertThat(t.stepSeconds()).isEqualTo(300);
    assertThat(t.values()).containsExactly(10, 20, 30, 40);
    assertThat(t.filledIntervals()).isEqualTo(1);
  }

  @Test
  void traceReader_rejectsBadInputWithTheLine() throws IOException {
    Path bad = dir.resolve("b.csv");
    Files.writeString(bad, "timestamp,value\n2014-04-10 00:00:00,10\n2014-04-10 00:05:00,-1\n");
    assertThatThrownBy(() -> Trace.read(bad)).hasMessageContaining("line 3")
        .hasMessageContaining(">= 0");
    Files.writeString(bad, "timestamp,value\n2014-04-10 00:05:00,10\n2014-04-10 00:00:00,1\n");
    assertThatThrownBy(() -> Trace.read(bad)).hasMessageContaining("not after");
    Files.writeString(bad, "timestamp,value\nyesterday,10\n2014-04-10 00:00:00,1\n");
    assertThatThrownBy(() -> Trace.read(bad)).hasMessageContaining("'yesterday'");
  }
}
