package io.meshcast.loadtest.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshcast.loadtest.hpa.MetricReading;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The replay's predictive policy is the adapter's forecast path fed one snapshot per refresh. */
final class MeshcastPolicyTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private static Cluster.Snapshot snap(long t, double total) {
    return new Cluster.Snapshot(t, Map.of("pod-0", total), total);
  }

  private static long served(MeshcastPolicy p) {
    MetricReading r = p.reading(0, null);
    return ((MetricReading.ExternalValues) r).milli().get(0);
  }

  @Test
  void untrainedModel_servesObserved_andSaysItFellBack() {
    MeshcastPolicy p = new MeshcastPolicy(MeshcastPolicy.defaults(120), 15, T0);
    p.onRefresh(snap(5, 500));
    assertThat(served(p)).isEqualTo(500_000);
    assertThat(p.forecastShare()).isZero();
    assertThat(p.ruleCounts()).containsEntry("fallback", 1L);
    assertThat(p.leadSteps()).isEqualTo(8);
  }

  @Test
  void risingSeries_afterWarmUp_servesAForecastAboveObserved() {
    MeshcastPolicy p = new MeshcastPolicy(MeshcastPolicy.defaults(120), 15, T0);
    double last = 0;
    // two days of a smooth cycle at the 15 s refresh, one snapshot per refresh
    for (long t = 5; t < 2 * 86_400; t += 15) {
      last = 500 + 300 * Math.sin(2 * Math.PI * t / 3_600.0);
      p.onRefresh(snap(t, last));
    }
    assertThat(p.forecastShare()).isGreaterThan(0.5);
    assertThat(served(p)).isGreaterThanOrEqualTo(Math.round(last * 1000) - 1);
  }

  @Test
  void noObservation_isAnUnavailableMetric() {
    MeshcastPolicy p = new MeshcastPolicy(MeshcastPolicy.defaults(120), 15, T0);
    p.onRefresh(new Cluster.Snapshot(5, Map.of(), 0));
    assertThat(p.reading(10, null)).isInstanceOf(MetricReading.Failed.class);
  }
}
