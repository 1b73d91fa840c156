package io.meshcast.forecast.internal.smoothing;

/**
 * Variance-stabilising transform applied before a model and undone after it.
 *
 * <p>{@link #LOG1P}: z = ln(1 + y), y = e^z − 1. It turns the multiplicative seasonality and
 * level-proportional noise of counts into additive ones; the back-transformed forecast is the
 * median, not the mean, of the implied distribution (what MAE rewards). Valid for y &gt; −1;
 * only chosen for series that are never negative.
 */
public enum Transform {
  IDENTITY {
    @Override
    public double apply(double y) {
      return y;
    }

    @Override
    public double inverse(double z) {
      return z;
    }
  },
  LOG1P {
    @Override
    public double apply(double y) {
      return Math.log1p(Math.max(y, 0));
    }

    @Override
    public double inverse(double z) {
      return Math.expm1(z);
    }
  };

  public abstract double apply(double y);

  public abstract double inverse(double z);
}
