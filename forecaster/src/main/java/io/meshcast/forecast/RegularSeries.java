package io.meshcast.forecast;

import java.util.Arrays;

/**
 * Immutable regular-interval series: {@code values[i]} is the value at {@code startEpochMillis +
 * i * stepMillis}. NaN marks a missing point; infinities are rejected.
 */
public record RegularSeries(long startEpochMillis, long stepMillis, double[] values) {

  public RegularSeries {
    if (stepMillis <= 0) {
      throw new IllegalArgumentException("stepMillis must be > 0, was " + stepMillis);
    }
    values = values.clone();
    for (int i = 0; i < values.length; i++) {
      if (Double.isInfinite(values[i])) {
        throw new IllegalArgumentException("value at index " + i + " is infinite");
      }
    }
  }

  @Override
  public double[] values() {
    return values.clone();
  }

  public int size() {
    return values.length;
  }

  public double get(int i) {
    return values[i];
  }

  public long timestampAt(int i) {
    return startEpochMillis + i * stepMillis;
  }

  /** Points {@code [from, to)} as a new series. */
  public RegularSeries slice(int from, int to) {
    return new RegularSeries(timestampAt(from), stepMillis, Arrays.copyOfRange(values, from, to));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RegularSeries r && r.startEpochMillis == startEpochMillis
        && r.stepMillis == stepMillis && Arrays.equals(r.values, values);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(startEpochMillis) * 31 + Arrays.hashCode(values);
  }

  @Override
  public String toString() {
    return "RegularSeries[start=" + startEpochMillis + ", step=" + stepMillis + ", n="
        + values.length + "]";
  }
}
