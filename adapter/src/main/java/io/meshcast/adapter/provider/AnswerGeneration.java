package io.meshcast.adapter.provider;

import java.util.Arrays;

/**
 * Identifies everything a provider's answers depend on besides the request and the clock (the
 * published snapshot, the serving state, the cluster view's contents, a bootstrap state…). Two
 * generations are equal when every part is the <em>same object</em> (identity, not {@code
 * equals}: a snapshot is immutable and replaced, never modified, and comparing its contents
 * would cost what reuse saves). Immutable and thread-safe.
 */
public final class AnswerGeneration {

  private final Object[] parts;

  private AnswerGeneration(Object[] parts) {
    this.parts = parts;
  }

  /**
   * A generation made of {@code parts}, compared by identity; {@code null} (answers are not
   * reusable) when any part is null.
   */
  public static AnswerGeneration of(Object... parts) {
    for (Object p : parts) {
      if (p == null) {
        return null;
      }
    }
    return new AnswerGeneration(parts.clone());
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof AnswerGeneration g) || g.parts.length != parts.length) {
      return false;
    }
    for (int i = 0; i < parts.length; i++) {
      Object a = parts[i];
      Object b = g.parts[i];
      if (a != b && !(a instanceof AnswerGeneration x && x.equals(b))) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    int h = 1;
    for (Object p : parts) {
      h = 31 * h + (p instanceof AnswerGeneration ? p.hashCode() : System.identityHashCode(p));
    }
    return h;
  }

  @Override
  public String toString() {
    return "AnswerGeneration" + Arrays.toString(
        Arrays.stream(parts).map(p -> p.getClass().getSimpleName() + "@"
            + Integer.toHexString(System.identityHashCode(p))).toArray());
  }
}
