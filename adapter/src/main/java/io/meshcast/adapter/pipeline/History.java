package io.meshcast.adapter.pipeline;

/**
 * The last points of one series, oldest first, at most a fixed capacity. Immutable as seen by
 * readers: an instance is a view {@code [from, to)} of a buffer that is only ever written beyond
 * the end of every existing view, so a published snapshot never changes under a reader.
 *
 * <p>Appending is amortised O(1): the refresh appends to the newest view in place while the
 * buffer has room (the buffer holds {@code capacity + capacity/4} points), and copies the last
 * {@code capacity - 1} points into a fresh buffer when it is full or when an older view is
 * appended to (a fork).
 *
 * <p><b>Storage.</b> Values are kept as {@code float} (7 significant digits: the history feeds
 * plots and model bootstraps, whose inputs are rates and quantiles measured to far less) and
 * timestamps as {@code int} milliseconds after the buffer's first point (24.8 days of span; a point
 * further away starts a fresh buffer with the points still in range). Memory is about 10 bytes per
 * point (4 + 4, plus the 25 % headroom), half of {@code long} + {@code double}; issue 14 sized the
 * adapter by it (docs/install.md).
 */
public final class History {

  private static final History EMPTY = new History(new Buffer(0, 0), 0, 0);

  /** Shared storage; {@code high} is the end of the longest view handed out. */
  private static final class Buffer {
    /** Epoch milliseconds of offset 0. */
    final long base;
    final int[] offsets;
    final float[] values;
    int high;

    Buffer(int size, long base) {
      this.base = base;
      offsets = new int[size];
      values = new float[size];
    }

    long timestamp(int i) {
      return base + offsets[i];
    }

    /** Whether {@code t} can be stored relative to {@link #base}. */
    boolean fits(long t) {
      long d = t - base;
      return d >= 0 && d <= Integer.MAX_VALUE;
    }

    void put(int i, long t, double v) {
      offsets[i] = (int) (t - base);
      values[i] = (float) v;
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
    int first = values.length - n;
    long last = n == 0 ? 0 : timestampsMillis[values.length - 1];
    // Drop leading points too far before the last to be stored as offsets (weeks-long gaps).
    while (first < values.length && last - timestampsMillis[first] > Integer.MAX_VALUE) {
      first++;
    }
    n = values.length - first;
    Buffer b = new Buffer(bufferSize(capacity), n == 0 ? 0 : timestampsMillis[first]);
    for (int i = 0; i < n; i++) {
      b.put(i, timestampsMillis[first + i], values[first + i]);
    }
    b.high = n;
    return new History(b, 0, n);
  }

  /**
   * A history with one more point, dropping the oldest beyond {@code capacity}. A point not newer
   * than the last one is ignored (two refreshes inside one evaluation step).
   */
  public History append(long timestampMillis, double value, int capacity) {
    if (to > from && timestampMillis <= buf.timestamp(to - 1)) {
      return this;
    }
    synchronized (buf) {
      if (buf.high == to && to < buf.values.length && buf.fits(timestampMillis)) {
        buf.put(to, timestampMillis, value);
        buf.high = to + 1;
        return new History(buf, Math.max(from, to + 1 - capacity), to + 1);
      }
    }
    int keep = Math.min(to - from, capacity - 1);
    while (keep > 0 && timestampMillis - buf.timestamp(to - keep) > Integer.MAX_VALUE) {
      keep--;
    }
    Buffer b = new Buffer(bufferSize(capacity),
        keep == 0 ? timestampMillis : buf.timestamp(to - keep));
    for (int i = 0; i < keep; i++) {
      b.put(i, buf.timestamp(to - keep + i), buf.values[to - keep + i]);
    }
    b.put(keep, timestampMillis, value);
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
    return buf.timestamp(from + i);
  }

  public double value(int i) {
    return buf.values[from + i];
  }

  /** A copy of the values, oldest first. */
  public double[] values() {
    double[] out = new double[to - from];
    for (int i = 0; i < out.length; i++) {
      out[i] = buf.values[from + i];
    }
    return out;
  }

  /** A copy of the timestamps in epoch milliseconds, oldest first. */
  public long[] timestampsMillis() {
    long[] out = new long[to - from];
    for (int i = 0; i < out.length; i++) {
      out[i] = buf.timestamp(from + i);
    }
    return out;
  }
}
