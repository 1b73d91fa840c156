package io.meshcast.forecast.internal.series;

/**
 * Fixed-capacity FIFO of doubles: adding to a full buffer overwrites the oldest value. O(1) add
 * and indexed read, no allocation after construction. Not thread-safe; callers synchronise.
 */
public final class DoubleRingBuffer {
  private final double[] values;
  /** index of the next write */
  private int head;
  private int size;

  public DoubleRingBuffer(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be >= 1, was " + capacity);
    }
    values = new double[capacity];
  }

  public void add(double v) {
    values[head] = v;
    head = head + 1 == values.length ? 0 : head + 1;
    if (size < values.length) {
      size++;
    }
  }

  public int size() {
    return size;
  }

  public int capacity() {
    return values.length;
  }

  /** The {@code i}-th oldest value held, 0 = oldest. */
  public double get(int i) {
    if (i < 0 || i >= size) {
      throw new IndexOutOfBoundsException("index " + i + " outside [0, " + size + ")");
    }
    int j = head - size + i;
    if (j < 0) {
      j += values.length;
    }
    return values[j];
  }

  /** The value {@code back} places before the newest (0 = newest); NaN if not held. */
  public double fromEnd(int back) {
    if (back < 0 || back >= size) {
      return Double.NaN;
    }
    int j = head - 1 - back;
    if (j < 0) {
      j += values.length;
    }
    return values[j];
  }

  /** Copy of the held values, oldest first. */
  public double[] toArray() {
    final double[] out = new double[size];
    for (int i = 0; i < size; i++) {
      out[i] = get(i);
    }
    return out;
  }
}
