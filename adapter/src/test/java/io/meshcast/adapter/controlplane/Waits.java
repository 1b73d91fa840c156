package io.meshcast.adapter.controlplane;

import java.time.Duration;
import java.util.function.Predicate;

/**
 * Polling with generous limits: the HPA controller, the aggregator's availability checks and a
 * busy 2-core machine all take their time, so the scenario waits for the event it expects and
 * fails only after minutes, naming what it waited for and what it saw last.
 */
final class Waits {

  /** One observation; exceptions abort the wait (a dead process must fail fast). */
  @FunctionalInterface
  interface Probe<T> {
    T observe() throws Exception;
  }

  private static final Duration POLL = Duration.ofSeconds(1);

  private Waits() {}

  /** Polls until {@code done} accepts an observation and returns it. */
  static <T> T await(String what, Duration limit, Probe<T> probe, Predicate<T> done)
      throws Exception {
    long deadline = System.nanoTime() + limit.toNanos();
    T last = null;
    while (true) {
      last = probe.observe();
      if (last != null && done.test(last)) {
        return last;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("timed out after " + limit.toSeconds() + " s waiting for "
            + what + "; last seen: " + last);
      }
      Thread.sleep(POLL.toMillis());
    }
  }

  /** Polls until the probe answers true. */
  static void until(String what, Duration limit, Probe<Boolean> probe) throws Exception {
    await(what, limit, probe, Boolean::booleanValue);
  }
}
