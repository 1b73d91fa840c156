package io.meshcast.adapter.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshcast.adapter.config.PolicyConfig;
import io.meshcast.adapter.pipeline.MetricDefinition.CoverageSpec;
import io.meshcast.adapter.pipeline.CoverageRule.CoverageRow;
import io.meshcast.adapter.pipeline.WindowCoverage.State;
import io.meshcast.adapter.provider.MetricsException;
import io.meshcast.adapter.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/** The coverage rule of issue 17, without Prometheus (the IT runs it against a real one). */
final class WindowCoverageRuleTest {

  static final CoverageSpec RATE = new CoverageSpec(t -> "cov", "covered", 0.8, 3, 0, 0.5);
  static final CoverageSpec QUANTILE = new CoverageSpec(t -> "cov", "covered", 0.8, 3, 20, 0.5);

  @Test
  void completeWindows_areFull_andPartialOnesNeedEnoughSamples() {
    assertThat(CoverageRule.judge(RATE, new CoverageRow(1, 20, 400), null).state())
        .isEqualTo(State.FULL);
    // Covered enough but not completely: a real observation (its value is the covered span's).
    assertThat(CoverageRule.judge(RATE, new CoverageRow(0.85, 17, 340), 200.0).state())
        .isEqualTo(State.FULL);
    assertThat(CoverageRule.judge(RATE, new CoverageRow(0.6, 12, 240), 200.0).state())
        .isEqualTo(State.PARTIAL);
    // Enough samples but too short a span (below minServedCoverage): jitter would dominate.
    assertThat(CoverageRule.judge(RATE, new CoverageRow(0.4, 8, 160), 200.0).state())
        .isEqualTo(State.INSUFFICIENT);
    assertThat(CoverageRule.judge(RATE, new CoverageRow(0.1, 2, 40), 200.0).state())
        .isEqualTo(State.INSUFFICIENT);
    // No covered-span value for an incomplete window: nothing trustworthy to serve.
    assertThat(CoverageRule.judge(RATE, new CoverageRow(0.9, 18, 360), null).state())
        .isEqualTo(State.INSUFFICIENT);
    assertThat(CoverageRule.judge(RATE, null, 200.0).state()).isEqualTo(State.INSUFFICIENT);
  }

  @Test
  void quantilesOverTooFewRequests_arePartial() {
    assertThat(CoverageRule.judge(QUANTILE, new CoverageRow(1, 20, 5), null).state())
        .isEqualTo(State.PARTIAL);
    assertThat(CoverageRule.judge(QUANTILE, new CoverageRow(1, 20, 50), null).state())
        .isEqualTo(State.FULL);
  }

  @Test
  void coverageRows_areJoinedByTheirLabelsWithoutThePartLabel() {
    Instant t = Instant.parse("2026-12-04T10:00:00Z");
    Map<Map<String, String>, CoverageRow> rows = CoverageRow.index(List.of(
        new io.meshcast.adapter.source.Sample(Map.of("svc", "a", "meshcast_part", "coverage"), t,
            0.5),
        new io.meshcast.adapter.source.Sample(Map.of("svc", "a", "meshcast_part", "samples"), t,
            10),
        new io.meshcast.adapter.source.Sample(Map.of("svc", "a", "meshcast_part",
            "observations"), t, 99),
        new io.meshcast.adapter.source.Sample(Map.of("svc", "b"), t, 1)));
    assertThat(rows).containsOnlyKeys(Map.of("svc", "a"));
    assertThat(rows.get(Map.of("svc", "a"))).isEqualTo(new CoverageRow(0.5, 10, 99));
  }

  @Test
  void insufficientWindows_serveTheLastCompleteValueUpToMaxAge_then503() {
    MutableClock clock = new MutableClock(Instant.parse("2026-12-04T10:00:00Z"));
    Policies p = new Policies(m -> new PolicyConfig(Duration.ofSeconds(60),
        OptionalDouble.empty(), OptionalDouble.empty()), PipelineMetrics.unregistered(), clock);
    SeriesIdentity id = new SeriesIdentity("ns", "svc", "", "", "k", Map.of(), Map.of());
    WindowCoverage thin = new WindowCoverage(0.1, 1, 5, State.INSUFFICIENT);
    SeriesValue kept = new SeriesValue(id, clock.instant(), 200, History.empty(), thin);
    SeriesValue none = new SeriesValue(id, clock.instant(), Double.NaN, History.empty(), thin);
    p.requireComplete("kuma_rps", List.of(kept), "services ns/svc");
    assertThatThrownBy(() -> p.requireComplete("kuma_rps", List.of(none), "services ns/svc"))
        .isInstanceOf(MetricsException.Unavailable.class)
        .hasMessageContaining("stale").hasMessageContaining("10 %");
    clock.advance(Duration.ofSeconds(61));
    assertThatThrownBy(() -> p.requireComplete("kuma_rps", List.of(kept), "services ns/svc"))
        .isInstanceOf(MetricsException.Unavailable.class)
        .hasMessageContaining("last complete value 61s old, maxAge 60s");
    // Partial and full values are not the policy's business.
    p.requireComplete("kuma_rps", List.of(new SeriesValue(id, Instant.EPOCH, 1, History.empty(),
        new WindowCoverage(0.5, 10, 100, State.PARTIAL))), "x");
    assertThat(kept.partial()).isTrue();
    assertThat(new SeriesValue(id, Instant.EPOCH, 1, History.empty()).partial()).isFalse();
  }
}
