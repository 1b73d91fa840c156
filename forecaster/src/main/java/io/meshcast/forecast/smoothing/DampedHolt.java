package io.meshcast.forecast.smoothing;

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

  public DampedHolt(double alpha, double beta, double phi) {
    if (!(alpha > 0 && alpha <= 1) || !(beta >= 0 && beta <= 1) || !(phi > 0 && phi <= 1)) {
      throw new IllegalArgumentException(
          "need alpha in (0,1], beta in [0,1], phi in (0,1]; got " + alpha + ", " + beta + ", "
              + phi);
    }
    this.alpha = alpha;
    this.beta = beta;
    this.phi = phi;
  }

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
    return level + dampedSum(phi, h) * trend;
  }

  /** φ + φ² + … + φ^h. */
  static double dampedSum(double phi, int h) {
    return phi == 1 ? h : phi * (1 - Math.pow(phi, h)) / (1 - phi);
  }

  @Override
  public Model copy() {
    final DampedHolt c = new DampedHolt(alpha, beta, phi);
    c.level = level;
    c.trend = trend;
    return c;
  }

  @Override
  public double[] parameters() {
    return new double[] {alpha, beta, phi};
  }
}
