package io.meshcast.forecast.internal.smoothing;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * Reads the models {@link Model#write} wrote: one tag byte per model, then its parameters and
 * state as big-endian doubles and ints (members of combinations and wrappers follow their
 * parent). The format is private to one version of meshcast: replicas of one Deployment run the
 * same image, and a replica that cannot read a state refits the series itself.
 */
public final class ModelCodec {
  static final byte NAIVE = 1;
  static final byte SES = 2;
  static final byte HOLT = 3;
  static final byte SNAIVE = 4;
  static final byte HOLT_WINTERS = 5;
  static final byte ADJUSTED = 6;
  static final byte TRANSFORMED = 7;
  static final byte COMBINATION = 8;
  /** longer arrays than any history a forecaster keeps mean a corrupt or foreign payload */
  private static final int MAX_LENGTH = 1 << 20;

  private ModelCodec() {}

  /**
   * Reads one model.
   *
   * @throws IOException on an unknown tag, an implausible length or invalid parameters
   */
  public static Model read(DataInput in) throws IOException {
    final byte tag = in.readByte();
    try {
      return switch (tag) {
        case NAIVE -> Naive.read(in);
        case SES -> SimpleExponentialSmoothing.read(in);
        case HOLT -> DampedHolt.read(in);
        case SNAIVE -> SeasonalNaive.read(in);
        case HOLT_WINTERS -> HoltWinters.read(in);
        case ADJUSTED -> SeasonallyAdjusted.read(in);
        case TRANSFORMED -> TransformedModel.read(in);
        case COMBINATION -> Combination.read(in);
        default -> throw new IOException("unknown model tag " + tag);
      };
    } catch (IllegalArgumentException e) {
      throw new IOException("invalid model state: " + e.getMessage(), e);
    }
  }

  static Transform transform(byte ordinal) throws IOException {
    final Transform[] all = Transform.values();
    if (ordinal < 0 || ordinal >= all.length) {
      throw new IOException("unknown transform " + ordinal);
    }
    return all[ordinal];
  }

  static int readLength(DataInput in) throws IOException {
    final int n = in.readInt();
    if (n < 0 || n > MAX_LENGTH) {
      throw new IOException("implausible length " + n);
    }
    return n;
  }

  static void writeArray(DataOutput out, double[] a) throws IOException {
    for (double v : a) {
      out.writeDouble(v);
    }
  }

  static void readArray(DataInput in, double[] into) throws IOException {
    for (int i = 0; i < into.length; i++) {
      into[i] = in.readDouble();
    }
  }
}
