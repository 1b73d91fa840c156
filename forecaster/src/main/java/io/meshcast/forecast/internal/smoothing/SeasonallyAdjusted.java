package io.meshcast.forecast.internal.smoothing;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * Forecasting with decomposition (FPP3 §5.7; Theodosiou 2011, "Forecasting monthly and quarterly
 * time series using STL decomposition", Int. J. Forecasting 27:1178–1195): a fixed seasonal
 * profile p[0..m) is removed, a non-seasonal model forecasts the adjusted series, and the profile
 * is added back:
 *
 * <pre>
 *   a(t)      = y(t) − p[t mod m]
 *   ŷ(t+h|t)  = â(t+h|t) + p[(t+h) mod m]
 * </pre>
 *
 * The profile is estimated once per refit ({@link #profile}) from many cycles and smoothed across
 * neighbouring phases, so it is far less noisy than Holt-Winters' per-phase recursion at fine
 * resolution (1,440 phases a day at one-minute steps), while the level adapts every point.
 * Parameters: those of the inner model.
 */
public final class SeasonallyAdjusted implements Model {
  private final Model inner;
  private final double[] profile;
  /** phase of the next observation: (index of the next observation) mod m */
  private int phase;

  public SeasonallyAdjusted(Model inner, double[] profile) {
    if (profile.length < 2) {
      throw new IllegalArgumentException("profile needs >= 2 phases, has " + profile.length);
    }
    this.inner = inner;
    this.profile = profile;
  }

  @Override
  public String name() {
    return inner.name() + "+profile(" + profile.length + ")";
  }

  @Override
  public void update(double y) {
    inner.update(Double.isNaN(y) ? y : y - profile[phase]);
    if (++phase == profile.length) {
      phase = 0;
    }
  }

  @Override
  public double forecast(int h) {
    int i = phase + h - 1;
    if (i >= profile.length) {
      i %= profile.length;
    }
    return inner.forecast(h) + profile[i];
  }

  @Override
  public Model copy() {
    final SeasonallyAdjusted c = new SeasonallyAdjusted(inner.copy(), profile);
    c.phase = phase;
    return c;
  }

  @Override
  public double[] parameters() {
    return inner.parameters();
  }

  /**
   * Seasonal profile of z[0, end) with period m, phase 0 at index 0: classical decomposition
   * (detrend by a centred moving average of length m, average the detrended values per phase),
   * then a circular moving average over 2·⌊m/96⌋ + 1 phases, then centred to mean 0.
   *
   * @return null if fewer than two full cycles are available
   */
  public static double[] profile(double[] z, int end, int m) {
    if (end < 2 * m || m < 2) {
      return null;
    }
    // centred moving average via prefix sums over non-missing values
    final double[] sum = new double[end + 1];
    final int[] cnt = new int[end + 1];
    for (int i = 0; i < end; i++) {
      final boolean ok = !Double.isNaN(z[i]);
      sum[i + 1] = sum[i] + (ok ? z[i] : 0);
      cnt[i + 1] = cnt[i] + (ok ? 1 : 0);
    }
    final int half = m / 2;
    final double[] acc = new double[m];
    final int[] num = new int[m];
    // the phase i % m is carried along instead of divided out (a refit computes this profile
    // for every seasonal candidate; same sums in the same order as before)
    for (int i = half, phase = half % m; i + (m - half) <= end; i++, phase = phase + 1 == m ? 0
        : phase + 1) {
      if (Double.isNaN(z[i])) {
        continue;
      }
      final int lo = i - half;
      final int hi = lo + m;
      final int c = cnt[hi] - cnt[lo];
      if (c < m / 2) {
        continue;
      }
      acc[phase] += z[i] - (sum[hi] - sum[lo]) / c;
      num[phase]++;
    }
    final double[] raw = new double[m];
    for (int j = 0; j < m; j++) {
      raw[j] = num[j] == 0 ? 0 : acc[j] / num[j];
    }
    final int w = m / 96;
    final double[] out = new double[m];
    double mean = 0;
    for (int j = 0; j < m; j++) {
      double s = 0;
      for (int k = -w; k <= w; k++) {
        final int at = j + k; // |k| <= m/96 < m: one wrap at most, no floorMod
        s += raw[at < 0 ? at + m : at >= m ? at - m : at];
      }
      out[j] = s / (2 * w + 1);
      mean += out[j];
    }
    mean /= m;
    for (int j = 0; j < m; j++) {
      out[j] -= mean;
    }
    return out;
  }

  @Override
  public void write(DataOutput out) throws IOException {
    out.writeByte(ModelCodec.ADJUSTED);
    out.writeInt(profile.length);
    ModelCodec.writeArray(out, profile);
    out.writeInt(phase);
    inner.write(out);
  }

  static SeasonallyAdjusted read(DataInput in) throws IOException {
    final double[] profile = new double[ModelCodec.readLength(in)];
    ModelCodec.readArray(in, profile);
    final int phase = Math.floorMod(in.readInt(), profile.length);
    final SeasonallyAdjusted m = new SeasonallyAdjusted(ModelCodec.read(in), profile);
    m.phase = phase;
    return m;
  }
}
