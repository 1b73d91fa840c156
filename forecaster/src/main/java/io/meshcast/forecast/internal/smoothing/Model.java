package io.meshcast.forecast.internal.smoothing;

import java.io.DataOutput;
import java.io.IOException;

/**
 * A forecasting recursion with fixed parameters: the state is advanced one observation at a time
 * and forecasts any horizon from the current state. Implementations are not thread-safe (the
 * owner synchronises) and do not allocate in {@link #update} or {@link #forecast}.
 *
 * <p>NaN policy: {@code update(NaN)} is a missing observation; the model substitutes its own
 * one-step forecast, so the state advances (seasonal phase stays aligned) without new
 * information. Before any value has been seen, forecasts are NaN.
 */
public interface Model {

  /** Short name, e.g. {@code "ses"} or {@code "hw(1440)/log1p"}. */
  String name();

  /** Consumes the next observation. */
  void update(double y);

  /** Forecast {@code h >= 1} steps after the last consumed observation. */
  double forecast(int h);

  /** An independent copy of the current state. */
  Model copy();

  /** The fitted parameters, in the order documented by the implementation. */
  double[] parameters();

  /**
   * Writes this model's structure, parameters and current state, so that {@link
   * ModelCodec#read} rebuilds a model that forecasts and updates exactly like this one (another
   * replica adopting a fit).
   */
  void write(DataOutput out) throws IOException;
}
