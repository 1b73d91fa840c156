package io.meshcast.adapter.predict;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshcast.adapter.config.PredictConfig;
import io.meshcast.adapter.observability.ForecastMetrics;
import io.meshcast.adapter.config.PredictConfig.Safety;
import io.meshcast.adapter.provider.CustomMetricInfo;
import io.meshcast.adapter.provider.CustomMetricValue;
import io.meshcast.adapter.provider.ExternalMetricInfo;
import io.meshcast.adapter.provider.ExternalMetricValue;
import io.meshcast.adapter.provider.GroupResource;
import io.meshcast.adapter.provider.LabelSelector;
import io.meshcast.adapter.provider.MetricsException;
import io.meshcast.adapter.testing.MutableClock;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

final class PredictiveLayerTest {

  private final Vertx vertx = Vertx.vertx();
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-05T08:00:00Z"));
  private final FakePipeline pipeline = new FakePipeline(vertx, clock);
  private PredictiveLayer layer;
  private PredictiveProvider provider;
  private final ForecastMetrics metrics = new ForecastMetrics(new PrometheusRegistry(), () -> 0);

  @AfterEach
  void close() throws Exception {
    if (layer != null) {
      await(layer.close());
    }
    await(vertx.close());
  }

  private void start(PredictConfig config) throws Exception {
    layer = PredictiveLayer.startManual(vertx, pipeline, config, clock, metrics);
    await(layer.bootstrapped());
    provider = layer.provider(pipeline.provider, pipeline.provider);
  }

  private void refreshes(int n) throws Exception {
    for (int i = 0; i < n; i++) {
      pipeline.source.index++;
      clock.advance(FakePipeline.STEP);
      await(pipeline.refresher.refresh());
      await(layer.processNow());
    }
  }

  private double service(String metric) {
    CustomMetricValue v = provider.metricByName(FakePipeline.NS, "web",
        new CustomMetricInfo(GroupResource.SERVICES, true, metric), LabelSelector.everything());
    return v.value();
  }

  @Test
  void rampWithBootstrap_forecastLeadsObservedOnEverySeam() throws Exception {
    // rps grows by 1 per 15 s step; in flight is 0.05 * rps (W = 50 ms).
    pipeline.source.signals.put("kuma_rps", i -> 100 + i);
    pipeline.source.signals.put("kuma_inflight", i -> 0.05 * (100 + i));
    pipeline.rangePoints = 400;
    start(PredictConfig.defaults());
    assertThat(layer.bootstrapState()).isEqualTo(PredictiveLayer.BootstrapState.DONE);
    refreshes(3);

    double observed = service("kuma_rps");
    double forecast = service("kuma_rps_forecast");
    // Lead 2 min = 8 steps of 15 s: a trend model predicts about observed + 8.
    assertThat(forecast).isGreaterThan(observed + 4).isLessThan(observed + 12);
    SeriesReport r = layer.reports().get("shop/web/kuma_rps");
    assertThat(r.trustworthy()).as("fallback: %s", r.fallback()).isTrue();
    assertThat(r.refits()).isPositive();

    // Little's law: predicted in flight = observed in flight * forecast rps / observed rps.
    double inflight = service("kuma_inflight");
    assertThat(service("kuma_saturation")).isCloseTo(inflight, org.assertj.core.data.Offset
        .offset(1e-3));
    assertThat(service("kuma_saturation_forecast"))
        .isCloseTo(inflight * forecast / observed, org.assertj.core.data.Offset.offset(0.01));

    // Per pod (2 pods report): the Service's prediction divided by 2, for Value targets.
    assertThat(service("kuma_saturation_per_pod_forecast"))
        .isCloseTo(service("kuma_saturation_forecast") / 2,
            org.assertj.core.data.Offset.offset(0.01));

    // Deployments (label-only mapping: the Service of the same name), pods and external.
    CustomMetricValue dep = provider.metricByName(FakePipeline.NS, "web",
        new CustomMetricInfo(GroupResource.DEPLOYMENTS, true, "kuma_rps_forecast"),
        LabelSelector.everything());
    assertThat(dep.value()).isCloseTo(forecast, org.assertj.core.data.Offset.offset(1e-3));
    List<CustomMetricValue> pods = provider.metricsBySelector(FakePipeline.NS,
        LabelSelector.parse("app=web"),
        new CustomMetricInfo(GroupResource.PODS, true, "kuma_rps_forecast"),
        LabelSelector.everything());
    assertThat(pods).hasSize(2);
    assertThat(pods.get(0).value()).isGreaterThan(observed / 2);
    List<ExternalMetricValue> ext = provider.externalMetric(FakePipeline.NS,
        LabelSelector.parse("service=web"), new ExternalMetricInfo("kuma_rps_forecast"));
    assertThat(ext).singleElement().satisfies(e -> {
      assertThat(e.value()).isCloseTo(forecast, org.assertj.core.data.Offset.offset(1e-3));
      assertThat(e.metricLabels()).containsEntry("namespace", FakePipeline.NS);
    });
    assertThat(provider.listAllMetrics()).contains(
        new CustomMetricInfo(GroupResource.SERVICES, true, "kuma_rps_forecast"),
        new CustomMetricInfo(GroupResource.PODS, true, "kuma_latency_p99_ms_anomaly_score"),
        new CustomMetricInfo(GroupResource.DEPLOYMENTS, true, "kuma_saturation_forecast"),
        new CustomMetricInfo(GroupResource.SERVICES, true, "kuma_rps"));
    assertThat(provider.listAllMetrics())
        .contains(new CustomMetricInfo(GroupResource.SERVICES, true,
            "kuma_saturation_per_pod_forecast"))
        .doesNotContain(new CustomMetricInfo(GroupResource.PODS, true,
            "kuma_saturation_per_pod_forecast"));
    assertThat(provider.listAllExternalMetrics()).contains(
        new ExternalMetricInfo("kuma_saturation_per_pod_forecast"));
    assertThat(provider.listAllExternalMetrics()).contains(
        new ExternalMetricInfo("kuma_rps_forecast"), new ExternalMetricInfo("kuma_rps"),
        new ExternalMetricInfo("kuma_rps_anomaly_score"));
  }

  @Test
  void podsWithoutModels_shareTheServiceForecast_andDebugSaysSo() throws Exception {
    pipeline.source.signals.put("kuma_rps", i -> 100 + i);
    pipeline.source.signals.put("kuma_latency_p99_ms", i -> 40 + (i % 7));
    pipeline.rangePoints = 400;
    start(PredictConfig.defaults());
    refreshes(3);

    SeriesReport svc = layer.reports().get("shop/web/kuma_rps");
    SeriesReport pod = layer.reports().get("shop/web-1/kuma_rps@pod");
    assertThat(pod.rule()).isEqualTo(ServingDecision.Rule.SERVICE_SHARE);
    assertThat(pod.model()).contains("shop/web/kuma_rps").contains("/ 2 pods");
    assertThat(pod.observed()).isEqualTo(svc.observed() / 2);
    // Additive: the Service's served value over the 2 reporting pods.
    assertThat(pod.served()).isEqualTo(svc.served() / 2);
    List<CustomMetricValue> pods = provider.metricsBySelector(FakePipeline.NS,
        LabelSelector.parse("app=web"),
        new CustomMetricInfo(GroupResource.PODS, true, "kuma_rps_forecast"),
        LabelSelector.everything());
    assertThat(pods).extracting(CustomMetricValue::value)
        .containsOnly(service("kuma_rps_forecast") / 2);
    // Per-request signals are shared as they are, not divided.
    assertThat(layer.reports().get("shop/web-2/kuma_latency_p99_ms@pod").served())
        .isEqualTo(layer.reports().get("shop/web/kuma_latency_p99_ms").served());
    // Only the Service's series were bootstrapped and fitted (7 signals, kuma_demand_rps included).
    assertThat(layer.bootstrapDetail()).startsWith("7 series bootstrapped");
  }

  @Test
  void podModels_true_fitsEveryPodOnItsOwn() throws Exception {
    pipeline.source.signals.put("kuma_rps", i -> 100 + i);
    pipeline.rangePoints = 400;
    start(PredictConfig.defaults().withPodModels(true));
    refreshes(3);
    SeriesReport pod = layer.reports().get("shop/web-1/kuma_rps@pod");
    assertThat(pod.rule()).isNotEqualTo(ServingDecision.Rule.SERVICE_SHARE);
    assertThat(pod.refits()).isPositive();
    // The Service's 7 signals and each of the 2 pods' 6 (kuma_demand_rps has no pod level).
    assertThat(layer.bootstrapDetail()).startsWith("19 series bootstrapped");
  }

  @Test
  void restartedReplica_servesTheSameForecastAfterBootstrap() throws Exception {
    java.util.Random noise = new java.util.Random(3);
    double[] wave = new double[2000];
    for (int i = 0; i < wave.length; i++) {
      wave[i] = 200 + 50 * Math.sin(2 * Math.PI * i / 120) + 5 * noise.nextGaussian();
    }
    pipeline.source.signals.put("kuma_rps", i -> wave[(int) Math.floorMod((long) i + 1000,
        wave.length)]);
    pipeline.rangePoints = 600;
    start(PredictConfig.defaults());
    PredictiveLayer second = PredictiveLayer.startManual(vertx, pipeline,
        PredictConfig.defaults(), clock, metrics);
    try {
      await(second.bootstrapped());
      PredictiveProvider other = second.provider(pipeline.provider, pipeline.provider);
      pipeline.source.index++;
      clock.advance(FakePipeline.STEP);
      await(pipeline.refresher.refresh());
      await(layer.processNow());
      await(second.processNow());
      CustomMetricInfo info = new CustomMetricInfo(GroupResource.SERVICES, true,
          "kuma_rps_forecast");
      double a = provider.metricByName(FakePipeline.NS, "web", info, LabelSelector.everything())
          .value();
      double b = other.metricByName(FakePipeline.NS, "web", info, LabelSelector.everything())
          .value();
      assertThat(b).isEqualTo(a);
      assertThat(second.reports().get("shop/web/kuma_rps").model())
          .isEqualTo(layer.reports().get("shop/web/kuma_rps").model());
    } finally {
      await(second.close());
    }
  }

  @Test
  void withoutHistory_servesObservedAndSaysWhy() throws Exception {
    pipeline.source.signals.put("kuma_rps", i -> 100 + i);
    start(PredictConfig.defaults());
    refreshes(5);
    assertThat(service("kuma_rps_forecast")).isEqualTo(service("kuma_rps"));
    SeriesReport r = layer.reports().get("shop/web/kuma_rps");
    assertThat(r.trustworthy()).isFalse();
    assertThat(r.fallback()).get().asString().startsWith("insufficient history: 5 of");
  }

  @Test
  void forecastBelowObserved_neverServedUnlessConfigured() throws Exception {
    pipeline.source.signals.put("kuma_rps", i -> Math.max(1, 600 - 2 * i));
    pipeline.rangePoints = 200;
    start(PredictConfig.defaults());
    refreshes(2);
    SeriesReport r = layer.reports().get("shop/web/kuma_rps");
    assertThat(r.forecast()).as("the trend is falling").isLessThan(r.observed());
    assertThat(service("kuma_rps_forecast")).isEqualTo(service("kuma_rps"));
    await(layer.close());

    layer = PredictiveLayer.startManual(vertx, pipeline,
        PredictConfig.defaults().withSafety(Safety.FORECAST), clock, metrics);
    await(layer.bootstrapped());
    provider = layer.provider(pipeline.provider, pipeline.provider);
    refreshes(2);
    assertThat(service("kuma_rps_forecast")).isLessThan(service("kuma_rps"));
  }

  @Test
  void sourceDown_derivedMetricsAgeOutWithTheBaseAndError() throws Exception {
    pipeline.source.signals.put("kuma_rps", i -> 50);
    start(PredictConfig.defaults());
    refreshes(2);
    double before = service("kuma_rps_forecast");
    pipeline.source.failing = true;
    refreshes(1);
    // Within maxAge (1 min) the last good value is served, as for the base metric.
    assertThat(service("kuma_rps_forecast")).isEqualTo(before);
    refreshes(4);
    assertThatThrownBy(() -> service("kuma_rps_forecast"))
        .isInstanceOf(MetricsException.Unavailable.class)
        .hasMessageContaining("stale").hasMessageContaining("connection refused");
    assertThatThrownBy(() -> service("kuma_rps"))
        .isInstanceOf(MetricsException.Unavailable.class);
    assertThat(metrics.unavailableCount("kuma_rps_forecast")).isEqualTo(1);
    pipeline.source.failing = false;
    refreshes(1);
    assertThat(service("kuma_rps_forecast")).isEqualTo(50);
  }

  @Test
  void injectedSpike_raisesAnomalyScoreOnlyThere() throws Exception {
    java.util.Random noise = new java.util.Random(7);
    double[] base = new double[5000];
    for (int i = 0; i < base.length; i++) {
      base[i] = 100 + 10 * Math.sin(2 * Math.PI * i / 96) + noise.nextGaussian() * 2;
    }
    pipeline.source.signals.put("kuma_latency_p99_ms",
        i -> (i >= 60 && i < 63) ? 400 : base[(int) Math.floorMod((long) i, base.length)]);
    pipeline.rangePoints = 600;
    start(PredictConfig.defaults());
    double maxNormal = 0;
    for (int i = 0; i < 59; i++) {
      refreshes(1);
      maxNormal = Math.max(maxNormal, layer.reports().get("shop/web/kuma_latency_p99_ms")
          .anomalyScore());
    }
    double spike = 0;
    for (int i = 0; i < 3; i++) {
      refreshes(1);
      spike = Math.max(spike, service("kuma_latency_p99_ms_anomaly_score"));
    }
    // Normal points stay below "warning" (3); the spike reaches at least "minor" (25).
    assertThat(maxNormal).isLessThan(3);
    assertThat(spike).isGreaterThanOrEqualTo(25);
  }

  @Test
  void bootstrapping_derivedMetricsAnswer503NamingIt() throws Exception {
    layer = PredictiveLayer.startManual(vertx, new SlowBootstrap(pipeline), PredictConfig
        .defaults(), clock, metrics);
    provider = layer.provider(pipeline.provider, pipeline.provider);
    assertThatThrownBy(() -> service("kuma_rps_forecast"))
        .isInstanceOf(MetricsException.Unavailable.class)
        .hasMessageContaining("bootstrapping");
  }

  @Test
  void followingLayer_isFedByTheRefreshItself() throws Exception {
    pipeline.source.signals.put("kuma_rps", i -> 100);
    layer = PredictiveLayer.start(vertx, pipeline, PredictConfig.defaults(), clock, metrics);
    await(layer.bootstrapped());
    await(pipeline.refresher.refresh());
    // No processNow: the refresher's listener dispatches the snapshot to the forecast pool.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (layer.reports().get("shop/web/kuma_rps") == null && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(layer.reports().get("shop/web/kuma_rps")).isNotNull();
    assertThat(layer.reports().get("shop/web/kuma_rps").observed()).isEqualTo(100);
  }

  @Test
  void refreshIntervalChange_restartsTheModelsOnTheNewStep() throws Exception {
    java.util.concurrent.atomic.AtomicReference<Duration> interval =
        new java.util.concurrent.atomic.AtomicReference<>(FakePipeline.STEP);
    ForecastPath path = new ForecastPath(PredictConfig.defaults(), pipeline::definitions,
        interval::get, 100, clock, metrics, Runnable::run);
    await(pipeline.refresher.refresh());
    path.accept(pipeline.snapshot());
    assertThat(path.step()).isEqualTo(FakePipeline.STEP);
    assertThat(path.reports().get("shop/web/kuma_rps").historySize()).isEqualTo(1);
    interval.set(Duration.ofSeconds(30));
    clock.advance(Duration.ofSeconds(30));
    await(pipeline.refresher.refresh());
    path.accept(pipeline.snapshot());
    assertThat(path.step()).isEqualTo(Duration.ofSeconds(30));
    assertThat(path.stepChanges()).isEqualTo(1);
    assertThat(path.leadSteps()).isEqualTo(4);
    assertThat(path.reports().get("shop/web/kuma_rps").historySize())
        .as("a fresh model on the new grid").isEqualTo(1);
  }

  /** A view whose bootstrap never completes. */
  private static final class SlowBootstrap extends ForwardingView {
    SlowBootstrap(PipelineView v) {
      super(v);
    }

    @Override
    public Future<java.util.Map<String, List<io.meshcast.adapter.pipeline.SeriesHistory>>>
        bootstrapHistory() {
      return io.vertx.core.Promise.<java.util.Map<String,
          List<io.meshcast.adapter.pipeline.SeriesHistory>>>promise().future();
    }
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

}
