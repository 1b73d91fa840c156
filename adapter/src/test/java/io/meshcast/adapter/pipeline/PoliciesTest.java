package io.meshcast.adapter.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshcast.adapter.config.PolicyConfig;
import io.meshcast.adapter.config.RuleConfig.Combine;
import io.meshcast.adapter.provider.MetricsException;
import io.meshcast.adapter.testing.LogCapture;
import io.meshcast.adapter.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

final class PoliciesTest {

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-21T10:00:00Z"));
  private final PipelineMetrics metrics = PipelineMetrics.unregistered();
  private LogCapture logs;

  @BeforeEach
  void capture() {
    logs = LogCapture.of(Policies.class);
  }

  @AfterEach
  void release() {
    logs.close();
  }

  private Policies policies(PolicyConfig p) {
    return new Policies(m -> p, metrics, clock);
  }

  private static MetricDefinition def() {
    return new MetricDefinition("kuma_rps", Level.SERVICE, "q", OptionalLong.empty(), Combine.SUM,
        Set.of(), true, l -> Optional.empty());
  }

  @Test
  void nanError_isCountedEveryTime_butLoggedOncePerMinutePerObject() {
    Policies p = policies(new PolicyConfig(Duration.ofMinutes(1), OptionalDouble.empty(),
        OptionalDouble.empty()));
    for (int i = 0; i < 5; i++) {
      assertThatThrownBy(() -> p.resolve("kuma_rps", Optional.of(Double.NaN), "services a/b"))
          .isInstanceOf(MetricsException.Unavailable.class).hasMessageContaining("NaN");
    }
    assertThat(metrics.decisions("kuma_rps", PipelineMetrics.Decision.NAN_ERROR)).isEqualTo(5);
    assertThat(logs.lines()).singleElement().asString().contains("decision=nan_error")
        .contains("services a/b");
    p.resolve("kuma_rps", Optional.of(3.0), "services a/b");
    assertThatThrownBy(() -> p.resolve("kuma_rps", Optional.of(Double.NaN), "services a/c"))
        .isInstanceOf(MetricsException.Unavailable.class);
    assertThat(logs.lines()).hasSize(2);
    clock.advance(Duration.ofSeconds(61));
    assertThatThrownBy(() -> p.resolve("kuma_rps", Optional.of(Double.NaN), "services a/b"))
        .isInstanceOf(MetricsException.Unavailable.class);
    assertThat(logs.lines()).hasSize(3);
  }

  @Test
  void freshness_isJudgedOnTheLastSuccessfulRefresh() {
    Policies p = policies(new PolicyConfig(Duration.ofSeconds(60), OptionalDouble.of(0),
        OptionalDouble.of(0)));
    assertThatThrownBy(() -> p.requireFresh(MetricResult.pending(def(), Optional.empty())))
        .isInstanceOf(MetricsException.Unavailable.class)
        .hasMessageContaining("first refresh has not completed");
    MetricResult ok = MetricResult.of(def(), clock.instant(), List.of(), 0);
    p.requireFresh(ok);
    clock.advance(Duration.ofSeconds(60));
    p.requireFresh(ok); // exactly maxAge is still fresh
    clock.advance(Duration.ofSeconds(1));
    assertThatThrownBy(() -> p.requireFresh(ok.withError("HTTP 500")))
        .hasMessage("metric kuma_rps is stale: last successful refresh 61s ago, maxAge 60s;"
            + " last error: HTTP 500");
    assertThat(metrics.decisions("kuma_rps", PipelineMetrics.Decision.STALE)).isEqualTo(1);
    assertThat(p.resolve("kuma_rps", Optional.empty(), "x")).isZero();
  }
}
