package io.meshcast.adapter.pipeline;

import java.util.Arrays;

/**
 * The last points of one series, oldest first, at most a fixed capacity. Immutable as seen by
 * readers: an instance is a view {@code [from, to)} of a buffer that is only ever written beyond
 * the end of every existing view, so a published snapshot never changes under a reader.
 *
 * <p>Appending is amortised O(1): the refresh appends to the newest view in place while the
 * buffer has room (the buffer holds {@code capacity + capacity/4} points), and copies the last
 * {@code capacity - 1} points into a fresh buffer when it is full or when an older view is
 * appended to (a fork). Memory is about 20 bytes per point (a {@code long} timestamp and a {@code
 * double} value, plus the 25 % headroom).
 */
public final class History {

  private static final History EMPTY = new History(new Buffer(0), 0, 0);

  /** Shared storage; {@code high} is the end of the longest view handed out. */
  private static final class Buffer {
    final long[] timestampsMillis;
    final double[] values;
    int high;

    Buffer(int size) {
      timestampsMillis = new long[size];
      values = new double[size];
    }
  }

  private final Buffer buf;
  private final int from;
  private final int to;

  private History(Buffer buf, int from, int to) {
    this.buf = buf;
    this.from = from;
    this.to = to;
  }

  public static History empty() {
    return EMPTY;
  }

  /** Builds a history from arrays (copied), keeping the last {@code capacity} points. */
  public static History of(long[] timestampsMillis, double[] values, int capacity) {
    int n = Math.min(values.length, capacity);
    Buffer b = new Buffer(bufferSize(capacity));
    System.arraycopy(timestampsMillis, values.length - n, b.timestampsMillis, 0, n);
    System.arraycopy(values, values.length - n, b.values, 0, n);
    b.high = n;
    return new History(b, 0, n);
  }

  /**
   * A history with one more point, dropping the oldest beyond {@code capacity}. A point not newer
   * than the last one is ignored (two refreshes inside one evaluation step).
   */
  public History append(long timestampMillis, double value, int capacity) {
    if (to > from && timestampMillis <= buf.timestampsMillis[to - 1]) {
      return this;
    }
    synchronized (buf) {
      if (buf.high == to && to < buf.values.length) {
        buf.timestampsMillis[to] = timestampMillis;
        buf.values[to] = value;
        buf.high = to + 1;
        return new History(buf, Math.max(from, to + 1 - capacity), to + 1);
      }
    }
    int keep = Math.min(to - from, capacity - 1);
    Buffer b = new Buffer(bufferSize(capacity));
    System.arraycopy(buf.timestampsMillis, to - keep, b.timestampsMillis, 0, keep);
    System.arraycopy(buf.values, to - keep, b.values, 0, keep);
    b.timestampsMillis[keep] = timestampMillis;
    b.values[keep] = value;
    b.high = keep + 1;
    return new History(b, 0, keep + 1);
  }

  private static int bufferSize(int capacity) {
    return Math.max(4, capacity + capacity / 4);
  }

  public int size() {
    return to - from;
  }

  public long timestampMillis(int i) {
    return buf.timestampsMillis[from + i];
  }

  public double value(int i) {
    return buf.values[from + i];
  }

  /** A copy of the values, oldest first. */
  public double[] values() {
    return Arrays.copyOfRange(buf.values, from, to);
  }

  /** A copy of the timestamps in epoch milliseconds, oldest first. */
  public long[] timestampsMillis() {
    return Arrays.copyOfRange(buf.timestampsMillis, from, to);
  }
}
