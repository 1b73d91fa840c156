package io.meshcast.forecast.internal.smoothing;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

import java.util.Arrays;

/**
 * Seasonal naive forecast with period m: {@code ŷ(t+h|t) = y(t + h - m·k)}, {@code k =
 * ⌊(h-1)/m⌋ + 1}, i.e. the value one season earlier (FPP3 §5.2). Until a full season has been
 * seen, the last value is used. A missing observation repeats the value one season earlier.
 *
 * <p>Memory: m doubles.
 */
public final class SeasonalNaive implements Model {
  private final int period;
  /** value observed at time τ is stored in slot τ mod m */
  private final double[] season;
  /** number of observations consumed = index of the next one */
  private long n;
  private double last = Double.NaN;

  public SeasonalNaive(int period) {
    if (period < 2) {
      throw new IllegalArgumentException("period must be >= 2, was " + period);
    }
    this.period = period;
    this.season = new double[period];
    Arrays.fill(season, Double.NaN);
  }

  @Override
  public String name() {
    return "snaive(" + period + ")";
  }

  @Override
  public void update(double y) {
    final int slot = (int) (n % period);
    if (!Double.isNaN(y)) {
      season[slot] = y;
      last = y;
    }
    n++;
  }

  @Override
  public double forecast(int h) {
    final double v = season[(int) ((n + h - 1) % period)];
    return Double.isNaN(v) ? last : v;
  }

  @Override
  public Model copy() {
    final SeasonalNaive c = new SeasonalNaive(period);
    System.arraycopy(season, 0, c.season, 0, period);
    c.n = n;
    c.last = last;
    return c;
  }

  @Override
  public double[] parameters() {
    return new double[0];
  }

  @Override
  public void write(DataOutput out) throws IOException {
    out.writeByte(ModelCodec.SNAIVE);
    out.writeInt(period);
    out.writeLong(n);
    out.writeDouble(last);
    ModelCodec.writeArray(out, season);
  }

  static SeasonalNaive read(DataInput in) throws IOException {
    final SeasonalNaive m = new SeasonalNaive(ModelCodec.readLength(in));
    m.n = in.readLong();
    m.last = in.readDouble();
    ModelCodec.readArray(in, m.season);
    return m;
  }
}
