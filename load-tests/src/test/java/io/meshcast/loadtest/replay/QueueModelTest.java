package io.meshcast.loadtest.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

final class QueueModelTest {

  // μ = 100 rps per pod, 5 workers → S = 50 ms; SLO 250 ms; queue bound 5 s.
  private final QueueModel q = new QueueModel(100, 5, 0.25, 5);

  @Test
  void erlangC_matchesClosedForms() {
    // M/M/1: P(W > w) = ρ e^{-(μ - λ) w}. One worker, S = 10 ms → μ = 100/s.
    QueueModel mm1 = new QueueModel(100, 1, 0.25, 5);
    assertThat(mm1.waitingTail(1, 80, 0.0)).isCloseTo(0.8, within(1e-12));
    assertThat(mm1.waitingTail(1, 80, 0.1)).isCloseTo(0.8 * Math.exp(-20 * 0.1), within(1e-12));
    // M/M/2 with offered load a = 1: Erlang C = 1/3.
    QueueModel mm2 = new QueueModel(100, 1, 0.25, 5); // S = 10 ms: λ = 100/s gives a = 1
    assertThat(mm2.waitingTail(2, 100, 0.0)).isCloseTo(1.0 / 3, within(1e-12));
  }

  @Test
  void conservation_servedPlusDroppedPlusBacklogEqualsArrivals() {
    double in = 0;
    double out = 0;
    int[] arrivals = {50, 900, 1500, 4000, 0, 300, 20, 0, 0, 0};
    for (int a : arrivals) {
      QueueModel.Step s = q.step(a, 3); // capacity 300/s, queue bound 1500
      in += a;
      out += s.served() + s.dropped();
    }
    assertThat(in).isCloseTo(out + q.backlog(), within(1e-9));
  }

  @Test
  void lightLoad_hasNoLateRequests_overload_isAllLateThenDrops() {
    assertThat(q.step(100, 10).lateFraction()).isLessThan(1e-9); // ρ = 0.1
    QueueModel.Step over = q.step(2000, 10); // capacity 1000: backlog 1000 → wait 0.5 s
    assertThat(over.lateFraction()).isEqualTo(1.0);
    assertThat(over.dropped()).isZero();
    QueueModel.Step drop = q.step(10_000, 10); // backlog would exceed 5 s × 1000
    assertThat(drop.dropped()).isCloseTo(1000 + 10_000 - 1000 - 5000, within(1e-9));
  }

  @Test
  void lateFraction_growsWithUtilisation() {
    double prev = -1;
    for (int a = 500; a <= 990; a += 70) {
      QueueModel fresh = new QueueModel(100, 5, 0.25, 5);
      double f = fresh.step(a, 10).lateFraction();
      assertThat(f).isGreaterThanOrEqualTo(prev);
      prev = f;
    }
    assertThat(prev).isGreaterThan(0.01); // near saturation the p99 exceeds 250 ms
  }

  @Test
  void noReadyPods_dropsEverything() {
    assertThat(q.step(42, 0).dropped()).isEqualTo(42);
  }
}
