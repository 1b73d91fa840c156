package io.meshcast.adapter.kuma;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.meshcast.adapter.provider.CustomMetricInfo;
import io.meshcast.adapter.provider.GroupResource;
import io.meshcast.adapter.provider.LabelSelector;
import io.meshcast.adapter.provider.MetricsException;
import io.meshcast.adapter.testing.MutableClock;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipeline under Prometheus faults (WireMock): each fault becomes the right Status class,
 * nothing crashes, stale data is refused rather than served as fresh, and the pipeline recovers
 * within one refresh interval after the fault ends.
 */
final class PipelineFaultsTest {

  private static final String SERVICE_QUERY = "sum by (kuma_io_service) (";
  private static final String POD_QUERY = "sum by (kuma_io_service, namespace, pod, app) (";
  private final Vertx vertx = Vertx.vertx();
  private WireMockServer wm;
  @TempDir Path dir;
  private KumaPipeline pipeline;

  @BeforeEach
  void start() {
    wm = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    wm.start();
  }

  @AfterEach
  void stop() throws Exception {
    if (pipeline != null) {
      await(pipeline.close());
    }
    wm.stop();
    await(vertx.close());
  }

  /** Generous: only reached when something is broken, never raced against a working run. */
  private static final long LIMIT_SECONDS = 120;

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(LIMIT_SECONDS, TimeUnit.SECONDS);
  }

  private KumaPipeline start(Clock clock, String interval, String extra) throws Exception {
    return start(clock, interval, extra, "30s");
  }

  /**
   * The source timeout is generous (30 s) everywhere except in the one test of a timeout: a cold
   * WireMock on a loaded machine can take seconds to answer, and a short timeout would turn every
   * other fault into "no answer".
   */
  private KumaPipeline start(Clock clock, String interval, String extra, String timeout)
      throws Exception {
    Path cfg = dir.resolve("c.yaml");
    Files.writeString(cfg, """
        prometheus: {url: "%s", timeout: %s}
        refresh: {interval: %s}
        kuma: {regime: legacy, rateWindow: 1m, presets: [kuma_rps]}
        kubernetes: {mode: none}
        metrics:
          default: {maxAge: 1m}
        %s""".formatted(wm.baseUrl(), timeout, interval, extra));
    pipeline = await(KumaPipeline.start(vertx, cfg, clock, new KumaPipeline.Options(
        new PrometheusRegistry(), Optional.empty(), Duration.ofHours(1))));
    return pipeline;
  }

  private void serve(String queryPart, String json) {
    wm.stubFor(any(urlPathEqualTo("/api/v1/query")).withQueryParam("query", containing(queryPart))
        .willReturn(okJson(json)));
  }

  private void services(String... kv) {
    serve(SERVICE_QUERY, vector("kuma_io_service", kv));
  }

  private void pods(String... kv) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < kv.length; i += 2) {
      sb.append(i == 0 ? "" : ",").append("{\"metric\":{\"namespace\":\"kuma-demo\",\"pod\":\"")
          .append(kv[i]).append("\",\"app\":\"backend\"},\"value\":[1795255200,\"")
          .append(kv[i + 1]).append("\"]}");
    }
    serve(POD_QUERY, "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\","
        + "\"result\":[" + sb + "]}}");
  }

  private static String vector(String label, String... kv) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < kv.length; i += 2) {
      sb.append(i == 0 ? "" : ",").append("{\"metric\":{\"").append(label).append("\":\"")
          .append(kv[i]).append("\"},\"value\":[1795255200,\"").append(kv[i + 1]).append("\"]}");
    }
    return "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[" + sb + "]}}";
  }

  private void fail(String queryPart, int status, String body) {
    wm.stubFor(any(urlPathEqualTo("/api/v1/query")).withQueryParam("query", containing(queryPart))
        .willReturn(aResponse().withStatus(status).withBody(body)));
  }

  private double rps(String service) {
    return pipeline.customMetricsProvider().metricByName("kuma-demo", service,
        new CustomMetricInfo(GroupResource.SERVICES, true, "kuma_rps"),
        LabelSelector.everything()).value();
  }

  @Test
  void partialData_servesWhatExists_andNamesWhatIsMissing() throws Exception {
    services("backend_kuma-demo_svc_3001", "42.5");
    fail(POD_QUERY, 500, "boom");
    start(Clock.systemUTC(), "1h", "");
    assertThat(rps("backend")).isEqualTo(42.5);
    assertThatThrownBy(() -> rps("frontend")).isInstanceOf(MetricsException.NotFound.class)
        .hasMessageContaining("kuma_rps").hasMessageContaining("services kuma-demo/frontend");
    assertThatThrownBy(() -> pipeline.customMetricsProvider().metricByName("kuma-demo", "p1",
            new CustomMetricInfo(GroupResource.PODS, true, "kuma_rps"),
            LabelSelector.everything()))
        .isInstanceOf(MetricsException.Unavailable.class)
        .hasMessageContaining("kuma_rps has no data yet").hasMessageContaining("HTTP 500");
    // Prometheus answers (the service query works): ready, with the failure in the detail.
    assertThat(pipeline.ready()).isTrue();
    assertThat(pipeline.healthChecks()).anySatisfy(h -> {
      assertThat(h.name()).isEqualTo("prometheus");
      assertThat(h.check().healthy()).isTrue();
      assertThat(h.check().detail()).contains("kuma_rps/POD").contains("HTTP 500");
    });
  }

  @Test
  void everyFault_becomesUnavailable_neverAValue() throws Exception {
    String[][] faults = {
      {"500", "internal"},
      {"200", "{\"status\":\"error\",\"errorType\":\"execution\",\"error\":\"too many samples\"}"},
      {"200", "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{"},
      {"503", "{\"status\":\"error\",\"errorType\":\"unavailable\",\"error\":\"overloaded\"}"},
      {"200", "not json at all"},
    };
    pods();
    start(Clock.systemUTC(), "1h", "");
    for (String[] f : faults) {
      fail(SERVICE_QUERY, Integer.parseInt(f[0]), f[1]);
      // A fresh pipeline state per fault: restart so no old value is in play.
      await(pipeline.close());
      start(Clock.systemUTC(), "1h", "");
      assertThatThrownBy(() -> rps("backend")).as(f[1])
          .isInstanceOf(MetricsException.Unavailable.class)
          .satisfies(e -> assertThat(((MetricsException) e).code()).isEqualTo(503));
    }
    // The answer comes 10 s after a 500 ms timeout: a slow machine only delays the timeout, it
    // cannot make the answer win.
    wm.stubFor(any(urlPathEqualTo("/api/v1/query")).withQueryParam("query",
        containing(SERVICE_QUERY)).willReturn(okJson("{}").withFixedDelay(10_000)));
    await(pipeline.close());
    start(Clock.systemUTC(), "1h", "", "500ms");
    assertThatThrownBy(() -> rps("backend")).isInstanceOf(MetricsException.Unavailable.class)
        .hasMessageContaining("no answer from Prometheus");
  }

  @Test
  void prometheusNeverAnswered_isNotReady_withTheReason() throws Exception {
    fail(SERVICE_QUERY, 502, "bad gateway");
    fail(POD_QUERY, 502, "bad gateway");
    start(Clock.systemUTC(), "1h", "");
    assertThat(pipeline.ready()).isFalse();
    assertThat(pipeline.healthChecks()).anySatisfy(c -> {
      assertThat(c.name()).isEqualTo("prometheus");
      assertThat(c.check().healthy()).isFalse();
      assertThat(c.check().detail()).contains("has not answered yet").contains("HTTP 502");
    });
  }

  @Test
  void staleData_isRefusedWithItsAge_notServedAsFresh() throws Exception {
    MutableClock clock = new MutableClock(Instant.parse("2026-11-21T10:00:00Z"));
    services("backend_kuma-demo_svc_3001", "42.5");
    pods();
    start(clock, "1h", "");
    assertThat(rps("backend")).isEqualTo(42.5);

    fail(SERVICE_QUERY, 500, "down");
    clock.advance(Duration.ofSeconds(30));
    await(pipeline.refreshNow());
    assertThat(rps("backend")).as("within maxAge the last good value stands").isEqualTo(42.5);

    clock.advance(Duration.ofSeconds(45));
    await(pipeline.refreshNow());
    assertThatThrownBy(() -> rps("backend")).isInstanceOf(MetricsException.Unavailable.class)
        .hasMessageContaining("kuma_rps is stale")
        .hasMessageContaining("75s ago, maxAge 60s")
        .hasMessageContaining("HTTP 500");

    services("backend_kuma-demo_svc_3001", "50");
    await(pipeline.refreshNow());
    assertThat(rps("backend")).isEqualTo(50);
  }

  @Test
  void recovery_happensAtTheFirstRefreshAfterTheFaultEnds() throws Exception {
    fail(SERVICE_QUERY, 500, "down");
    pods();
    // No schedule (1h): each refresh is driven here, so none can overlap the one under test.
    start(Clock.systemUTC(), "1h", "");
    assertThatThrownBy(() -> rps("backend")).isInstanceOf(MetricsException.Unavailable.class);
    assertThat(pipeline.ready()).as("pod query answered").isTrue();
    await(pipeline.refreshNow());
    await(pipeline.refreshNow()); // a few failed refreshes: nothing crashes
    assertThatThrownBy(() -> rps("backend")).isInstanceOf(MetricsException.Unavailable.class);
    services("backend_kuma-demo_svc_3001", "7");
    await(pipeline.refreshNow());
    assertThat(rps("backend")).isEqualTo(7.0);
  }

  @Test
  void scheduledRefreshes_keepRunningThroughFaults_andRecover() throws Exception {
    fail(SERVICE_QUERY, 500, "down");
    pods();
    start(Clock.systemUTC(), "1s", "");
    long failedBefore = failedQueries();
    awaitCondition(() -> failedQueries() >= failedBefore + 2, "two more failed refreshes");
    services("backend_kuma-demo_svc_3001", "7");
    awaitCondition(() -> {
      try {
        return rps("backend") == 7.0;
      } catch (MetricsException e) {
        return false;
      }
    }, "a scheduled refresh serving the value");
  }

  private long failedQueries() {
    // Only the service query is stubbed to fail.
    return wm.getAllServeEvents().stream().filter(e -> e.getResponse().getStatus() == 500).count();
  }

  /** Polls {@code condition} until it holds; fails after {@link #LIMIT_SECONDS}. */
  private static void awaitCondition(java.util.function.BooleanSupplier condition, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(LIMIT_SECONDS);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("%s within %d s", what, LIMIT_SECONDS)
          .isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  @Test
  void fallbackPolicies_areExplicitAndCounted() throws Exception {
    services("backend_kuma-demo_svc_3001", "NaN");
    pods();
    PrometheusRegistry registry = new PrometheusRegistry();
    Path cfg = dir.resolve("c.yaml");
    Files.writeString(cfg, """
        prometheus: {url: "%s"}
        kuma: {regime: legacy, presets: [kuma_rps]}
        kubernetes: {mode: none}
        metrics:
          kuma_rps: {onEmpty: {fallback: 0}, onNaN: {fallback: 1}}
        """.formatted(wm.baseUrl()));
    pipeline = await(KumaPipeline.start(vertx, cfg, Clock.systemUTC(),
        new KumaPipeline.Options(registry, Optional.empty(), Duration.ofHours(1))));
    assertThat(rps("backend")).isEqualTo(1.0);
    assertThat(rps("unknown")).isEqualTo(0.0);
    String scrape = scrape(registry);
    assertThat(scrape).contains(
        "meshcast_policy_decisions_total{decision=\"nan_fallback\",metric=\"kuma_rps\"} 1");
    assertThat(scrape).contains(
        "meshcast_policy_decisions_total{decision=\"empty_fallback\",metric=\"kuma_rps\"}"
            + " 1");
  }

  @Test
  void configReload_badFileKeepsServing_andIsReported() throws Exception {
    services("backend_kuma-demo_svc_3001", "5");
    pods();
    start(Clock.systemUTC(), "1h", "");
    Path cfg = dir.resolve("c.yaml");
    Files.writeString(cfg, Files.readString(cfg).replace("interval: 1h", "interval: often"));
    pipelineWatcherCheck();
    assertThat(rps("backend")).isEqualTo(5);
    // Reported, but not unready: a bad ConfigMap must not take every replica out of service.
    assertThat(pipeline.ready()).isTrue();
    assertThat(pipeline.healthChecks()).anySatisfy(c -> {
      assertThat(c.name()).isEqualTo("config");
      assertThat(c.check().healthy()).isTrue();
      assertThat(c.check().detail()).startsWith("config reload failed")
          .contains("refresh.interval").contains("\"often\"");
    });
    Files.writeString(cfg, Files.readString(cfg).replace("interval: often", "interval: 2h")
        .replace("maxAge: 1m", "maxAge: 5m"));
    pipelineWatcherCheck();
    awaitCondition(() -> pipeline.config().refresh().interval().equals(Duration.ofHours(2)),
        "reloaded config");
    assertThat(pipeline.config().refresh().interval()).isEqualTo(Duration.ofHours(2));
    assertThat(rps("backend")).isEqualTo(5);
    assertThat(pipeline.healthChecks().get(0).name()).isEqualTo("config");
    assertThat(pipeline.healthChecks().get(0).check().detail()).isEmpty();
  }

  private void pipelineWatcherCheck() throws Exception {
    await(pipeline.checkConfigNow());
  }

  static String scrape(PrometheusRegistry registry) throws Exception {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter.create()
        .write(out, registry.scrape());
    return out.toString(java.nio.charset.StandardCharsets.UTF_8);
  }
}
