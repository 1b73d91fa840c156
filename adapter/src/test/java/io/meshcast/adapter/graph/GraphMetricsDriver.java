package io.meshcast.adapter.graph;

import io.meshcast.adapter.config.CallRatioSettings;
import io.meshcast.adapter.kuma.Regime;
import io.meshcast.adapter.source.SourceException;
import io.meshcast.adapter.testing.MutableClock;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Registers the graph's metrics (package-private) in a registry and moves each through a real
 * {@link GraphRefresher}: no regime, a graph with a stable-or-not edge, a failed query. For the
 * metric naming test, which checks every metric meshcast registers.
 */
public final class GraphMetricsDriver {

  private GraphMetricsDriver() {}

  public static void run(Vertx vertx, PrometheusRegistry registry) throws Exception {
    GraphRefresherTest.ScriptedSource src = new GraphRefresherTest.ScriptedSource();
    AtomicReference<Optional<Regime>> regime = new AtomicReference<>(Optional.empty());
    GraphRefresher g = new GraphRefresher(vertx,
        new MutableClock(Instant.parse("2026-12-05T00:00:00Z")), regime::get,
        () -> GraphAssemblerTest.config(Optional.empty()), () -> src,
        CallRatioSettings.defaults(), Optional.of(new GraphMetrics(registry)));
    GraphRefresherTest.await(g.refreshNow());
    regime.set(Optional.of(Regime.LEGACY));
    src.next.set(Future.succeededFuture(List.of(
        GraphAssemblerTest.row("inbound", "frontend_shop_svc_80", null, 10),
        GraphAssemblerTest.row("attempts", "frontend_shop_svc_80", "cart_shop_svc_8080", 5))));
    GraphRefresherTest.await(g.refreshNow());
    src.next.set(Future.failedFuture(new SourceException(SourceException.Kind.UNREACHABLE,
        "connection refused")));
    GraphRefresherTest.await(g.refreshNow());
  }
}
