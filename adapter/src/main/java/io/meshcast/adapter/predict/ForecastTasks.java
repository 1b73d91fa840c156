package io.meshcast.adapter.predict;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.WorkerExecutor;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The forecast worker pool as the layer uses it: every task is counted until its result has been
 * delivered, so {@link #close()} can wait for the tasks in flight before the pool (and then
 * Vert.x) closes. Without the wait, a snapshot being processed at SIGTERM completed after Vert.x
 * had stopped its event loop, and the result's delivery failed with "event executor terminated".
 * Once closing, queued tasks are skipped rather than run, so a shutdown during a long bootstrap
 * does not wait for every series to be fitted.
 */
final class ForecastTasks {
  private final WorkerExecutor worker;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final Promise<Void> drained = Promise.promise();
  private volatile boolean closing;

  ForecastTasks(WorkerExecutor worker) {
    this.worker = worker;
  }

  /** Runs {@code task} on the pool; it fails with a {@link CancellationException} once closing. */
  <T> Future<T> submit(Callable<T> task, boolean ordered) {
    if (closing) {
      return Future.failedFuture(new CancellationException("forecasting is closing"));
    }
    inFlight.incrementAndGet();
    Promise<T> delivered = Promise.promise();
    worker.<T>executeBlocking(() -> {
      if (closing) {
        throw new CancellationException("forecasting is closing");
      }
      return task.call();
    }, ordered).onComplete(ar -> {
      // The caller's future completes first, then the count drops: with andThen the count
      // dropped (and close() could complete) before the caller's future was completed, so a
      // caller woken by close() could still find its task's future pending.
      delivered.handle(ar);
      finished();
    });
    return delivered.future();
  }

  boolean closing() {
    return closing;
  }

  /** Stops taking tasks, waits for those in flight to deliver their results, closes the pool. */
  Future<Void> close() {
    closing = true;
    if (inFlight.get() == 0) {
      drained.tryComplete();
    }
    return drained.future().transform(ar -> worker.close());
  }

  // Runs where the result was delivered, so nothing of the task is left once the count is 0.
  private void finished() {
    if (inFlight.decrementAndGet() == 0 && closing) {
      drained.tryComplete();
    }
  }
}
