package io.meshcast.forecast.internal.smoothing;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * Additive Holt-Winters with damped trend and one or two seasonal cycles: ETS(A,Ad,A) (FPP3 §8.3)
 * generalised to two seasonalities as in Taylor's double seasonal exponential smoothing (Taylor,
 * J.W. 2003, "Short-term electricity demand forecasting using double seasonal exponential
 * smoothing", J. Oper. Res. Soc. 54:799–805). With seasonal periods m₁ &lt; m₂ (e.g. a day and
 * a week of steps) and S(t) = s₁(t−m₁) + s₂(t−m₂):
 *
 * <pre>
 *   level(t)  = α·(y(t) − S(t)) + (1 − α)·(level(t−1) + φ·trend(t−1))
 *   trend(t)  = β·(level(t) − level(t−1)) + (1 − β)·φ·trend(t−1)
 *   s₁(t)     = γ₁·(y(t) − level(t) − s₂(t−m₂)) + (1 − γ₁)·s₁(t−m₁)
 *   s₂(t)     = γ₂·(y(t) − level(t) − s₁(t−m₁)) + (1 − γ₂)·s₂(t−m₂)
 *   ŷ(t+h|t)  = level(t) + (φ + … + φ^h)·trend(t) + s₁(t+h−m₁k₁) + s₂(t+h−m₂k₂),
 *               kᵢ = ⌊(h−1)/mᵢ⌋ + 1
 * </pre>
 *
 * With one period the s₂ terms vanish; with β = 0 (and trend initialised to 0) the model has no
 * trend, ETS(A,N,A). Fitting on log1p(y) makes the seasonality multiplicative in y.
 *
 * <p>Initialisation from the first M = max(mᵢ) observations (a one-pass decomposition): level =
 * their mean; s₁[j] = mean of (y − level) over phase j of m₁; s₂[i] = y(i) − level − s₁[i mod m₁].
 * A pure seasonal series is then reproduced exactly. Parameters: {@code [α, β, φ, γ₁(, γ₂)]}.
 * Memory: m₁ + m₂ doubles.
 */
public final class HoltWinters implements Model {
  private final double alpha;
  private final double beta;
  private final double phi;
  private final int[] periods;
  private final double[] gammas;
  /** seasonal state; component k at phase τ mod m_k */
  private final double[][] season;
  private double level;
  private double trend;
  /** phases of the next observation per component: (its index) mod m_k, kept as ints */
  private int phase1;
  private int phase2;

  /**
   * @param initial at least max(periods) observations used to initialise the state, which is
   *     then positioned BEFORE initial[0]: the caller updates with the series from its start
   */
  public HoltWinters(double alpha, double beta, double phi, int[] periods, double[] gammas,
      double[] initial) {
    if (periods.length < 1 || periods.length > 2 || gammas.length != periods.length) {
      throw new IllegalArgumentException("need 1 or 2 periods with one gamma each");
    }
    if (!(alpha > 0 && alpha <= 1) || !(beta >= 0 && beta <= 1) || !(phi > 0 && phi <= 1)) {
      throw new IllegalArgumentException("need alpha in (0,1], beta in [0,1], phi in (0,1]");
    }
    for (int k = 0; k < periods.length; k++) {
      if (periods[k] < 2 || !(gammas[k] >= 0 && gammas[k] <= 1)) {
        throw new IllegalArgumentException("need periods >= 2 and gammas in [0,1]");
      }
    }
    this.alpha = alpha;
    this.beta = beta;
    this.phi = phi;
    this.periods = periods.clone();
    this.gammas = gammas.clone();
    this.season = new double[periods.length][];
    for (int k = 0; k < periods.length; k++) {
      season[k] = new double[periods[k]];
    }
    if (initial != null) {
      initialise(initial);
    }
  }

  private void initialise(double[] y) {
    final int big = maxPeriod();
    if (y.length < big) {
      throw new IllegalArgumentException(
          "Holt-Winters needs at least max(period) = " + big + " points, got " + y.length);
    }
    double sum = 0;
    int count = 0;
    for (int i = 0; i < big; i++) {
      if (!Double.isNaN(y[i])) {
        sum += y[i];
        count++;
      }
    }
    level = count == 0 ? 0 : sum / count;
    final int m1 = periods[0];
    final double[] acc = new double[m1];
    final int[] cnt = new int[m1];
    for (int i = 0; i < big; i++) {
      if (!Double.isNaN(y[i])) {
        acc[i % m1] += y[i] - level;
        cnt[i % m1]++;
      }
    }
    for (int j = 0; j < m1; j++) {
      season[0][j] = cnt[j] == 0 ? 0 : acc[j] / cnt[j];
    }
    if (periods.length == 2) {
      for (int i = 0; i < periods[1]; i++) {
        season[1][i] = Double.isNaN(y[i]) ? 0 : y[i] - level - season[0][i % m1];
      }
    }
  }

  private int maxPeriod() {
    return periods.length == 1 ? periods[0] : Math.max(periods[0], periods[1]);
  }

  @Override
  public String name() {
    final StringBuilder b = new StringBuilder(beta > 0 ? "hw-damped(" : "hw(");
    for (int k = 0; k < periods.length; k++) {
      b.append(k == 0 ? "" : ",").append(periods[k]);
    }
    return b.append(')').toString();
  }

  @Override
  public void update(double y) {
    final int slot1 = phase1;
    final double s1 = season[0][slot1];
    final boolean two = periods.length == 2;
    final int slot2 = phase2;
    final double s2 = two ? season[1][slot2] : 0;
    final double damped = level + phi * trend;
    final double z = Double.isNaN(y) ? damped + s1 + s2 : y;
    final double previous = level;
    level = alpha * (z - s1 - s2) + (1 - alpha) * damped;
    trend = beta * (level - previous) + (1 - beta) * phi * trend;
    season[0][slot1] = gammas[0] * (z - level - s2) + (1 - gammas[0]) * s1;
    if (two) {
      season[1][slot2] = gammas[1] * (z - level - s1) + (1 - gammas[1]) * s2;
      if (++phase2 == periods[1]) {
        phase2 = 0;
      }
    }
    if (++phase1 == periods[0]) {
      phase1 = 0;
    }
  }

  @Override
  public double forecast(int h) {
    double f = level + DampedHolt.dampedSum(phi, h) * trend;
    f += season[0][(phase1 + h - 1) % periods[0]];
    if (periods.length == 2) {
      f += season[1][(phase2 + h - 1) % periods[1]];
    }
    return f;
  }

  @Override
  public Model copy() {
    final HoltWinters c = new HoltWinters(alpha, beta, phi, periods, gammas, null);
    for (int k = 0; k < periods.length; k++) {
      System.arraycopy(season[k], 0, c.season[k], 0, periods[k]);
    }
    c.level = level;
    c.trend = trend;
    c.phase1 = phase1;
    c.phase2 = phase2;
    return c;
  }

  @Override
  public double[] parameters() {
    return gammas.length == 1
        ? new double[] {alpha, beta, phi, gammas[0]}
        : new double[] {alpha, beta, phi, gammas[0], gammas[1]};
  }

  @Override
  public void write(DataOutput out) throws IOException {
    out.writeByte(ModelCodec.HOLT_WINTERS);
    out.writeDouble(alpha);
    out.writeDouble(beta);
    out.writeDouble(phi);
    out.writeByte(periods.length);
    for (int k = 0; k < periods.length; k++) {
      out.writeInt(periods[k]);
      out.writeDouble(gammas[k]);
      ModelCodec.writeArray(out, season[k]);
    }
    out.writeDouble(level);
    out.writeDouble(trend);
    out.writeInt(phase1);
    out.writeInt(phase2);
  }

  static HoltWinters read(DataInput in) throws IOException {
    final double alpha = in.readDouble();
    final double beta = in.readDouble();
    final double phi = in.readDouble();
    final int k = in.readByte();
    if (k < 1 || k > 2) {
      throw new IOException("Holt-Winters state with " + k + " seasonal components");
    }
    final int[] periods = new int[k];
    final double[] gammas = new double[k];
    final double[][] season = new double[k][];
    for (int i = 0; i < k; i++) {
      periods[i] = ModelCodec.readLength(in);
      gammas[i] = in.readDouble();
      season[i] = new double[periods[i]];
      ModelCodec.readArray(in, season[i]);
    }
    final HoltWinters m = new HoltWinters(alpha, beta, phi, periods, gammas, null);
    for (int i = 0; i < k; i++) {
      System.arraycopy(season[i], 0, m.season[i], 0, periods[i]);
    }
    m.level = in.readDouble();
    m.trend = in.readDouble();
    final int p1 = in.readInt();
    final int p2 = in.readInt();
    m.phase1 = Math.floorMod(p1, periods[0]);
    m.phase2 = k == 2 ? Math.floorMod(p2, periods[1]) : 0;
    return m;
  }
}
