package io.meshcast.adapter.shard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.meshcast.adapter.config.ShardingConfig;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.logging.Logger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Coordinators on their own schedule (real clock, real threads) against fabric8's CRUD mock
 * server: short leases, and generous waits for the events, never a bound on how fast they come.
 */
@EnableKubernetesMockClient(crud = true)
final class ShardCoordinatorTest {

  private static final Logger LOG = Logger.getLogger(ShardCoordinatorTest.class.getName());
  private static final List<String> IDS = IntStream.range(0, 600)
      .mapToObj(i -> "shop/svc-" + i + "/kuma_rps").toList();

  KubernetesClient client;
  private final List<ShardCoordinator> started = new ArrayList<>();

  @AfterEach
  void close() {
    started.forEach(ShardCoordinator::abandon);
  }

  private ShardCoordinator start(String name) throws Exception {
    ShardCoordinator c = new ShardCoordinator(client, new ShardCoordinator.Settings("meshcast",
        name, "meshcast", Duration.ofSeconds(2), Duration.ofMillis(300), Duration.ofHours(1)),
        Clock.systemUTC());
    started.add(c);
    c.start().get(60, TimeUnit.SECONDS);
    return c;
  }

  private static void waitFor(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
      Thread.sleep(50);
    }
  }

  /**
   * Whether the replicas agree on {@code members} and own each series exactly once. Checked
   * inside waits: on a starved machine a replica may briefly miss a renewal and see another set.
   */
  private static boolean settled(List<ShardCoordinator> replicas, List<String> members) {
    return replicas.stream().allMatch(x -> x.members().equals(members))
        && IDS.stream().allMatch(id -> replicas.stream().filter(c -> c.owns(id)).count() == 1);
  }

  @Test
  void threeReplicas_agreeOnMembers_ownEachSeriesOnce_andDropAReplicaThatStopsRenewing()
      throws Exception {
    ShardCoordinator a = start("meshcast-a");
    ShardCoordinator b = start("meshcast-b");
    ShardCoordinator c = start("meshcast-c");
    List<String> all = List.of("meshcast-a", "meshcast-b", "meshcast-c");
    waitFor("three members everywhere, each series owned once",
        () -> settled(List.of(a, b, c), all));
    PrometheusRegistry registry = new PrometheusRegistry();
    ShardMetrics.register(registry, a);
    waitFor("the members gauge", () -> gauge(registry, "meshcast_shard_members") == 3);
    assertThat(gauge(registry, "meshcast_shard_standalone")).isZero();

    long t0 = System.nanoTime();
    c.abandon(); // a crash: the Lease stays, unrenewed
    waitFor("the others to drop meshcast-c and own each series once",
        () -> settled(List.of(a, b), List.of("meshcast-a", "meshcast-b")));
    LOG.info("event=test_takeover lease_ms=2000 observed_ms="
        + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
    waitFor("the members gauge", () -> gauge(registry, "meshcast_shard_members") == 2);
    assertThat(client.leases().inNamespace("meshcast").withName("meshcast-shard-meshcast-c")
        .get()).as("a crashed replica's Lease stays until collected").isNotNull();

    b.close().get(60, TimeUnit.SECONDS); // a clean shutdown deletes the Lease
    assertThat(client.leases().inNamespace("meshcast").withName("meshcast-shard-meshcast-b")
        .get()).isNull();
    waitFor("meshcast-a alone", () -> a.members().equals(List.of("meshcast-a")));
    assertThat(IDS).allMatch(a::owns);
  }

  private static double gauge(PrometheusRegistry registry, String name) {
    return registry.scrape().stream().filter(m -> m.getMetadata().getName().equals(name))
        .map(m -> ((GaugeSnapshot) m).getDataPoints().get(0).getValue()).findFirst()
        .orElseThrow();
  }

  @Test
  void start_apiServerRefusesTheLease_failsNamingLeaseAndRbac() {
    KubernetesMockServer server = new KubernetesMockServer(false); // answers 404 to everything
    server.init();
    try (KubernetesClient refusing = server.createClient()) {
      ShardCoordinator c = new ShardCoordinator(refusing, new ShardCoordinator.Settings("ns",
          "meshcast-0", "meshcast", Duration.ofSeconds(15), Duration.ofSeconds(5),
          Duration.ofSeconds(30)), Clock.systemUTC());
      started.add(c);
      assertThatThrownBy(() -> c.start().get(60, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .hasMessageContaining("ns/meshcast-shard-meshcast-0")
          .hasMessageContaining("coordination.k8s.io leases");
    } finally {
      server.destroy();
    }
  }

  @Test
  void resolve_identityFromPodName_orAClearError() {
    ShardingConfig enabled = new ShardingConfig(true, Optional.empty(), Optional.empty(),
        "meshcast", Duration.ofSeconds(15), Duration.ofSeconds(5), Duration.ofSeconds(30));
    ShardCoordinator.Settings s = ShardCoordinator.Settings.resolve(enabled,
        Map.of("POD_NAME", "meshcast-7d9f-x2", "POD_NAMESPACE", "kuma-metrics"),
        Optional.of("default"));
    assertThat(s.identity()).isEqualTo("meshcast-7d9f-x2");
    assertThat(s.namespace()).isEqualTo("kuma-metrics");
    assertThat(ShardCoordinator.Settings.resolve(enabled, Map.of("POD_NAME", "p"),
        Optional.of("default")).namespace()).isEqualTo("default");
    assertThatThrownBy(() -> ShardCoordinator.Settings.resolve(enabled, Map.of(),
        Optional.of("default")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sharding.identity").hasMessageContaining("POD_NAME")
        .hasMessageContaining("metadata.name");
  }
}
