package io.meshcast.forecast.internal.fit;

import java.util.ArrayList;
import java.util.List;
import org.apache.commons.math3.complex.Complex;
import org.apache.commons.math3.transform.DftNormalization;
import org.apache.commons.math3.transform.FastFourierTransformer;
import org.apache.commons.math3.transform.TransformType;

/**
 * Finds seasonal periods from the sample autocorrelation function (ACF), computed via the FFT
 * (Wiener–Khinchin: ACF = IFFT(|FFT(x − x̄)|²), O(n log n); Box &amp; Jenkins, Time Series
 * Analysis, §2.1).
 *
 * <p>A lag m is a seasonal period when at least two cycles are present (n ≥ 2m), r(m) ≥ {@value
 * #MIN_ACF} and r(m) ≥ r(⌊m/2⌋) + {@value #MIN_CONTRAST}: a trend or a random walk makes the ACF
 * decay smoothly (r(m) &lt; r(m/2)), a cycle makes it peak again at m. Calendar periods (a day
 * and a week of steps) are tested first; otherwise the highest ACF peak in [3, n/2] is tested
 * with a stricter r(m) ≥ 0.5. At most two periods are returned, ascending.
 */
final class SeasonalityDetector {
  static final double MIN_ACF = 0.2;
  static final double MIN_CONTRAST = 0.1;
  private static final long DAY_MILLIS = 86_400_000L;

  private SeasonalityDetector() {}

  /** Periods (in steps) found in {@code x} (NaN = missing, replaced by the mean). */
  public static List<Integer> detect(double[] x, long stepMillis) {
    final int n = x.length;
    final List<Integer> out = new ArrayList<>();
    if (n < 8) {
      return out;
    }
    // The calendar lags need r(m) and r(m/2) only: computed directly, O(n) per lag, instead of
    // the whole ACF by FFT (a fixed cost per refit that mattered at 10,000 series).
    final Lags lags = Lags.of(x);
    if (lags == null) {
      return out;
    }
    for (long span : new long[] {DAY_MILLIS, 7 * DAY_MILLIS}) {
      if (span % stepMillis != 0) {
        continue; // a cycle that does not fall on the grid cannot be a fixed seasonal phase
      }
      final long m = span / stepMillis;
      if (m >= 2 && 2 * m <= n && m < n
          && isPeak(lags.r((int) m), lags.r((int) m / 2), MIN_ACF)) {
        out.add((int) m);
      }
    }
    if (!out.isEmpty()) {
      return out;
    }
    final double[] acf = acf(x);
    if (acf == null) {
      return out;
    }
    if (out.isEmpty()) {
      int best = -1;
      for (int m = 3; m <= n / 2 && m < acf.length - 1; m++) {
        if (acf[m] > acf[m - 1] && acf[m] >= acf[m + 1] && (best < 0 || acf[m] > acf[best])) {
          best = m;
        }
      }
      if (best > 0 && isPeak(acf, best, 0.5)) {
        out.add(best);
      }
    }
    return out;
  }

  private static boolean isPeak(double[] acf, int m, double min) {
    return m < acf.length && isPeak(acf[m], acf[m / 2], min);
  }

  private static boolean isPeak(double rm, double rHalf, double min) {
    return rm >= min && rm >= rHalf + MIN_CONTRAST;
  }

  /** The series centred on its mean (NaN as 0) and its lag-0 sum, for single-lag ACF values. */
  private record Lags(double[] d, double c0) {
    static Lags of(double[] x) {
      final double[] d = centred(x);
      if (d == null) {
        return null;
      }
      double c0 = 0;
      for (double v : d) {
        c0 += v * v;
      }
      return c0 > 1e-12 * x.length ? new Lags(d, c0) : null;
    }

    /** r(k), the same biased estimator as {@link #acf}. */
    double r(int k) {
      double s = 0;
      for (int i = 0; i + k < d.length; i++) {
        s += d[i] * d[i + k];
      }
      return s / c0;
    }
  }

  /** x minus its mean, NaN as 0; null with fewer than two values. */
  private static double[] centred(double[] x) {
    double mean = 0;
    int count = 0;
    for (double v : x) {
      if (!Double.isNaN(v)) {
        mean += v;
        count++;
      }
    }
    if (count < 2) {
      return null;
    }
    mean /= count;
    final double[] d = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      d[i] = Double.isNaN(x[i]) ? 0 : x[i] - mean;
    }
    return d;
  }

  /** Sample ACF r(0..n-1), biased estimator (divides by n); null for a constant series. */
  static double[] acf(double[] x) {
    final int n = x.length;
    final double[] d = centred(x);
    if (d == null) {
      return null;
    }
    int size = 1;
    while (size < 2 * n) {
      size <<= 1;
    }
    final double[] re = java.util.Arrays.copyOf(d, size);
    final double[] im = new double[size];
    final FastFourierTransformer fft = new FastFourierTransformer(DftNormalization.STANDARD);
    final double[][] data = {re, im};
    FastFourierTransformer.transformInPlace(data, DftNormalization.STANDARD, TransformType.FORWARD);
    for (int i = 0; i < size; i++) {
      re[i] = re[i] * re[i] + im[i] * im[i];
      im[i] = 0;
    }
    final Complex[] back = fft.transform(re, TransformType.INVERSE);
    final double c0 = back[0].getReal();
    if (!(c0 > 1e-12 * n)) {
      return null;
    }
    final double[] r = new double[n];
    for (int k = 0; k < n; k++) {
      r[k] = back[k].getReal() / c0;
    }
    return r;
  }
}
