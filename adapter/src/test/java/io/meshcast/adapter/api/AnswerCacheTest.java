package io.meshcast.adapter.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshcast.adapter.config.PolicyConfig;
import io.meshcast.adapter.config.RuleConfig.Combine;
import io.meshcast.adapter.k8s.ClusterView;
import io.meshcast.adapter.pipeline.History;
import io.meshcast.adapter.pipeline.Level;
import io.meshcast.adapter.pipeline.MetricDefinition;
import io.meshcast.adapter.pipeline.PipelineMetrics;
import io.meshcast.adapter.pipeline.Policies;
import io.meshcast.adapter.pipeline.SeriesIdentity;
import io.meshcast.adapter.pipeline.SeriesValue;
import io.meshcast.adapter.pipeline.Snapshot;
import io.meshcast.adapter.pipeline.TestResults;
import io.meshcast.adapter.pipeline.WindowCoverage;
import io.meshcast.adapter.provider.GroupResource;
import io.meshcast.adapter.provider.snapshot.ServingState;
import io.meshcast.adapter.provider.snapshot.SnapshotMetricsProvider;
import io.meshcast.adapter.testing.MutableClock;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The answer cache against the real request path: two servers over one {@link
 * SnapshotMetricsProvider} and one injected clock, one with the cache and one without
 * ({@code answerCacheBytes(0)}). Cached answers must be the uncached ones byte for byte, at every
 * instant, including across the staleness transitions the policies make (maxAge 60 s).
 */
final class AnswerCacheTest {

  private static final Instant T = Instant.parse("2026-12-05T07:00:00Z");
  private static final String PODS =
      "/apis/custom.metrics.k8s.io/v1beta2/namespaces/shop/pods/%2A/queue_depth"
          + "?labelSelector=app%3Dweb";
  private static final String PODS_V1 =
      "/apis/custom.metrics.k8s.io/v1beta1/namespaces/shop/pods/%2A/queue_depth"
          + "?labelSelector=app%3Dweb";
  private static final String THIN_POD =
      "/apis/custom.metrics.k8s.io/v1beta2/namespaces/shop/pods/web-2/queue_depth";
  private static final String FULL_POD =
      "/apis/custom.metrics.k8s.io/v1beta1/namespaces/shop/pods/web-1/queue_depth";
  private static final String ABSENT_POD =
      "/apis/custom.metrics.k8s.io/v1beta1/namespaces/shop/pods/web-9/queue_depth";
  private static final String EXTERNAL =
      "/apis/external.metrics.k8s.io/v1beta1/namespaces/shop/queue_depth"
          + "?labelSelector=pod%3Dweb-1";
  private static final List<String> ALL =
      List.of(PODS, PODS_V1, THIN_POD, FULL_POD, ABSENT_POD, EXTERNAL);

  private static final MetricDefinition QUEUE = new MetricDefinition("queue_depth", Level.CUSTOM,
      "q", OptionalLong.of(60), Combine.SUM, Set.of(GroupResource.PODS), true, l -> Optional.empty());

  private final MutableClock clock = new MutableClock(T);
  private final AtomicReference<Snapshot> snapshot = new AtomicReference<>();
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private Vertx vertx;
  private ApiServer cached;
  private ApiServer uncached;
  private HttpClient client;
  private OptionalDouble onEmpty = OptionalDouble.empty();

  @BeforeEach
  void start() throws Exception {
    publish(1.5);
    ServingState state = new ServingState(Set.of(), List.of(QUEUE), Optional.empty(),
        ClusterView.labelOnly());
    SnapshotMetricsProvider provider = new SnapshotMetricsProvider(snapshot::get, () -> state,
        new Policies(m -> new PolicyConfig(Duration.ofSeconds(60), onEmpty, OptionalDouble.empty()),
            PipelineMetrics.unregistered(), clock));
    vertx = Vertx.vertx();
    cached = server(provider, registry, AnswerCaches.DEFAULT_MAX_BYTES);
    uncached = server(provider, new PrometheusRegistry(), 0);
    cached.start().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    uncached.start().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    client = HttpClient.newBuilder()
        .sslContext(ApiFixture.trusting(cached.certificate().certChainPem()
            + uncached.certificate().certChainPem()))
        .connectTimeout(Duration.ofSeconds(30)).build();
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  private ApiServer server(SnapshotMetricsProvider p, PrometheusRegistry r, long bytes) {
    return ApiServer.builder(vertx)
        .options(ApiServer.Options.defaults().withPort(0))
        .customMetrics(p)
        .externalMetrics(p)
        .registry(r)
        .clock(clock)
        .answerCacheBytes(bytes)
        .build();
  }

  /**
   * Pod web-1 has a complete window; web-2's window is insufficient and its last complete value
   * is 30 s old, so the policy serves it until T+30 s and then answers 503 for it. The result was
   * refreshed at T: maxAge makes everything stale after T+60 s.
   */
  private void publish(double web1) {
    SeriesValue full = new SeriesValue(pod("web-1"), T, web1, History.empty());
    SeriesValue thin = new SeriesValue(pod("web-2"), T.minusSeconds(30), web1 + 2.5,
        History.empty(),
        new WindowCoverage(0.1, 1, 5, WindowCoverage.State.INSUFFICIENT));
    snapshot.set(new Snapshot(T, Map.of(QUEUE.key(),
        TestResults.refreshed(QUEUE, T, List.of(full, thin)))));
  }

  private static SeriesIdentity pod(String name) {
    return new SeriesIdentity("shop", "", "", name, "", Map.of("app", "web"),
        Map.of("pod", name));
  }

  @Test
  void cachedAnswers_areTheUncachedBytes_atEveryInstant_acrossStalenessTransitions()
      throws Exception {
    List<Duration> instants = List.of(Duration.ZERO, Duration.ofSeconds(10),
        Duration.ofSeconds(30), Duration.ofSeconds(30).plusNanos(1), Duration.ofSeconds(45),
        Duration.ofSeconds(60), Duration.ofSeconds(60).plusNanos(1), Duration.ofSeconds(90));
    for (Duration d : instants) {
      clock.set(T.plus(d));
      for (String path : ALL) {
        for (int i = 0; i < 3; i++) {
          HttpResponse<String> a = get(cached, path);
          HttpResponse<String> b = get(uncached, path);
          assertThat(a.statusCode()).as(path + " at T+" + d).isEqualTo(b.statusCode());
          assertThat(a.body()).as(path + " at T+" + d).isEqualTo(b.body());
        }
      }
    }
    assertThat(count("hit")).as("the cache was used").isGreaterThan(0);
  }

  @Test
  void aListAnswer_isReusedUpToItsStalenessTransition_andNeverAfter() throws Exception {
    clock.set(T.plusSeconds(1));
    HttpResponse<String> first = get(cached, PODS);
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(first.body()).contains("\"web-1\"").contains("\"web-2\"");
    double hits = count("hit");
    clock.set(T.plusSeconds(30)); // web-2's last complete value is exactly maxAge old: still served
    assertThat(get(cached, PODS).body()).isEqualTo(first.body());
    assertThat(count("hit")).isEqualTo(hits + 1);
    clock.set(T.plusSeconds(30).plusNanos(1)); // one nanosecond past it: web-2 is stale
    HttpResponse<String> after = get(cached, PODS);
    assertThat(after.statusCode()).isEqualTo(200);
    assertThat(after.body()).contains("\"web-1\"").doesNotContain("\"web-2\"");
    assertThat(count("hit")).isEqualTo(hits + 1);
    // An answer that left an object out counted a policy decision: it is built every time.
    double notReusable = count("not_reusable");
    get(cached, PODS);
    assertThat(count("not_reusable")).isEqualTo(notReusable + 1);
  }

  @Test
  void anObjectAnswer_becomesTheStatusTheUncachedPathGives_afterMaxAge() throws Exception {
    clock.set(T.plusSeconds(59));
    HttpResponse<String> fresh = get(cached, FULL_POD);
    assertThat(fresh.statusCode()).isEqualTo(200);
    clock.set(T.plusSeconds(60));
    assertThat(get(cached, FULL_POD).body()).isEqualTo(fresh.body());
    clock.set(T.plusSeconds(60).plusNanos(1));
    HttpResponse<String> stale = get(cached, FULL_POD);
    assertThat(stale.statusCode()).isEqualTo(503);
    assertThat(stale.body()).contains("\"kind\":\"Status\"").contains("is stale");
    assertThat(stale.body()).isEqualTo(get(uncached, FULL_POD).body());
  }

  @Test
  void aNewSnapshot_invalidatesEveryCachedAnswer() throws Exception {
    clock.set(T.plusSeconds(5));
    for (int i = 0; i < 2; i++) {
      assertThat(get(cached, FULL_POD).body()).contains("\"value\":\"1500m\"");
      assertThat(get(cached, THIN_POD).body()).contains("\"value\":\"4\"");
      assertThat(get(cached, EXTERNAL).body()).contains("\"value\":\"1500m\"");
    }
    double invalidations = invalidations();
    publish(2.5); // same clock, new snapshot object
    assertThat(get(cached, FULL_POD).body()).contains("\"value\":\"2500m\"");
    // Cached before the snapshot changed, asked after another answer saw the change.
    assertThat(get(cached, THIN_POD).body()).contains("\"value\":\"5\"");
    assertThat(get(cached, EXTERNAL).body()).contains("\"value\":\"2500m\"");
    assertThat(invalidations()).isEqualTo(invalidations + 2); // custom and external
  }

  @Test
  void fallbackAnswers_areNeverKept() throws Exception {
    onEmpty = OptionalDouble.of(0); // read by the policy on every decision
    clock.set(T.plusSeconds(5));
    double notReusable = count("not_reusable");
    HttpResponse<String> a = get(cached, ABSENT_POD);
    assertThat(a.statusCode()).isEqualTo(200);
    assertThat(a.body()).contains("\"value\":\"0\"");
    get(cached, ABSENT_POD);
    assertThat(count("not_reusable")).isEqualTo(notReusable + 2);
    assertThat(count("hit")).isZero();
  }

  private HttpResponse<String> get(ApiServer server, String path) throws Exception {
    return client.send(HttpRequest.newBuilder(
            URI.create("https://127.0.0.1:" + server.port() + path))
            .timeout(Duration.ofSeconds(60)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private double count(String result) {
    return counter("meshcast_api_answer_cache_requests", "result", result);
  }

  private double invalidations() {
    return counter("meshcast_api_answer_cache_invalidations", null, null);
  }

  private double counter(String name, String label, String value) {
    List<Double> sum = new ArrayList<>(List.of(0.0));
    for (MetricSnapshot m : registry.scrape()) {
      if (m.getMetadata().getName().equals(name) && m instanceof CounterSnapshot c) {
        c.getDataPoints().stream()
            .filter(p -> label == null || value.equals(p.getLabels().get(label)))
            .forEach(p -> sum.set(0, sum.get(0) + p.getValue()));
      }
    }
    return sum.get(0);
  }
}
