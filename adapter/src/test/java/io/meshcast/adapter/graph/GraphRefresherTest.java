package io.meshcast.adapter.graph;

import io.meshcast.adapter.config.CallRatioSettings;
import static org.assertj.core.api.Assertions.assertThat;

import io.meshcast.adapter.kuma.Regime;
import io.meshcast.adapter.source.MetricSource;
import io.meshcast.adapter.source.RangeSeries;
import io.meshcast.adapter.source.Sample;
import io.meshcast.adapter.source.SourceException;
import io.meshcast.adapter.testing.MutableClock;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Failures keep the last graph, marked stale with the reason; an unknown regime says so. */
final class GraphRefresherTest {

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  /** A source answering what the test says. */
  static final class ScriptedSource implements MetricSource {
    final AtomicReference<Future<List<Sample>>> next = new AtomicReference<>();

    @Override
    public Future<List<Sample>> query(String promql, Instant time) {
      return next.get();
    }

    @Override
    public Future<List<RangeSeries>> queryRange(String q, Instant s, Instant e, Duration step) {
      return Future.failedFuture("unused");
    }

    @Override
    public Future<Void> close() {
      return Future.succeededFuture();
    }
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Test
  void failedQuery_keepsTheLastGraphMarkedStale_thenRecovers() throws Exception {
    MutableClock clock = new MutableClock(Instant.parse("2026-12-05T00:00:00Z"));
    ScriptedSource src = new ScriptedSource();
    AtomicReference<Optional<Regime>> regime = new AtomicReference<>(Optional.empty());
    GraphRefresher g = new GraphRefresher(vertx, clock, regime::get,
        () -> GraphAssemblerTest.config(Optional.empty()), () -> src,
        CallRatioSettings.defaults(), Optional.empty());
    assertThat(g.current().error()).contains("not refreshed yet");
    assertThat(await(g.refreshNow()).error()).contains("Kuma regime not detected yet");

    regime.set(Optional.of(Regime.LEGACY));
    List<Sample> rows = List.of(
        GraphAssemblerTest.row("inbound", "frontend_shop_svc_80", null, 10),
        GraphAssemblerTest.row("attempts", "frontend_shop_svc_80", "cart_shop_svc_8080", 5));
    src.next.set(Future.succeededFuture(rows));
    MeshGraph ok = await(g.refreshNow());
    assertThat(ok.error()).isEmpty();
    assertThat(ok.edges()).hasSize(1);

    clock.advance(Duration.ofSeconds(15));
    src.next.set(Future.failedFuture(new SourceException(SourceException.Kind.UNREACHABLE,
        "connection refused")));
    MeshGraph stale = await(g.refreshNow());
    assertThat(stale.error()).hasValueSatisfying(e -> assertThat(e)
        .startsWith("outbound query failed at 2026-12-05T00:00:15Z").contains("connection refused"));
    assertThat(stale.edges()).isEqualTo(ok.edges());
    assertThat(stale.timestamp()).isEqualTo(ok.timestamp()); // the data's time, not the failure's
    assertThat(g.current()).isSameAs(stale);

    src.next.set(Future.succeededFuture(rows));
    assertThat(await(g.refreshNow()).error()).isEmpty();
  }
}
