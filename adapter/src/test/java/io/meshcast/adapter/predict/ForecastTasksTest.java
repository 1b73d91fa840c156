package io.meshcast.adapter.predict;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Shutdown waits for forecast work in flight, so no result is delivered to a closed Vert.x. */
class ForecastTasksTest {
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    vertx.close().await();
  }

  @Test
  void close_waitsForTheTaskInFlight_thenRefusesNewOnes() throws Exception {
    WorkerExecutor pool = vertx.createSharedWorkerExecutor("forecast-tasks-test", 2);
    ForecastTasks tasks = new ForecastTasks(pool);
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Future<String> running = tasks.submit(() -> {
      started.countDown();
      release.await();
      return "done";
    }, true);
    assertThat(started.await(60, TimeUnit.SECONDS)).isTrue();

    Future<Void> closed = tasks.close();
    Future<String> late = tasks.submit(() -> "never", false);
    assertThat(late.failed()).isTrue();
    assertThat(late.cause()).isInstanceOf(CancellationException.class);
    // The running task holds the close: it has not completed and cannot until released.
    assertThat(closed.isComplete()).isFalse();

    release.countDown();
    closed.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    assertThat(running.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS))
        .isEqualTo("done");
  }

  @Test
  void tasksQueuedWhenClosingStarts_areSkippedNotRun() throws Exception {
    WorkerExecutor pool = vertx.createSharedWorkerExecutor("forecast-tasks-queue", 1);
    ForecastTasks tasks = new ForecastTasks(pool);
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    tasks.submit(() -> {
      started.countDown();
      release.await();
      return null;
    }, true);
    AtomicBoolean queuedRan = new AtomicBoolean();
    Future<Object> queued = tasks.submit(() -> {
      queuedRan.set(true);
      return null;
    }, true);
    assertThat(started.await(60, TimeUnit.SECONDS)).isTrue();

    Future<Void> closed = tasks.close();
    release.countDown();
    closed.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    assertThat(queued.failed()).isTrue();
    assertThat(queued.cause()).isInstanceOf(CancellationException.class);
    assertThat(queuedRan).isFalse();
  }

  @Test
  void close_withNothingInFlight_completes() throws Exception {
    ForecastTasks tasks = new ForecastTasks(vertx.createSharedWorkerExecutor("forecast-idle", 1));
    tasks.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
