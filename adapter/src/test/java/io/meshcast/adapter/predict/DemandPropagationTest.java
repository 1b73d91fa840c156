package io.meshcast.adapter.predict;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.meshcast.adapter.config.PredictConfig;
import io.meshcast.adapter.observability.ForecastMetrics;
import io.meshcast.adapter.provider.CustomMetricInfo;
import io.meshcast.adapter.provider.GroupResource;
import io.meshcast.adapter.provider.LabelSelector;
import io.meshcast.adapter.testing.MutableClock;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The served kuma_demand_rps_forecast through the provider: raised to the propagated demand when the
 * hook has one for the series, unchanged otherwise, never lowered; other signals untouched.
 */
final class DemandPropagationTest {

  private final Vertx vertx = Vertx.vertx();
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-05T08:00:00Z"));
  private final FakePipeline pipeline = new FakePipeline(vertx, clock);
  private PredictiveLayer layer;

  @AfterEach
  void close() throws Exception {
    if (layer != null) {
      await(layer.close());
    }
    await(vertx.close());
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  private double served(PredictiveProvider p, String metric) {
    return p.metricByName(FakePipeline.NS, "web",
        new CustomMetricInfo(GroupResource.SERVICES, true, metric), LabelSelector.everything())
        .value();
  }

  private void refresh() throws Exception {
    pipeline.source.index++;
    clock.advance(FakePipeline.STEP);
    await(pipeline.refresher.refresh());
    await(layer.processNow());
  }

  @Test
  void upstreamDemand_raisesTheServedForecast_neverLowersIt() throws Exception {
    pipeline.source.signals.put("kuma_demand_rps", i -> 100.0);
    pipeline.source.signals.put("kuma_inflight", i -> 5.0);
    layer = PredictiveLayer.startManual(vertx, pipeline, PredictConfig.defaults(), clock,
        new ForecastMetrics(new PrometheusRegistry(), () -> 0));
    await(layer.bootstrapped());
    PredictiveProvider p = layer.provider(pipeline.provider, pipeline.provider);
    refresh();
    double own = served(p, "kuma_demand_rps_forecast");
    assertThat(own).isGreaterThanOrEqualTo(100);

    // The callers are about to send 180: the HPA gets 180 now, before the wave arrives.
    String id = "shop/web/kuma_demand_rps";
    java.util.concurrent.atomic.AtomicReference<Double> total =
        new java.util.concurrent.atomic.AtomicReference<>(180.0);
    layer.propagation(reports -> reports.containsKey(id)
        ? Map.of(id, new DemandPropagation.Upstream(total.get(), total.get(), 0, 0,
            "shop/gateway 180 x 1"))
        : Map.of());
    refresh();
    assertThat(served(p, "kuma_demand_rps_forecast")).isCloseTo(180, within(1e-9));
    SeriesReport r = layer.reports().get(id);
    assertThat(layer.servedValue(r)).isCloseTo(180, within(1e-9));
    assertThat(layer.upstream().get(id).detail()).contains("shop/gateway");
    // Only the demand signal: the latency forecast is the model's own.
    assertThat(layer.servedValue(layer.reports().get("shop/web/kuma_inflight")))
        .isEqualTo(layer.reports().get("shop/web/kuma_inflight").served());

    // Callers forecast less than the service's own model: the own value stands.
    total.set(10.0);
    refresh();
    assertThat(served(p, "kuma_demand_rps_forecast")).isCloseTo(own, within(own * 0.05));

    // A hook that throws costs the propagation only.
    layer.propagation(reports -> {
      throw new IllegalStateException("boom");
    });
    refresh();
    assertThat(served(p, "kuma_demand_rps_forecast")).isCloseTo(own, within(own * 0.05));
    assertThat(layer.upstream()).isEmpty();
  }
}
