package io.meshcast.forecast.series;

import java.util.Objects;

/**
 * Puts irregular samples onto a regular grid.
 *
 * <p>Sample {@code (t, v)} belongs to bucket {@code floor((t - start) / step)}. Samples before
 * {@code start} or at/after the end are ignored. Empty buckets follow the {@link EmptyBucket}
 * policy; there is no default, the caller decides explicitly.
 */
public final class Resampler {
  private Resampler() {}

  /** How the samples in one bucket become its value. */
  public enum Aggregation {
    MEAN,
    SUM,
    LAST,
    MAX
  }

  /** What an empty bucket becomes. */
  public enum EmptyBucket {
    /** NaN: a missing point, handled downstream by the gap policy. */
    MISSING,
    /** the previous bucket's value (NaN if there is none) */
    CARRY_FORWARD,
    /** linear interpolation between the neighbouring non-empty buckets (NaN at the ends) */
    INTERPOLATE,
    /** 0, for counters where "no samples" really means "no events" */
    ZERO
  }

  /**
   * Resamples {@code (timestamps[i], values[i])} (any order; NaN values ignored) onto {@code
   * buckets} steps from {@code start}.
   */
  public static RegularSeries resample(long[] timestamps, double[] values, long start,
      long stepMillis, int buckets, Aggregation aggregation, EmptyBucket empty) {
    Objects.requireNonNull(aggregation, "aggregation");
    Objects.requireNonNull(empty, "empty");
    if (timestamps.length != values.length) {
      throw new IllegalArgumentException("timestamps and values differ in length: "
          + timestamps.length + " vs " + values.length);
    }
    if (stepMillis <= 0 || buckets < 0) {
      throw new IllegalArgumentException("need stepMillis > 0 and buckets >= 0");
    }
    final double[] acc = new double[buckets];
    final int[] count = new int[buckets];
    final long[] lastT = new long[buckets];
    for (int i = 0; i < timestamps.length; i++) {
      final double v = values[i];
      if (Double.isNaN(v) || timestamps[i] < start) {
        continue;
      }
      final long b = (timestamps[i] - start) / stepMillis;
      if (b >= buckets) {
        continue;
      }
      final int k = (int) b;
      switch (aggregation) {
        case MEAN, SUM -> acc[k] += v;
        case MAX -> acc[k] = count[k] == 0 ? v : Math.max(acc[k], v);
        case LAST -> {
          if (count[k] == 0 || timestamps[i] >= lastT[k]) {
            acc[k] = v;
            lastT[k] = timestamps[i];
          }
        }
      }
      count[k]++;
    }
    final double[] out = new double[buckets];
    for (int k = 0; k < buckets; k++) {
      out[k] = count[k] == 0 ? Double.NaN
          : aggregation == Aggregation.MEAN ? acc[k] / count[k] : acc[k];
    }
    fill(out, empty);
    return new RegularSeries(start, stepMillis, out);
  }

  private static void fill(double[] x, EmptyBucket empty) {
    switch (empty) {
      case MISSING -> { }
      case ZERO -> {
        for (int i = 0; i < x.length; i++) {
          if (Double.isNaN(x[i])) {
            x[i] = 0;
          }
        }
      }
      case CARRY_FORWARD -> {
        for (int i = 1; i < x.length; i++) {
          if (Double.isNaN(x[i])) {
            x[i] = x[i - 1];
          }
        }
      }
      case INTERPOLATE -> {
        int prev = -1;
        for (int i = 0; i < x.length; i++) {
          if (!Double.isNaN(x[i])) {
            if (prev >= 0 && i - prev > 1) {
              for (int j = prev + 1; j < i; j++) {
                x[j] = x[prev] + (x[i] - x[prev]) * (j - prev) / (i - prev);
              }
            }
            prev = i;
          }
        }
      }
    }
  }
}
