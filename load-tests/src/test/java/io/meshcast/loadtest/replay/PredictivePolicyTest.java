package io.meshcast.loadtest.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshcast.loadtest.hpa.MetricReading;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

final class PredictivePolicyTest {

  /** Records what it is fed and answers a fixed forecast (or declines). */
  static final class FakeForecast implements RateForecast {
    final List<Double> fed = new ArrayList<>();
    final List<Integer> leads = new ArrayList<>();
    OptionalDouble answer = OptionalDouble.empty();

    @Override
    public void observe(long epochMillis, double rps) {
      fed.add(rps);
    }

    @Override
    public OptionalDouble forecast(int leadSteps) {
      leads.add(leadSteps);
      return answer;
    }
  }

  private static Cluster.Snapshot snap(long t, double total) {
    return new Cluster.Snapshot(t, Map.of("pod-0", total), total);
  }

  private static long served(PredictivePolicy p) {
    MetricReading r = p.reading(0, null);
    return ((MetricReading.ExternalValues) r).milli().get(0);
  }

  @Test
  void untrustworthyModel_fallsBackToObserved() {
    FakeForecast f = new FakeForecast();
    PredictivePolicy p = new PredictivePolicy(f, 120, 0);
    p.onRefresh(snap(65, 500));
    assertThat(served(p)).isEqualTo(500_000);
    assertThat(p.trustedShare()).isZero();
  }

  @Test
  void forecastBelowObserved_servesObserved_aboveServesForecast() {
    FakeForecast f = new FakeForecast();
    PredictivePolicy p = new PredictivePolicy(f, 120, 0);
    f.answer = OptionalDouble.of(300);
    p.onRefresh(snap(65, 500));
    assertThat(served(p)).isEqualTo(500_000);
    f.answer = OptionalDouble.of(800);
    p.onRefresh(snap(80, 500));
    assertThat(served(p)).isEqualTo(800_000);
  }

  @Test
  void feedsOncePerMinute_andLooksPastTheLead() {
    FakeForecast f = new FakeForecast();
    PredictivePolicy p = new PredictivePolicy(f, 120, 0);
    for (long t = 5; t < 185; t += 15) {
      p.onRefresh(snap(t, t));
    }
    // fed at the first refresh of each minute: t = 5, 65, 125
    assertThat(f.fed).containsExactly(5.0, 65.0, 125.0);
    // at t=5 (just fed): ceil(120/60) = 2; at t=50: ceil((50+120-5)/60) = 3
    assertThat(f.leads.get(0)).isEqualTo(2);
    assertThat(f.leads.get(3)).isEqualTo(3);
  }

  @Test
  void noObservation_isAnUnavailableMetric() {
    PredictivePolicy p = new PredictivePolicy(new FakeForecast(), 120, 0);
    p.onRefresh(new Cluster.Snapshot(5, Map.of(), 0));
    assertThat(p.reading(10, null)).isInstanceOf(MetricReading.Failed.class);
  }
}
