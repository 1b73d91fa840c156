package io.meshcast.forecast.internal.smoothing;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * A model fitted on {@code transform(y)} that takes and returns original units:
 * {@code ŷ(t+h|t) = transform⁻¹(inner.forecast(h))}.
 */
public final class TransformedModel implements Model {
  private final Model inner;
  private final Transform transform;

  public TransformedModel(Model inner, Transform transform) {
    this.inner = inner;
    this.transform = transform;
  }

  @Override
  public String name() {
    return transform == Transform.IDENTITY ? inner.name() : inner.name() + "/log1p";
  }

  @Override
  public void update(double y) {
    inner.update(Double.isNaN(y) ? y : transform.apply(y));
  }

  @Override
  public double forecast(int h) {
    return transform.inverse(inner.forecast(h));
  }

  @Override
  public Model copy() {
    return new TransformedModel(inner.copy(), transform);
  }

  @Override
  public double[] parameters() {
    return inner.parameters();
  }

  @Override
  public void write(DataOutput out) throws IOException {
    out.writeByte(ModelCodec.TRANSFORMED);
    out.writeByte(transform.ordinal());
    inner.write(out);
  }

  static TransformedModel read(DataInput in) throws IOException {
    final Transform t = ModelCodec.transform(in.readByte());
    return new TransformedModel(ModelCodec.read(in), t);
  }
}
