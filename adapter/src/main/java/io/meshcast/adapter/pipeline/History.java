package io.meshcast.adapter.pipeline;

import java.util.Arrays;

/**
 * The last points of one series, oldest first, at most a fixed capacity. Immutable: {@link
 * #append} returns a new instance (copying at most {@code capacity} points), so a published
 * snapshot never changes under a reader.
 */
public final class History {

  private static final History EMPTY = new History(new long[0], new double[0]);

  private final long[] timestampsMillis;
  private final double[] values;

  private History(long[] timestampsMillis, double[] values) {
    this.timestampsMillis = timestampsMillis;
    this.values = values;
  }

  public static History empty() {
    return EMPTY;
  }

  /** Builds a history from arrays (copied), keeping the last {@code capacity} points. */
  public static History of(long[] timestampsMillis, double[] values, int capacity) {
    int n = Math.min(values.length, capacity);
    int from = values.length - n;
    return new History(Arrays.copyOfRange(timestampsMillis, from, from + n),
        Arrays.copyOfRange(values, from, from + n));
  }

  /**
   * A history with one more point, dropping the oldest beyond {@code capacity}. A point not newer
   * than the last one replaces nothing and is ignored (two refreshes inside one evaluation).
   */
  public History append(long timestampMillis, double value, int capacity) {
    int n = values.length;
    if (n > 0 && timestampMillis <= timestampsMillis[n - 1]) {
      return this;
    }
    int keep = Math.min(n, capacity - 1);
    long[] ts = new long[keep + 1];
    double[] vs = new double[keep + 1];
    System.arraycopy(timestampsMillis, n - keep, ts, 0, keep);
    System.arraycopy(values, n - keep, vs, 0, keep);
    ts[keep] = timestampMillis;
    vs[keep] = value;
    return new History(ts, vs);
  }

  public int size() {
    return values.length;
  }

  public long timestampMillis(int i) {
    return timestampsMillis[i];
  }

  public double value(int i) {
    return values[i];
  }

  /** A copy of the values, oldest first. */
  public double[] values() {
    return values.clone();
  }

  /** A copy of the timestamps in epoch milliseconds, oldest first. */
  public long[] timestampsMillis() {
    return timestampsMillis.clone();
  }
}
