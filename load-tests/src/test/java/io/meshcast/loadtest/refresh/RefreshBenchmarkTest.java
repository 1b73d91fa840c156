package io.meshcast.loadtest.refresh;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Smoke run of the refresh benchmark: small grid, and the query count must not grow. */
final class RefreshBenchmarkTest {

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  @Test
  void queriesPerRefresh_areFlatInHpasAndPods(@TempDir Path dir) throws Exception {
    RefreshBenchmark b = new RefreshBenchmark(vertx, dir);
    RefreshBenchmark.CountRow small = b.queryCount(1, 10, 3);
    RefreshBenchmark.CountRow big = b.queryCount(200, 500, 3);
    // 6 golden signals x 2 levels (service, pod), offered demand at service level, plus one
    // window-coverage companion per level (issue 17); the covered-span queries go out only while
    // some window is partial.
    assertThat(small.queriesPerRefresh()).isEqualTo(15.0);
    assertThat(big.queriesPerRefresh()).isEqualTo(small.queriesPerRefresh());
    RefreshBenchmark.CostRow cost = b.cost(100, 3);
    assertThat(cost.medianRefreshMs()).isPositive();
    assertThat(RefreshBenchmark.markdown(java.util.List.of(small, big), java.util.List.of(cost)))
        .contains("| 200 | 500 |");
  }
}
