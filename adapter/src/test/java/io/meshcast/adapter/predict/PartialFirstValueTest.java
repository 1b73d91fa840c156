package io.meshcast.adapter.predict;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshcast.adapter.config.KumaConfig;
import io.meshcast.adapter.config.KumaConfig.RegimeSetting;
import io.meshcast.adapter.config.PredictConfig;
import io.meshcast.adapter.kuma.KumaQueries;
import io.meshcast.adapter.kuma.Regime;
import io.meshcast.adapter.observability.ForecastMetrics;
import io.meshcast.adapter.pipeline.Level;
import io.meshcast.adapter.pipeline.MetricDefinition;
import io.meshcast.adapter.pipeline.MetricResult;
import io.meshcast.adapter.pipeline.SeriesValue;
import io.meshcast.adapter.pipeline.Snapshot;
import io.meshcast.adapter.pipeline.SnapshotAssembler;
import io.meshcast.adapter.pipeline.WindowCoverage;
import io.meshcast.adapter.source.Sample;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A series whose very first value is partial (a new pod, Prometheus just restarted) has no model
 * output yet. Found by the 2,000-pod benchmark against a real Prometheus: its null report made
 * {@code ForecastPath.accept} fail, and the forecast update of the whole refresh was lost.
 */
final class PartialFirstValueTest {

  private static final Map<String, String> WEB = Map.of("kuma_io_service", "web_shop_svc_80");

  @Test
  void aNewSeriesWithAPartialFirstValue_isSkipped_andTheOthersAreStillForecast() {
    KumaConfig kuma = new KumaConfig(RegimeSetting.LEGACY, Duration.ofMinutes(1),
        Optional.empty(), Optional.empty(), Optional.empty(), List.of("app"),
        Set.of("kuma_rps"));
    MetricDefinition rps = new KumaQueries(Regime.LEGACY, kuma).definitions().stream()
        .filter(d -> d.name().equals("kuma_rps") && d.level() == Level.SERVICE)
        .findFirst().orElseThrow();
    Instant t0 = Instant.parse("2026-12-05T00:00:00Z");
    ForecastPath path = new ForecastPath(PredictConfig.defaults().withSignals(Set.of("kuma_rps")),
        () -> List.of(rps), () -> Duration.ofSeconds(15), 16, Clock.fixed(t0, ZoneOffset.UTC),
        new ForecastMetrics(new PrometheusRegistry(), () -> 0), Runnable::run);
    SnapshotAssembler assembler = new SnapshotAssembler(16);
    MetricResult last = null;
    for (int i = 0; i < 3; i++) {
      Instant at = t0.plusSeconds(15L * i);
      last = assembler.assemble(rps, last, List.of(new Sample(WEB, at, 100 + i),
          new Sample(Map.of("kuma_io_service", "api_shop_svc_80"), at, 40)), at);
      // api is new at every refresh here: its value is only ever partial.
      MetricResult judged = new MetricResult(last.definition(), last.refreshedAt(),
          last.series().stream().map(v -> v.identity().service().equals("api") ? partial(v) : v)
              .toList(), last.lastError(), last.unidentified(), last.indexes());
      Snapshot derived = path.accept(new Snapshot(at, Map.of(rps.key(), judged)));
      assertThat(derived.result("kuma_rps_forecast", Level.SERVICE)).isPresent();
    }
    assertThat(path.reports()).containsKey("shop/web/kuma_rps")
        .doesNotContainKey("shop/api/kuma_rps");
  }

  private static SeriesValue partial(SeriesValue v) {
    return new SeriesValue(v.identity(), v.timestamp(), v.value(), v.history(),
        new WindowCoverage(0.5, 2, -1, WindowCoverage.State.PARTIAL));
  }
}
