package io.meshcast.adapter.provider;

import java.time.Instant;
import java.util.Objects;

/**
 * A provider's answer and the last instant at which the same request, against the same {@link
 * AnswerGeneration}, is certain to get the same answer: the earliest instant at which a
 * staleness policy would decide differently for any value in it. The HTTP layer may serve the
 * answer's bytes again until then ({@code !now.isAfter(reusableUntil)}), never after.
 *
 * <p>{@link #once} marks an answer that must not be reused: it involved a policy decision with a
 * side effect (a fallback, an object left out, a counted decision) or depends on the clock itself
 * (a fallback's timestamp).
 *
 * @param value the answer
 * @param reusableUntil the last instant of reuse; {@link Instant#MIN} when not reusable
 */
public record Answer<T>(T value, Instant reusableUntil) {

  public Answer {
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(reusableUntil, "reusableUntil");
  }

  /** An answer that must be computed again for every request. */
  public static <T> Answer<T> once(T value) {
    return new Answer<>(value, Instant.MIN);
  }

  /** Whether the answer may be served again at {@code now}. */
  public boolean reusableAt(Instant now) {
    return !now.isAfter(reusableUntil);
  }
}
