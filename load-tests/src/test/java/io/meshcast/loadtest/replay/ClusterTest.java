package io.meshcast.loadtest.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.meshcast.loadtest.hpa.ScaleTarget;
import org.junit.jupiter.api.Test;

final class ClusterTest {

  @Test
  void steadyTraffic_perPodRateIsArrivalsOverReadyPods() {
    Cluster c = new Cluster(90, 15, 60);
    c.startWarm(4);
    for (long s = 0; s <= 65; s++) {
      c.tick(s);
      c.count(new QueueModel.Step(400, 0, 0), 0);
      if (s % 15 == 0) {
        c.scrape(s);
      }
    }
    Cluster.Snapshot snap = c.query(65);
    assertThat(snap.ratesByPod()).hasSize(4);
    snap.ratesByPod().values().forEach(r -> assertThat(r).isCloseTo(100.0, within(1e-9)));
    assertThat(snap.totalRate()).isCloseTo(400.0, within(1e-9));
  }

  @Test
  void saturatedService_servedRatePlateaus_demandCountsCallersQueueAndOverflow() {
    for (double maxQueue : new double[] {60, 1}) { // queue still growing / full and overflowing
      Cluster c = new Cluster(90, 15, 60);
      c.startWarm(2);
      QueueModel q = new QueueModel(100, 5, 0.25, maxQueue);
      for (long s = 0; s <= 65; s++) {
        c.tick(s);
        c.count(q.step(300, c.readyCount()), q.backlog());
        if (s % 15 == 0) {
          c.scrape(s);
        }
      }
      Cluster.Snapshot snap = c.query(65);
      assertThat(snap.totalRate()).as("served, queue " + maxQueue).isCloseTo(200.0, within(1e-9));
      assertThat(snap.demandRate()).as("demand, queue " + maxQueue).isCloseTo(300.0, within(1.0));
    }
  }

  @Test
  void newPod_isMissingUntilTwoScrapes_thenReportsZeroUntilReady() {
    Cluster c = new Cluster(90, 15, 60);
    c.startWarm(2);
    long s = 0;
    for (; s < 100; s++) {
      c.tick(s);
      if (s == 31) {
        c.scaleTo(3, s);
      }
      c.count(new QueueModel.Step(200, 0, 0), 0);
      if (s % 15 == 0) {
        c.scrape(s);
      }
      if (s == 50) {
        assertThat(c.query(s).ratesByPod()).doesNotContainKey("pod-2"); // one scrape only (45)
      }
      if (s == 65) {
        assertThat(c.query(s).ratesByPod()).containsEntry("pod-2", 0.0); // 45 and 60, not ready
      }
    }
    assertThat(c.readyCount()).isEqualTo(2);
    assertThat(c.podCount()).isEqualTo(3);
    ScaleTarget view = c.scaleTarget();
    assertThat(view.pods()).filteredOn(io.meshcast.adapter.hpa.Pod::ready).hasSize(2);
  }

  @Test
  void scaleDown_removesStartingPodsFirst_thenNewestReady() {
    Cluster c = new Cluster(90, 15, 60);
    c.startWarm(3); // pod-0..2 ready
    c.scaleTo(5, 10); // pod-3, pod-4 starting
    c.scaleTo(2, 20);
    assertThat(c.scaleTarget().pods()).extracting(io.meshcast.adapter.hpa.Pod::name)
        .containsExactly("pod-0", "pod-1");
    assertThat(c.readyCount()).isEqualTo(2);
    c.tick(200); // nothing is left starting
    assertThat(c.readyCount()).isEqualTo(2);
  }
}
