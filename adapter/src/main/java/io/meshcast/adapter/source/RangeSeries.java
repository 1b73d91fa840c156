package io.meshcast.adapter.source;

import java.util.Map;

/**
 * One series of a range-query result. {@code timestampsMillis[i]} pairs with {@code values[i]};
 * the arrays are owned by this record and must not be modified.
 */
public record RangeSeries(Map<String, String> labels, long[] timestampsMillis, double[] values) {

  public RangeSeries {
    labels = Map.copyOf(labels);
    if (timestampsMillis.length != values.length) {
      throw new IllegalArgumentException("timestamps and values differ in length");
    }
  }

  public int size() {
    return values.length;
  }
}
