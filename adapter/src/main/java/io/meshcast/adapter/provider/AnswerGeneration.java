package io.meshcast.adapter.provider;

import java.lang.ref.WeakReference;

/**
 * Identifies everything a provider's answers depend on besides the request and the clock (the
 * published snapshot, the serving state, the cluster view's contents, a bootstrap state…). Two
 * generations are equal when every part is the <em>same object</em> (identity, not {@code
 * equals}: a snapshot is immutable and replaced, never modified, and comparing its contents
 * would cost what reuse saves). Immutable and thread-safe.
 *
 * <p>A cache that keeps a generation keeps its {@link #weakly()} form, which does not hold the
 * parts alive: a cache must never keep a replaced snapshot in memory (at 100k series that is
 * hundreds of MiB). A part that has been collected equals nothing, which is right: it cannot be
 * current any more.
 */
public final class AnswerGeneration {

  private final Object[] parts;

  private AnswerGeneration(Object[] parts) {
    this.parts = parts;
  }

  /**
   * A generation made of {@code parts}, compared by identity (nested generations by {@link
   * #equals}); {@code null} (answers are not reusable) when any part is null.
   */
  public static AnswerGeneration of(Object... parts) {
    for (Object p : parts) {
      if (p == null) {
        return null;
      }
    }
    return new AnswerGeneration(parts.clone());
  }

  /** The same generation holding its parts weakly, for keeping in a cache. */
  public AnswerGeneration weakly() {
    Object[] w = new Object[parts.length];
    for (int i = 0; i < parts.length; i++) {
      Object p = parts[i];
      w[i] = p instanceof AnswerGeneration g ? g.weakly()
          : p instanceof Weak ? p : new Weak(p);
    }
    return new AnswerGeneration(w);
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
      if (a instanceof AnswerGeneration x) {
        if (!x.equals(b)) {
          return false;
        }
      } else {
        Object da = a instanceof Weak w ? w.get() : a;
        Object db = b instanceof Weak w ? w.get() : b;
        if (da == null || da != db) {
          return false;
        }
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    return parts.length; // identity of collected parts is unknown; generations are not keys
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("AnswerGeneration[");
    for (Object p : parts) {
      Object d = p instanceof Weak w ? w.get() : p;
      b.append(d == null ? "collected" : d.getClass().getSimpleName() + "@"
          + Integer.toHexString(System.identityHashCode(d))).append(' ');
    }
    return b.append(']').toString();
  }

  /** A part held weakly. */
  private static final class Weak extends WeakReference<Object> {
    Weak(Object referent) {
      super(referent);
    }
  }
}
