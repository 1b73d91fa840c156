package io.meshcast.adapter.predict;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.meshcast.adapter.config.PredictConfig;
import io.meshcast.adapter.observability.ForecastMetrics;
import io.meshcast.adapter.pipeline.SeriesHistory;
import io.meshcast.adapter.shard.ShardCoordinator;
import io.meshcast.adapter.testing.MutableClock;
import io.meshcast.forecast.SeriesForecaster;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Three replicas in one JVM against fabric8's mock API server (CRUD): each has its own pipeline
 * (the same programmable Prometheus), predictive layer and shard coordinator holding a Lease. Time
 * is an injected clock and the heartbeats and syncs are driven by hand, so lease expiry is
 * decided by the clock, not by how busy the machine is.
 */
@EnableKubernetesMockClient(crud = true)
final class ShardedForecastTest {

  private static final Duration LEASE = Duration.ofSeconds(30);
  private static final Duration RENEW = Duration.ofSeconds(5);
  private static final List<String> NAMES = List.of("meshcast-a", "meshcast-b", "meshcast-c");

  KubernetesClient client;

  private final Vertx vertx = Vertx.vertx();
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-05T08:00:00Z"));
  private final List<Replica> replicas = new ArrayList<>();

  /** One adapter replica. */
  private final class Replica {
    final String name;
    final FakePipeline pipeline = new FakePipeline(vertx, clock);
    final AtomicInteger historyQueries = new AtomicInteger();
    final ShardCoordinator shard;
    PredictiveLayer layer;
    boolean alive = true;

    Replica(String name) {
      this.name = name;
      // Renewals are driven by hand; the scheduled ones are an hour apart so they never run.
      this.shard = new ShardCoordinator(client, new ShardCoordinator.Settings("meshcast", name,
          "meshcast", LEASE, Duration.ofHours(1), Duration.ofHours(1)), clock);
    }

    void startLayer() throws Exception {
      PipelineView counted = new ForwardingView(pipeline) {
        @Override
        public Future<Map<String, List<SeriesHistory>>> bootstrapHistory() {
          historyQueries.incrementAndGet();
          return super.bootstrapHistory();
        }
      };
      layer = PredictiveLayer.startManual(vertx, counted,
          PredictConfig.defaults().withPodModels(true), clock, // pods modelled: 18 series to share
          new ForecastMetrics(new PrometheusRegistry(), () -> 0), shard, "forecast-" + name);
      shard.attach(layer.sharedModels());
      await(layer.bootstrapped());
    }

    SeriesForecaster forecaster(String id) {
      return ((FitExchange) layer.sharedModels()).models().forecaster(id);
    }
  }

  @AfterEach
  void close() throws Exception {
    for (Replica r : replicas) {
      if (r.alive) {
        r.shard.close().get(30, TimeUnit.SECONDS);
        await(r.layer.close());
      }
    }
    await(vertx.close());
  }

  private List<Replica> live() {
    return replicas.stream().filter(r -> r.alive).toList();
  }

  private void refreshAll(int n) throws Exception {
    for (int i = 0; i < n; i++) {
      clock.advance(FakePipeline.STEP); // 15 s, within the 30 s lease: renew at every step
      live().forEach(r -> r.shard.heartbeat());
      for (Replica r : live()) {
        r.pipeline.source.index++;
        await(r.pipeline.refresher.refresh());
        await(r.layer.processNow());
      }
    }
  }

  /** Two rounds: the first publishes everyone's fits, the second adopts the later ones. */
  private void syncAll() {
    for (int round = 0; round < 2; round++) {
      live().forEach(r -> r.shard.sync());
    }
  }

  private Map<String, List<String>> ownersBySeries(Set<String> ids) {
    return ids.stream().collect(Collectors.toMap(id -> id, id -> live().stream()
        .filter(r -> r.shard.owns(id)).map(r -> r.name).toList()));
  }

  @Test
  void threeReplicas_ownEachSeriesOnce_serveAll_andTakeOverAKilledReplicasSeries()
      throws Exception {
    for (String n : NAMES) {
      Replica r = new Replica(n);
      r.pipeline.source.signals.put("kuma_rps", i -> 100 + i + 10 * Math.sin(i / 8.0));
      r.pipeline.source.signals.put("kuma_inflight", i -> 5 + 0.05 * i);
      r.pipeline.rangePoints = 400;
      replicas.add(r);
      r.shard.start().get(30, TimeUnit.SECONDS);
    }
    replicas.forEach(r -> r.shard.heartbeat());
    for (Replica r : replicas) {
      assertThat(r.shard.members()).as(r.name).containsExactlyElementsOf(NAMES);
      r.startLayer();
    }
    refreshAll(3);

    // Every replica serves every series; each modelled series has exactly one owner. (Pod
    // series served as their Service's share, forecast.podModels: false, have no model.)
    Set<String> served = new TreeSet<>(replicas.get(0).layer.reports().keySet());
    for (Replica r : replicas) {
      assertThat(r.layer.reports().keySet()).as(r.name).isEqualTo(served);
    }
    Set<String> ids = new TreeSet<>(((FitExchange) replicas.get(0).layer.sharedModels())
        .models().ids());
    assertThat(ids).hasSizeGreaterThan(6);
    assertThat(served).containsAll(ids);
    Map<String, List<String>> owners = ownersBySeries(ids);
    assertThat(owners.values()).allSatisfy(o -> assertThat(o).hasSize(1));
    for (Replica r : replicas) {
      assertThat(owners.values().stream().filter(o -> o.contains(r.name)).count())
          .as("series owned by %s", r.name).isPositive();
    }
    // Only owners fitted (at bootstrap); the others only followed the history.
    for (Replica r : replicas) {
      for (String id : ids) {
        long refits = r.forecaster(id).status().refits();
        if (r.shard.owns(id)) {
          assertThat(refits).as("%s owns %s", r.name, id).isPositive();
        } else {
          assertThat(refits).as("%s does not own %s", r.name, id).isZero();
        }
      }
    }

    // After a sync every replica serves every series from the owner's fit.
    syncAll();
    refreshAll(2);
    for (String id : ids) {
      Replica owner = byName(owners.get(id).get(0));
      SeriesReport expected = owner.layer.reports().get(id);
      for (Replica r : replicas) {
        SeriesReport got = r.layer.reports().get(id);
        assertThat(got.model()).as("%s on %s", id, r.name).isEqualTo(expected.model());
        assertThat(got.forecast()).as("%s on %s", id, r.name)
            .isCloseTo(expected.forecast(), Offset.offset(1e-6 * (1 + Math.abs(expected.forecast()))));
        if (r != owner) {
          assertThat(((FitExchange) r.layer.sharedModels()).adoptedFrom(id, owner.name))
              .as("%s on %s adopted from %s", id, r.name, owner.name).isTrue();
        }
      }
    }

    // Kill meshcast-c: it stops renewing and serving; its Lease and ConfigMaps stay behind.
    Replica dead = byName("meshcast-c");
    Set<String> orphaned = ids.stream().filter(id -> owners.get(id).contains(dead.name))
        .collect(Collectors.toCollection(TreeSet::new));
    // Its last renewal, seen by the others at the same instant (two rounds: renew, then read).
    for (int round = 0; round < 2; round++) {
      live().forEach(r -> r.shard.heartbeat());
    }
    Instant lastRenewal = clock.instant();
    await(dead.layer.close());
    dead.alive = false;

    // The survivors renew every RENEW; the dead replica stays a member until its lease expires.
    Instant takenOver = null;
    while (takenOver == null) {
      clock.advance(RENEW);
      live().forEach(r -> r.shard.heartbeat());
      boolean gone = live().stream().noneMatch(r -> r.shard.members().contains(dead.name));
      if (gone) {
        takenOver = clock.instant();
      } else {
        assertThat(Duration.between(lastRenewal, clock.instant())).as("still a member at")
            .isLessThanOrEqualTo(LEASE);
      }
    }
    assertThat(Duration.between(lastRenewal, takenOver)).as("take-over after the last renewal")
        .isGreaterThanOrEqualTo(LEASE).isLessThanOrEqualTo(LEASE.plus(RENEW));
    for (Replica r : live()) {
      assertThat(r.shard.members()).containsExactly("meshcast-a", "meshcast-b");
    }

    // Each orphaned series has exactly one new owner, which rebuilt it from Prometheus history.
    Map<String, List<String>> after = ownersBySeries(ids);
    assertThat(after.values()).allSatisfy(o -> assertThat(o).hasSize(1));
    for (String id : ids) {
      if (!orphaned.contains(id)) {
        assertThat(after.get(id)).as("%s kept its owner", id).isEqualTo(owners.get(id));
      }
    }
    for (Replica r : live()) {
      long taken = orphaned.stream().filter(r.shard::owns).count();
      assertThat(await(r.layer.lastRebuild())).as("%s rebuilt", r.name).isEqualTo(taken);
      assertThat(r.historyQueries.get()).as("%s history queries", r.name)
          .isEqualTo(taken > 0 ? 2 : 1);
      for (String id : orphaned) {
        if (r.shard.owns(id)) {
          assertThat(((FitExchange) r.layer.sharedModels()).adoptedFrom(id, dead.name))
              .as("%s on %s no longer the dead replica's fit", id, r.name).isFalse();
          assertThat(r.forecaster(id).status().refits()).as("%s refitted", id).isEqualTo(1);
        }
      }
    }

    // The survivors keep serving everything and agree again after a sync.
    refreshAll(2);
    syncAll();
    refreshAll(1);
    for (String id : ids) {
      Replica owner = byName(after.get(id).get(0));
      for (Replica r : live()) {
        assertThat(r.layer.reports().get(id).model()).as("%s on %s", id, r.name)
            .isEqualTo(owner.layer.reports().get(id).model());
      }
    }
    // The first survivor by name collected the dead replica's fits.
    assertThat(client.configMaps().inNamespace("meshcast").list().getItems())
        .noneMatch(cm -> cm.getMetadata().getName().contains(dead.name));
  }

  private Replica byName(String name) {
    return replicas.stream().filter(r -> r.name.equals(name)).findFirst().orElseThrow();
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
