package io.meshcast.forecast.internal.smoothing;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * Naive (random-walk) forecast: {@code ŷ(t+h|t) = y(t)} for every h (Hyndman &amp;
 * Athanasopoulos, FPP3 §5.2). No parameters. A missing observation keeps the last value.
 */
public final class Naive implements Model {
  private double last = Double.NaN;

  @Override
  public String name() {
    return "naive";
  }

  @Override
  public void update(double y) {
    if (!Double.isNaN(y)) {
      last = y;
    }
  }

  @Override
  public double forecast(int h) {
    return last;
  }

  @Override
  public Model copy() {
    final Naive n = new Naive();
    n.last = last;
    return n;
  }

  @Override
  public double[] parameters() {
    return new double[0];
  }

  @Override
  public void write(DataOutput out) throws IOException {
    out.writeByte(ModelCodec.NAIVE);
    out.writeDouble(last);
  }

  static Naive read(DataInput in) throws IOException {
    final Naive n = new Naive();
    n.last = in.readDouble();
    return n;
  }
}
