package io.meshcast.forecast.internal.smoothing;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * Simple exponential smoothing, ETS(A,N,N) (Hyndman &amp; Athanasopoulos, FPP3 §8.1):
 *
 * <pre>
 *   level(t)   = α·y(t) + (1 − α)·level(t−1)
 *   ŷ(t+h|t)   = level(t)              for every h
 * </pre>
 *
 * α ∈ (0, 1]: α = 1 is the naive forecast (no memory), small α averages over about 2/α − 1
 * points. The level is initialised with the first observation. Parameters: {@code [α]}.
 */
public final class SimpleExponentialSmoothing implements Model {
  /** smoothing weight of the newest observation */
  private final double alpha;
  private double level = Double.NaN;

  public SimpleExponentialSmoothing(double alpha) {
    if (!(alpha > 0 && alpha <= 1)) {
      throw new IllegalArgumentException("alpha must be in (0, 1], was " + alpha);
    }
    this.alpha = alpha;
  }

  @Override
  public String name() {
    return "ses";
  }

  @Override
  public void update(double y) {
    if (Double.isNaN(y)) {
      return; // the one-step forecast is the level itself: nothing changes
    }
    level = Double.isNaN(level) ? y : alpha * y + (1 - alpha) * level;
  }

  @Override
  public double forecast(int h) {
    return level;
  }

  @Override
  public Model copy() {
    final SimpleExponentialSmoothing c = new SimpleExponentialSmoothing(alpha);
    c.level = level;
    return c;
  }

  @Override
  public double[] parameters() {
    return new double[] {alpha};
  }

  @Override
  public void write(DataOutput out) throws IOException {
    out.writeByte(ModelCodec.SES);
    out.writeDouble(alpha);
    out.writeDouble(level);
  }

  static SimpleExponentialSmoothing read(DataInput in) throws IOException {
    final SimpleExponentialSmoothing m = new SimpleExponentialSmoothing(in.readDouble());
    m.level = in.readDouble();
    return m;
  }
}
