package io.meshcast.loadtest.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.meshcast.adapter.provider.GroupResource;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The harness's pure parts: mesh generation, request mix, percentiles, parsing, slopes. */
final class HarnessPartsTest {

  private static final Instant T = Instant.parse("2026-11-21T10:00:00Z");

  @Test
  void generate_yieldsExactlyTheRequestedSeriesCount() {
    for (int n : new int[] {24, 1000, 10_000, 12_345}) {
      assertThat(SyntheticMesh.generate(n, 7, 0, T).size()).isEqualTo(n);
    }
  }

  @Test
  void generate_isDeterministicInShapeAndMovesValuesWithEpoch() {
    SyntheticMesh.Table a = SyntheticMesh.generate(1000, 7, 0, T);
    SyntheticMesh.Table b = SyntheticMesh.generate(1000, 7, 1, T);
    assertThat(a.services()).isEqualTo(b.services());
    assertThat(a.objects().get(0).value()).isNotEqualTo(b.objects().get(0).value());
    assertThat(a.objects()).filteredOn(s -> s.resource().equals(GroupResource.PODS))
        .allSatisfy(s -> assertThat(s.objectLabels()).containsKey("app"));
  }

  @Test
  void generate_belowOneService_isRejectedWithTheOptionName() {
    assertThatThrownBy(() -> SyntheticMesh.generate(10, 7, 0, T))
        .hasMessageContaining("--series");
  }

  @Test
  void paths_followTheHpaMixAndOnlyNameCompleteServices() {
    SyntheticMesh.Table mesh = SyntheticMesh.generate(1000, 7, 0, T);
    List<String> paths = RequestMix.paths(mesh.services(), 2000, 11);
    long pods = paths.stream().filter(p -> p.contains("/pods/%2A/")).count();
    long external = paths.stream().filter(p -> p.startsWith("/apis/external")).count();
    long v1beta1 = paths.stream().filter(p -> p.contains("custom.metrics.k8s.io/v1beta1/")).count();
    assertThat(pods / 2000.0).isCloseTo(0.4, within(0.05));
    assertThat(external / 2000.0).isCloseTo(0.3, within(0.05));
    assertThat(v1beta1 / 1400.0).isCloseTo(0.5, within(0.06));
    SyntheticMesh.Service last = mesh.services().get(mesh.services().size() - 1);
    if (!last.complete()) {
      assertThat(paths).noneMatch(p -> p.contains("/" + last.name() + "/")
          || p.endsWith("%3D" + last.name()));
    }
  }

  @Test
  void percentileMs_isNearestRank() {
    long[] ns = new long[1000];
    for (int i = 0; i < ns.length; i++) {
      ns[i] = (i + 1) * 1_000_000L;
    }
    assertThat(LoadGenerator.percentileMs(ns, 0.5)).isEqualTo(500.0);
    assertThat(LoadGenerator.percentileMs(ns, 0.99)).isEqualTo(990.0);
    assertThat(LoadGenerator.percentileMs(ns, 0.999)).isEqualTo(999.0);
    assertThat(LoadGenerator.percentileMs(new long[0], 0.5)).isNaN();
  }

  @Test
  void wrkParse_readsRateAndErrors() throws Exception {
    String out = String.join("\n",
        "Running 10s test @ https://127.0.0.1:4000",
        "  1 threads and 32 connections",
        "  100000 requests in 10.00s, 60.00MB read",
        "  Socket errors: connect 0, read 2, write 0, timeout 3",
        "  Non-2xx or 3xx responses: 7",
        "Requests/sec:  10000.50",
        "Transfer/sec:      6.00MB");
    Wrk.Result r = Wrk.parse(out);
    assertThat(r.requestsPerSecond()).isEqualTo(10000.5);
    assertThat(r.requests()).isEqualTo(100000);
    assertThat(r.non2xx()).isEqualTo(7);
    assertThat(r.socketErrors()).isEqualTo(5);
  }

  @Test
  void slopePerHour_recoversALinearTrendAndIgnoresWarmup() {
    List<Soak.Sample> samples = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      long heap = (long) ((i < 2 ? 50 : 20 + 0.5 * i) * 1048576); // 0.5 MiB/min after warm-up
      samples.add(new Soak.Sample(i, null, new TargetProcess.Memory(heap * 3, heap, heap * 2)));
    }
    double slope = Soak.slopePerHour(samples, 2, s -> s.memory().heapAfterGcBytes() / 1048576.0);
    assertThat(slope).isCloseTo(30.0, within(1e-6));
    assertThat(Soak.slopePerHour(samples.subList(0, 1), 0, s -> 1.0)).isNaN();
    assertThat(Soak.theilSenPerHour(samples, 2, s -> s.memory().heapAfterGcBytes() / 1048576.0))
        .isCloseTo(30.0, within(1e-6));
  }

  @Test
  void theilSen_ignoresATransientSpikeThatDragsLeastSquares() {
    List<Soak.Sample> samples = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      double rss = i == 15 ? 320 : 190; // flat, one G1 expansion late in the run
      long b = (long) (rss * 1048576);
      samples.add(new Soak.Sample(i, null, new TargetProcess.Memory(b, 1, 1)));
    }
    java.util.function.ToDoubleFunction<Soak.Sample> rss =
        s -> s.memory().rssBytes() / 1048576.0;
    assertThat(Soak.theilSenPerHour(samples, 0, rss)).isEqualTo(0.0);
    assertThat(Soak.slopePerHour(samples, 0, rss)).isGreaterThan(10);
  }

  @Test
  void roundRatio_pairsAdapterAndBareOfTheSameRound() {
    List<ServingBench.Measurement> ms = List.of(
        measurement("adapter", 1, 100), measurement("bare", 1, 200),
        measurement("adapter", 2, 300), measurement("bare", 2, 300),
        measurement("adapter", 3, 90), measurement("bare", 3, 100));
    // per-round ratios 0.5, 1.0, 0.9 -> median 0.9 (the ratio of medians would be 0.5)
    assertThat(BenchReport.roundRatio(ms, 1000, ServingBench.Measurement::maxRps))
        .isCloseTo(0.9, within(1e-9));
    assertThat(BenchReport.roundDelta(ms, 1000, ServingBench.Measurement::maxRps))
        .isCloseTo(-10, within(1e-9));
  }

  @Test
  void perKindRatios_pairRoundsPerKind_andKindsAreReadFromThePath() {
    List<ServingBench.Measurement> ms = List.of(
        measurement("adapter", 1, 100, 40), measurement("bare", 1, 200, 100),
        measurement("adapter", 2, 300, 90), measurement("bare", 2, 300, 100));
    assertThat(BenchReport.perRound(ms, 1000, RequestMix.Kind.PODS))
        .containsExactly(0.4, 0.9);
    assertThat(BenchReport.perRound(ms, 1000, RequestMix.Kind.OBJECT)).isEmpty();
    assertThat(RequestMix.Kind.of("/apis/custom.metrics.k8s.io/v1beta2/namespaces/n/pods/%2A/"
        + "kuma_rps?labelSelector=app%3Da")).isEqualTo(RequestMix.Kind.PODS);
    assertThat(RequestMix.Kind.of("/apis/custom.metrics.k8s.io/v1beta1/namespaces/n/services/a/"
        + "kuma_rps")).isEqualTo(RequestMix.Kind.OBJECT);
    assertThat(RequestMix.Kind.of("/apis/external.metrics.k8s.io/v1beta1/namespaces/n/kuma_rps"
        + "?labelSelector=service%3Da")).isEqualTo(RequestMix.Kind.EXTERNAL);
    java.util.Map<String, byte[]> bodies = new java.util.LinkedHashMap<>();
    bodies.put("/apis/custom.metrics.k8s.io/v1beta1/namespaces/n/pods/%2A/m", new byte[900]);
    bodies.put("/apis/custom.metrics.k8s.io/v1beta1/namespaces/n/services/a/m", new byte[300]);
    assertThat(Bodies.bodyBytesByKind(bodies)).containsEntry(RequestMix.Kind.PODS, 900)
        .containsEntry(RequestMix.Kind.OBJECT, 300).doesNotContainKey(RequestMix.Kind.EXTERNAL);
  }

  private static ServingBench.Measurement measurement(String target, int round, double max) {
    return measurement(target, round, max, Double.NaN);
  }

  private static ServingBench.Measurement measurement(String target, int round, double max,
      double podsMax) {
    LoadGenerator.Result fixed =
        new LoadGenerator.Result(10, 10, 0, 1, 10, 1, 2, 3, 4, 0.1, "");
    java.util.Map<RequestMix.Kind, ServingBench.KindMax> byKind = Double.isNaN(podsMax)
        ? java.util.Map.of()
        : java.util.Map.of(RequestMix.Kind.PODS, new ServingBench.KindMax(podsMax, 0));
    return new ServingBench.Measurement(1000, target, round, fixed, max, 0,
        new TargetProcess.Memory(1, 1, 1), byKind);
  }
}
