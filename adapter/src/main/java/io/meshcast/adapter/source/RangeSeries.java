package io.meshcast.adapter.source;

import java.util.List;
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

  /** Series of two consecutive slices, joined by labels (a series in one slice only is kept). */
  public static List<RangeSeries> joined(List<RangeSeries> first, List<RangeSeries> second) {
    Map<Map<String, String>, RangeSeries> out = new java.util.LinkedHashMap<>();
    for (RangeSeries r : first) {
      out.put(r.labels(), r);
    }
    for (RangeSeries r : second) {
      out.merge(r.labels(), r, (a, b) -> {
        long[] t = java.util.Arrays.copyOf(a.timestampsMillis(), a.size() + b.size());
        double[] v = java.util.Arrays.copyOf(a.values(), a.size() + b.size());
        System.arraycopy(b.timestampsMillis(), 0, t, a.size(), b.size());
        System.arraycopy(b.values(), 0, v, a.size(), b.size());
        return new RangeSeries(a.labels(), t, v);
      });
    }
    return new java.util.ArrayList<>(out.values());
  }
}
