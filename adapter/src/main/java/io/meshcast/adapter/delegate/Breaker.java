package io.meshcast.adapter.delegate;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * A circuit breaker: {@code failureThreshold} consecutive failures open it; while open, calls are
 * refused at once; after {@code openFor} one trial call is let through (half-open), whose success
 * closes it and whose failure opens it again. Thread-safe (synchronized; calls are cheap).
 */
final class Breaker {

  enum State { CLOSED, OPEN, HALF_OPEN }

  private final Clock clock;
  private final int threshold;
  private final Duration openFor;
  private State state = State.CLOSED;
  private int failures;
  private Instant openedAt = Instant.EPOCH;
  private boolean trialInFlight;

  Breaker(Clock clock, int threshold, Duration openFor) {
    this.clock = clock;
    this.threshold = threshold;
    this.openFor = openFor;
  }

  /** Whether a call may go out now; in half-open state only one trial at a time. */
  synchronized boolean tryAcquire() {
    if (state == State.OPEN && !clock.instant().isBefore(openedAt.plus(openFor))) {
      state = State.HALF_OPEN;
      trialInFlight = false;
    }
    return switch (state) {
      case CLOSED -> true;
      case OPEN -> false;
      case HALF_OPEN -> {
        if (trialInFlight) {
          yield false;
        }
        trialInFlight = true;
        yield true;
      }
    };
  }

  synchronized void onSuccess() {
    state = State.CLOSED;
    failures = 0;
    trialInFlight = false;
  }

  synchronized void onFailure() {
    failures++;
    trialInFlight = false;
    if (state == State.HALF_OPEN || failures >= threshold) {
      state = State.OPEN;
      openedAt = clock.instant();
    }
  }

  synchronized State state() {
    if (state == State.OPEN && !clock.instant().isBefore(openedAt.plus(openFor))) {
      return State.HALF_OPEN;
    }
    return state;
  }

  /** When an open breaker lets the next trial through. */
  synchronized Instant retryAt() {
    return openedAt.plus(openFor);
  }

  synchronized int failures() {
    return failures;
  }
}
