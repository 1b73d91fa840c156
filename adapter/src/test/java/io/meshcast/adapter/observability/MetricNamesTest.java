package io.meshcast.adapter.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.meshcast.adapter.cli.RunningAdapter;
import io.meshcast.adapter.config.DelegateConfig;
import io.meshcast.adapter.delegate.Delegation;
import io.meshcast.adapter.graph.GraphMetricsDriver;
import io.meshcast.adapter.shard.ShardCoordinator;
import io.meshcast.adapter.shard.ShardMetrics;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * Every metric meshcast registers follows docs/metrics.md's scheme and is documented there. The
 * registries are the real ones: the {@code serve --demo} composition root's (exercised with API
 * requests until refreshes and forecasts have run), plus delegation, sharding and the mesh graph,
 * which the demo does not start, each registered by its own code and moved by a real run. A
 * metric added later anywhere in the adapter is caught too: every {@code "meshcast_..."} string
 * in the main sources must be the served name of a metric in these registries (or one of the
 * PromQL label names below), so a new metric either shows up here or fails the test.
 */
@EnableKubernetesMockClient(crud = true)
final class MetricNamesTest {

  /** Labels meshcast adds inside its own PromQL (sent to Prometheus, never served). */
  private static final Set<String> PROMQL_LABELS = Set.of("meshcast_part", "meshcast_term");
  private static final Pattern LITERAL = Pattern.compile("\"(meshcast_[A-Za-z0-9_]*)\"");

  KubernetesClient client;

  @Test
  void everyRegisteredMetric_followsTheScheme_isDocumented_andNoNameLiteralIsLeftOut()
      throws Exception {
    Map<String, MetricSnapshot> served = new TreeMap<>();
    List<String> violations = new ArrayList<>();
    for (MetricSnapshots s : List.of(demoAdapter(), delegation(), sharding(), graph())) {
      violations.addAll(MetricScheme.violations(s));
      s.forEach(m -> served.put(MetricScheme.servedName(m), m)); // delegation is in two
    }
    System.out.println("metrics checked: " + served.size() + " " + served.keySet());
    SoftAssertions soft = new SoftAssertions();
    soft.assertThat(served).hasSizeGreaterThan(30);
    soft.assertThat(violations).as("naming scheme violations").isEmpty();
    // the level label is lower case wherever it appears (it was POD in one place, pod in another)
    soft.assertThat(labelValues(served.values(), "level")).isNotEmpty()
        .isSubsetOf("service", "pod", "custom");

    Set<String> literals = nameLiterals(repoRoot().resolve("adapter/src/main/java"));
    literals.removeAll(PROMQL_LABELS);
    soft.assertThat(served.keySet()).as("name literals in adapter/src/main/java that are not the"
        + " served name of a registered metric").containsAll(literals);

    String doc = Files.readString(repoRoot().resolve("docs/metrics.md"));
    soft.assertThat(served.keySet().stream().filter(n -> !doc.contains("\n| `" + n + "` |"))
        .toList()).as("metrics without a row in docs/metrics.md").isEmpty();
    soft.assertAll();
  }

  /** The checker itself: each kind of bad metric is reported, naming it. */
  @Test
  void theScheme_rejectsBadNames_units_types_andLabelValues() {
    PrometheusRegistry r = new PrometheusRegistry();
    Counter.builder().name("meshcast_adapter_refreshes_total").register(r);
    Gauge.builder().name("meshcast_api_latency_ms").register(r);
    Gauge.builder().name("meshcast_forecast_fallbacks_count").register(r);
    Gauge.builder().name("meshcast_refresh_last_duration_seconds").register(r);
    Histogram.builder().name("meshcast_api_request_duration").register(r);
    Gauge.builder().name("meshcast_graph").register(r);
    Gauge.builder().name("meshcast_forecast_bytes_published").register(r);
    Counter.builder().name("meshcast_forecast_error_ratio_total").unit(Unit.RATIO).register(r);
    Counter.builder().name("meshcast_source_queries_total").labelNames("level").register(r)
        .labelValues("POD").inc();
    Gauge.builder().name("meshcast_graph_edges").labelNames("Ratio").register(r)
        .labelValues("stable").set(1);
    CounterWithCallback.builder().name("meshcast_shard_takeovers")
        .callback(cb -> cb.call(1)).register(r);
    Gauge.builder().name("meshcast_snapshot_series").labelNames("metric", "level").register(r)
        .labelValues("Any_Name.x", "service").set(1);

    List<String> v = MetricScheme.violations(r.scrape());
    v.forEach(System.out::println);
    List<List<String>> expected = List.of( // metric (and type), what the violation says
        List.of("meshcast_adapter_refreshes_total (", "subsystem 'adapter'"),
        List.of("meshcast_api_latency_ms (", "'ms' is not a base unit"),
        List.of("meshcast_api_latency_ms (", "a time must end in _seconds"),
        List.of("meshcast_forecast_fallbacks_count (", "_count is the exposition's own"),
        List.of("meshcast_refresh_last_duration_seconds (", "unit metadata is null"),
        List.of("meshcast_api_request_duration (", "a time must end in _seconds"),
        List.of("meshcast_graph (", "needs meshcast_<subsystem>_<name>"),
        List.of("meshcast_forecast_bytes_published (", "unit 'bytes' must be the last word"),
        List.of("meshcast_forecast_error_ratio_total (", "a ratio is a gauge"),
        List.of("meshcast_source_queries_total (", "level=\"POD\""),
        List.of("meshcast_graph_edges (", "label name 'Ratio'"));
    for (List<String> e : expected) {
      assertThat(v).as("violations").anySatisfy(x -> assertThat(x).startsWith(e.get(0))
          .contains(e.get(1)));
    }
    // free-form names (metric, signal, objects...) keep their spelling
    assertThat(v).noneSatisfy(x -> assertThat(x).startsWith("meshcast_snapshot_series"));
    // a counter named without _total is served with it: its literal is not a served name
    assertThat(MetricScheme.servedName(r.scrape().stream()
        .filter(m -> m.getMetadata().getName().equals("meshcast_shard_takeovers")).findFirst()
        .orElseThrow())).isEqualTo("meshcast_shard_takeovers_total");
    assertThat(literalsIn("counter(r, \"meshcast_shard_takeovers\", ...)"))
        .containsExactly("meshcast_shard_takeovers");
    assertThat(v).hasSameSizeAs(expected);
  }

  /** The composition root's registry after API traffic, refreshes and forecasts. */
  private static MetricSnapshots demoAdapter() throws Exception {
    try (RunningAdapter meshcast = RunningAdapter.start("--demo", "--insecure-authn")) {
      PrometheusRegistry registry = meshcast.running().server().registry();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
      while (true) {
        for (String path : List.of("/apis/custom.metrics.k8s.io/v1beta2",
            "/apis/custom.metrics.k8s.io/v1beta2/namespaces/demo/services/frontend/kuma_rps",
            "/apis/custom.metrics.k8s.io/v1beta2/namespaces/demo/services/nope/kuma_rps",
            "/apis/custom.metrics.k8s.io/v1beta2/namespaces/demo/pods/*/kuma_rps",
            "/apis/external.metrics.k8s.io/v1beta1/namespaces/demo/kuma_rps_forecast",
            "/metrics")) {
          meshcast.get(path);
        }
        MetricSnapshots s = registry.scrape();
        if (hasData(s, "meshcast_forecast_series") && hasData(s, "meshcast_snapshot_series")) {
          return s;
        }
        assertThat(System.nanoTime()).as("waiting for the demo's forecasts").isLessThan(deadline);
        Thread.sleep(1_000);
      }
    }
  }

  /** Delegation's registry after a discovery refresh against a closed port. */
  private static MetricSnapshots delegation() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      PrometheusRegistry registry = new PrometheusRegistry();
      DelegateConfig c = new DelegateConfig("custom.metrics.k8s.io",
          URI.create("https://127.0.0.1:" + closedPort()), Optional.empty(), Optional.empty(),
          Optional.empty(), Optional.empty(), true, Duration.ofSeconds(5), 3,
          Duration.ofSeconds(30), Duration.ofHours(1));
      Delegation d = Delegation.start(vertx, List.of(c), Clock.systemUTC(), registry);
      d.refreshDiscoveryNow().otherwiseEmpty().toCompletionStage().toCompletableFuture()
          .get(60, TimeUnit.SECONDS);
      d.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
      return registry.scrape();
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
  }

  /** Sharding's registry for one replica holding its Lease (fabric8's CRUD mock server). */
  private MetricSnapshots sharding() throws Exception {
    ShardCoordinator c = new ShardCoordinator(client, new ShardCoordinator.Settings("meshcast",
        "meshcast-a", "meshcast", Duration.ofSeconds(30), Duration.ofSeconds(10),
        Duration.ofHours(1)), Clock.systemUTC());
    try {
      c.start().get(60, TimeUnit.SECONDS);
      PrometheusRegistry registry = new PrometheusRegistry();
      ShardMetrics.register(registry, c);
      return registry.scrape();
    } finally {
      c.close().get(60, TimeUnit.SECONDS);
    }
  }

  /** The mesh graph's registry after a refresh of each outcome. */
  private static MetricSnapshots graph() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      PrometheusRegistry registry = new PrometheusRegistry();
      GraphMetricsDriver.run(vertx, registry);
      return registry.scrape();
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
  }

  private static boolean hasData(MetricSnapshots s, String name) {
    return s.stream().anyMatch(m -> m.getMetadata().getPrometheusName().equals(name)
        && m instanceof GaugeSnapshot g && !g.getDataPoints().isEmpty());
  }

  private static Set<String> labelValues(java.util.Collection<MetricSnapshot> metrics,
      String label) {
    Set<String> out = new TreeSet<>();
    metrics.forEach(m -> m.getDataPoints().forEach(p -> {
      String v = p.getLabels().get(label);
      if (v != null) {
        out.add(v);
      }
    }));
    return out;
  }

  private static Set<String> nameLiterals(Path sources) throws IOException {
    try (Stream<Path> files = Files.walk(sources)) {
      return files.filter(f -> f.toString().endsWith(".java")).flatMap(f -> {
        try {
          return literalsIn(Files.readString(f)).stream();
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }).collect(Collectors.toCollection(TreeSet::new));
    }
  }

  private static List<String> literalsIn(String source) {
    Matcher m = LITERAL.matcher(source);
    List<String> out = new ArrayList<>();
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  private static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static Path repoRoot() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.isDirectory(p.resolve("adapter/src/main/java"))) {
      p = p.getParent();
    }
    assertThat(p).as("repository root above " + Path.of("").toAbsolutePath()).isNotNull();
    return p;
  }
}
