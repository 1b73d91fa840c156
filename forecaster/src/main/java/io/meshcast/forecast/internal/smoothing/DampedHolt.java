package io.meshcast.forecast.internal.smoothing;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * Holt's linear method with damped trend, ETS(A,Ad,N) (Gardner &amp; McKenzie 1985; FPP3 §8.2):
 *
 * <pre>
 *   level(t)  = α·y(t) + (1 − α)·(level(t−1) + φ·trend(t−1))
 *   trend(t)  = β·(level(t) − level(t−1)) + (1 − β)·φ·trend(t−1)
 *   ŷ(t+h|t)  = level(t) + (φ + φ² + … + φ^h)·trend(t)
 * </pre>
 *
 * α, β ∈ (0, 1); φ ∈ (0, 1] damps the trend so long-horizon forecasts flatten (φ = 1 is Holt's
 * undamped method). Initialisation: level = first observation, trend = 0. Parameters:
 * {@code [α, β, φ]}.
 */
public final class DampedHolt implements Model {
  private final double alpha;
  private final double beta;
  private final double phi;
  private double level = Double.NaN;
  private double trend;
  /**
   * dampedSum(φ, h) for small h, filled on first use (0 = not yet): forecasts are asked for the
   * same few horizons millions of times during a refit, and {@code Math.pow} dominated them
   */
  private final double[] sums;

  public DampedHolt(double alpha, double beta, double phi) {
    if (!(alpha > 0 && alpha <= 1) || !(beta >= 0 && beta <= 1) || !(phi > 0 && phi <= 1)) {
      throw new IllegalArgumentException(
          "need alpha in (0,1], beta in [0,1], phi in (0,1]; got " + alpha + ", " + beta + ", "
              + phi);
    }
    this.alpha = alpha;
    this.beta = beta;
    this.phi = phi;
    this.sums = new double[CACHED_HORIZONS + 1];
  }

  private DampedHolt(DampedHolt from) {
    this.alpha = from.alpha;
    this.beta = from.beta;
    this.phi = from.phi;
    this.sums = from.sums; // a pure function of φ: shared by copies
    this.level = from.level;
    this.trend = from.trend;
  }

  private static final int CACHED_HORIZONS = 64;

  @Override
  public String name() {
    return "holt-damped";
  }

  @Override
  public void update(double y) {
    if (Double.isNaN(level)) {
      if (!Double.isNaN(y)) {
        level = y;
      }
      return;
    }
    final double z = Double.isNaN(y) ? level + phi * trend : y;
    final double previous = level;
    level = alpha * z + (1 - alpha) * (level + phi * trend);
    trend = beta * (level - previous) + (1 - beta) * phi * trend;
  }

  @Override
  public double forecast(int h) {
    return level + sum(h) * trend;
  }

  private double sum(int h) {
    if (h > CACHED_HORIZONS) {
      return dampedSum(phi, h);
    }
    double v = sums[h];
    if (v == 0) {
      v = dampedSum(phi, h); // > 0 for φ > 0, h >= 1
      sums[h] = v;
    }
    return v;
  }

  /** φ + φ² + … + φ^h. */
  static double dampedSum(double phi, int h) {
    return phi == 1 ? h : phi * (1 - Math.pow(phi, h)) / (1 - phi);
  }

  @Override
  public Model copy() {
    return new DampedHolt(this);
  }

  @Override
  public double[] parameters() {
    return new double[] {alpha, beta, phi};
  }

  @Override
  public void write(DataOutput out) throws IOException {
    out.writeByte(ModelCodec.HOLT);
    out.writeDouble(alpha);
    out.writeDouble(beta);
    out.writeDouble(phi);
    out.writeDouble(level);
    out.writeDouble(trend);
  }

  static DampedHolt read(DataInput in) throws IOException {
    final DampedHolt m = new DampedHolt(in.readDouble(), in.readDouble(), in.readDouble());
    m.level = in.readDouble();
    m.trend = in.readDouble();
    return m;
  }
}
