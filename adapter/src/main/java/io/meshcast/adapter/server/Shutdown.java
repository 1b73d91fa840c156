package io.meshcast.adapter.server;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.logging.Logger;
import sun.misc.Signal;

/**
 * Stopping {@code meshcast serve}: waiting for SIGTERM or Ctrl-C, and closing the parts in order.
 *
 * <p>The signals are handled rather than left to a JVM shutdown hook for two reasons: the JVM
 * exits with 143 after a hook (a clean stop should exit 0), and java.util.logging's own hook
 * resets the handlers while other hooks run, so nothing logged during the stop was ever seen.
 */
public final class Shutdown {
  private static final Logger LOG = Logger.getLogger(Shutdown.class.getName());

  /** No single step may hold the stop for longer than this (a stuck step is logged, skipped). */
  static final Duration STEP_LIMIT = Duration.ofSeconds(5);

  /** One part to close. */
  public record Step(String name, Supplier<? extends Future<?>> close) {}

  private Shutdown() {}

  /**
   * Handles SIGTERM and SIGINT from now on; {@link Signals#await} blocks until one arrives. Called
   * before the server starts, so a signal during start-up (e.g. a pod deleted while it is still
   * bootstrapping) is kept and stops the server cleanly once started: with the handlers installed
   * only after start, such a signal hit the JVM's default handler and the process died with 143
   * (seen in ServeProcessIT on a busy machine). A second signal while stopping halts at once (exit
   * 130), for a user whose stop is stuck.
   */
  public static Signals trapSignals() {
    CountDownLatch received = new CountDownLatch(1);
    AtomicReference<String> first = new AtomicReference<>();
    for (String name : List.of("TERM", "INT")) {
      try {
        Signal.handle(new Signal(name), s -> {
          if (!first.compareAndSet(null, "SIG" + s.getName())) {
            Runtime.getRuntime().halt(130);
          }
          received.countDown();
        });
      } catch (IllegalArgumentException e) {
        // Ignored by the parent (e.g. SIGINT for a background job) or reserved by -Xrs: the
        // other signal still stops the server.
        LOG.fine(() -> "cannot handle SIG" + name + ": " + e.getMessage());
      }
    }
    return new Signals(received, first);
  }

  /** The signals trapped by {@link #trapSignals}. */
  public static final class Signals {
    private final CountDownLatch received;
    private final AtomicReference<String> first;

    private Signals(CountDownLatch received, AtomicReference<String> first) {
      this.received = received;
      this.first = first;
    }

    /** Blocks until SIGTERM or SIGINT (or returns at once if one came already); its name. */
    public String await() throws InterruptedException {
      received.await();
      return first.get();
    }
  }

  /**
   * Closes each step in order, from the calling thread (never an event loop: the last step closes
   * Vert.x, whose result is only delivered to a thread outside it). A step that fails or exceeds
   * {@link #STEP_LIMIT} is logged and the next one runs.
   */
  public static void inOrder(List<Step> steps) {
    for (Step step : steps) {
      long t0 = System.nanoTime();
      try {
        step.close().get().toCompletionStage().toCompletableFuture()
            .get(STEP_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        LOG.warning("event=shutdown-step step=\"" + step.name() + "\" detail=\"not closed within "
            + STEP_LIMIT.toSeconds() + " s; continuing\"");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (Exception e) {
        LOG.warning("event=shutdown-step step=\"" + step.name() + "\" detail=\""
            + StartupFailure.describe(e) + "\"");
      }
      long ms = (System.nanoTime() - t0) / 1_000_000;
      LOG.fine(() -> "event=shutdown-step step=\"" + step.name() + "\" duration_ms=" + ms);
    }
  }
}
