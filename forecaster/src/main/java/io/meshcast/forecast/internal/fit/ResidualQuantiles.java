package io.meshcast.forecast.internal.fit;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;

/**
 * Empirical quantiles of out-of-sample h-step forecast residuals {@code e = T(y) − T(ŷ)} (T the
 * interval transform), per horizon h = 1..H, on a fixed grid of probabilities; any probability in
 * [0.01, 0.99] is interpolated linearly between grid points. A prediction interval is then
 * {@code T⁻¹(T(ŷ) + q_h(p))}: distribution-free and calibrated per series and horizon (the
 * "empirical prediction intervals" of Williams &amp; Goodman 1971, Technometrics 13:869–881).
 *
 * <p>Horizons beyond H (or rows with fewer than {@link #MIN_SAMPLES} residuals) reuse the last
 * well-estimated row scaled by √(h / h_last), the random-walk growth rate. Immutable.
 */
public final class ResidualQuantiles {
  /** probability grid the table is stored on */
  static final double[] GRID = {
    0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.975, 0.99
  };
  /** fewer residuals than this at a horizon and the row is extrapolated instead */
  static final int MIN_SAMPLES = 10;

  /** table[h-1][j] = quantile GRID[j] of h-step residuals; rows up to lastGood are estimated */
  private final double[][] table;
  private final int lastGood;

  private ResidualQuantiles(double[][] table, int lastGood) {
    this.table = table;
    this.lastGood = lastGood;
  }

  /**
   * Builds the table from residual samples per horizon ({@code residuals[h-1]}, only the first
   * {@code counts[h-1]} entries are used; the arrays are reordered in place).
   *
   * @return null if even horizon 1 has fewer than {@link #MIN_SAMPLES} residuals
   */
  public static ResidualQuantiles of(double[][] residuals, int[] counts) {
    final int horizons = residuals.length;
    final double[][] table = new double[horizons][GRID.length];
    int lastGood = -1;
    for (int h = 0; h < horizons; h++) {
      if (counts[h] >= MIN_SAMPLES) {
        orderStatistics(residuals[h], counts[h]);
        for (int j = 0; j < GRID.length; j++) {
          table[h][j] = quantileSorted(residuals[h], counts[h], GRID[j]);
        }
        lastGood = h;
      } else {
        break;
      }
    }
    if (lastGood < 0) {
      return null;
    }
    return new ResidualQuantiles(table, lastGood);
  }

  /**
   * Puts the order statistics that {@link #quantileSorted} reads for the {@link #GRID} at their
   * sorted positions (a multi-select: O(n log |GRID|) instead of a full sort's O(n log n); a
   * refit builds one table row per horizon, and sorting them was a quarter of its cost).
   */
  static void orderStatistics(double[] a, int n) {
    for (int i = 0; i < n; i++) {
      if (Double.isNaN(a[i])) {
        Arrays.sort(a, 0, n); // NaN has no order under <; keep sort's NaN-last convention
        return;
      }
    }
    final int[] ks = new int[2 * GRID.length];
    for (int j = 0; j < GRID.length; j++) {
      final int lo = (int) Math.floor(GRID[j] * (n - 1));
      ks[2 * j] = lo;
      ks[2 * j + 1] = Math.min(lo + 1, n - 1);
    }
    Arrays.sort(ks);
    select(a, 0, n - 1, ks, 0, ks.length - 1);
  }

  /** Places a[k] for every k in ks[kLo..kHi] (ascending, all within [lo, hi]). */
  private static void select(double[] a, int lo, int hi, int[] ks, int kLo, int kHi) {
    while (lo < hi && kLo <= kHi) {
      if (hi - lo < 24) {
        Arrays.sort(a, lo, hi + 1);
        return;
      }
      // three-way partition around the median of three (Bentley & McIlroy 1993)
      final int mid = (lo + hi) >>> 1;
      final double pivot = median(a[lo], a[mid], a[hi]);
      int lt = lo;
      int gt = hi;
      int i = lo;
      while (i <= gt) {
        final double v = a[i];
        if (v < pivot) {
          a[i++] = a[lt];
          a[lt++] = v;
        } else if (v > pivot) {
          a[i] = a[gt];
          a[gt--] = v;
        } else {
          i++;
        }
      }
      // a[lo..lt-1] < pivot, a[lt..gt] == pivot, a[gt+1..hi] > pivot
      int split = kLo;
      while (split <= kHi && ks[split] < lt) {
        split++;
      }
      int right = split;
      while (right <= kHi && ks[right] <= gt) {
        right++;
      }
      if (split - kLo < kHi - right + 1) {
        select(a, lo, lt - 1, ks, kLo, split - 1);
        lo = gt + 1;
        kLo = right;
      } else {
        select(a, gt + 1, hi, ks, right, kHi);
        hi = lt - 1;
        kHi = split - 1;
      }
    }
  }

  private static double median(double a, double b, double c) {
    return a < b ? (b < c ? b : Math.max(a, c)) : (a < c ? a : Math.max(b, c));
  }

  /** Type-7 (linear interpolation) sample quantile of the first {@code n} sorted values. */
  static double quantileSorted(double[] sorted, int n, double p) {
    final double pos = p * (n - 1);
    final int lo = (int) Math.floor(pos);
    final int hi = Math.min(lo + 1, n - 1);
    return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
  }

  /** Horizons with directly estimated rows. */
  public int estimatedHorizons() {
    return lastGood + 1;
  }

  /**
   * Quantile {@code p} of the h-step residual.
   *
   * @param p clamped to [0.01, 0.99]
   */
  public double quantile(int h, double p) {
    final double q = Math.max(GRID[0], Math.min(GRID[GRID.length - 1], p));
    int j = 0;
    while (j < GRID.length - 2 && GRID[j + 1] < q) {
      j++;
    }
    final double w = (q - GRID[j]) / (GRID[j + 1] - GRID[j]);
    final int row = Math.min(h, lastGood + 1) - 1;
    final double v = table[row][j] + w * (table[row][j + 1] - table[row][j]);
    return h - 1 <= lastGood ? v : v * Math.sqrt((double) h / (lastGood + 1));
  }

  /** Writes the table (horizons, then the estimated rows), for {@link #read}. */
  public void write(DataOutput out) throws IOException {
    out.writeInt(table.length);
    out.writeInt(lastGood);
    for (int h = 0; h <= lastGood; h++) {
      for (double v : table[h]) {
        out.writeDouble(v);
      }
    }
  }

  /** Reads a table {@link #write} wrote. */
  public static ResidualQuantiles read(DataInput in) throws IOException {
    final int horizons = in.readInt();
    final int lastGood = in.readInt();
    if (horizons < 1 || horizons > 100_000 || lastGood < 0 || lastGood >= horizons) {
      throw new IOException("invalid quantile table: " + horizons + " horizons, " + lastGood);
    }
    final double[][] table = new double[horizons][GRID.length];
    for (int h = 0; h <= lastGood; h++) {
      for (int j = 0; j < GRID.length; j++) {
        table[h][j] = in.readDouble();
      }
    }
    return new ResidualQuantiles(table, lastGood);
  }
}
