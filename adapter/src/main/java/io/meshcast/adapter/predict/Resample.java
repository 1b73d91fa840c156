package io.meshcast.adapter.predict;

import java.util.Arrays;

/**
 * Puts a range-query result on the model's regular grid. The grid ends at the last sample and
 * steps back by {@code step}; each grid point is linearly interpolated between the two samples
 * around it, unless they are more than three of their usual spacings apart (a gap), in which case
 * it is NaN (a missing point for the forecaster). When the query step equals the model step this
 * returns the samples unchanged.
 */
final class Resample {

  private Resample() {}

  /** The grid values, oldest first, at most {@code capacity} of them. */
  static double[] onGrid(long[] t, double[] v, long step, int capacity) {
    int n = t.length;
    if (n == 0) {
      return new double[0];
    }
    long span = t[n - 1] - t[0];
    int len = (int) Math.min(capacity, span / step + 1);
    double[] out = new double[len];
    double usual = n > 1 ? median(t) : step;
    int j = n - 1;
    for (int k = len - 1; k >= 0; k--) {
      long at = t[n - 1] - (long) (len - 1 - k) * step;
      while (j > 0 && t[j - 1] >= at) {
        j--;
      }
      // t[j] >= at > t[j-1] (or at == t[j])
      if (t[j] == at || j == 0) {
        out[k] = t[j] == at ? clean(v[j]) : Double.NaN;
        continue;
      }
      long t0 = t[j - 1];
      long t1 = t[j];
      if (t1 - t0 > 3 * usual) {
        out[k] = Double.NaN;
        continue;
      }
      double w = (double) (at - t0) / (t1 - t0);
      out[k] = clean(v[j - 1]) * (1 - w) + clean(v[j]) * w;
    }
    return out;
  }

  /** Timestamp of the first grid point for a grid of {@code len} points. */
  static long gridStart(long[] t, long step, int len) {
    return t[t.length - 1] - (long) (len - 1) * step;
  }

  private static double clean(double x) {
    return Double.isInfinite(x) ? Double.NaN : x;
  }

  private static double median(long[] t) {
    long[] d = new long[t.length - 1];
    for (int i = 1; i < t.length; i++) {
      d[i - 1] = t[i] - t[i - 1];
    }
    Arrays.sort(d);
    return d[d.length / 2];
  }
}
