package io.meshcast.forecast.internal.smoothing;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

import java.util.Locale;

/**
 * Weighted average of member forecasts (original units) with horizon-dependent weights:
 *
 * <pre>
 *   ŷ(t+h|t) = Σᵢ wᵢ(h)·ŷᵢ(t+h|t),     Σᵢ wᵢ(h) = 1
 * </pre>
 *
 * Weights are given at a few anchor horizons g₁ &lt; … &lt; g_k and interpolated linearly in h
 * between them (held constant outside). The caller chooses them from validation errors, e.g.
 * inverse MSE (Bates &amp; Granger 1969, "The combination of forecasts", Oper. Res. Q.
 * 20:451–468); a single anchor gives the classic fixed-weight combination. Parameters: the
 * weights, anchor by anchor.
 */
public final class Combination implements Model {
  private final Model[] members;
  private final int[] anchors;
  /** weights[a][i]: weight of member i at anchor horizon anchors[a]; rows sum to 1 */
  private final double[][] weights;

  /** Fixed weights at every horizon. */
  public Combination(Model[] members, double[] weights) {
    this(members, new int[] {1}, new double[][] {weights});
  }

  public Combination(Model[] members, int[] anchors, double[][] weights) {
    if (members.length == 0 || anchors.length == 0 || anchors.length != weights.length) {
      throw new IllegalArgumentException("need members and one weight row per anchor horizon");
    }
    this.members = members.clone();
    this.anchors = anchors.clone();
    this.weights = new double[weights.length][];
    for (int a = 0; a < weights.length; a++) {
      if (weights[a].length != members.length) {
        throw new IllegalArgumentException("need one weight per member at every anchor");
      }
      double sum = 0;
      for (double w : weights[a]) {
        if (!(w >= 0)) {
          throw new IllegalArgumentException("weights must be >= 0");
        }
        sum += w;
      }
      if (!(sum > 0)) {
        throw new IllegalArgumentException("weights at an anchor must not all be 0");
      }
      this.weights[a] = new double[members.length];
      for (int i = 0; i < members.length; i++) {
        this.weights[a][i] = weights[a][i] / sum;
      }
    }
  }

  @Override
  public String name() {
    final StringBuilder b = new StringBuilder("combo[");
    final int last = weights.length - 1;
    for (int i = 0; i < members.length; i++) {
      b.append(i == 0 ? "" : " + ");
      b.append(String.format(Locale.ROOT, "%.2f", weights[0][i]));
      if (last > 0) {
        b.append(String.format(Locale.ROOT, "..%.2f", weights[last][i]));
      }
      b.append(' ').append(members[i].name());
    }
    return b.append(']').toString();
  }

  @Override
  public void update(double y) {
    for (Model m : members) {
      m.update(y);
    }
  }

  @Override
  public double forecast(int h) {
    int a = 0;
    while (a < anchors.length - 1 && anchors[a + 1] <= h) {
      a++;
    }
    final double frac = a < anchors.length - 1 && h > anchors[a]
        ? (double) (h - anchors[a]) / (anchors[a + 1] - anchors[a]) : 0;
    double f = 0;
    for (int i = 0; i < members.length; i++) {
      final double w = frac == 0 ? weights[a][i]
          : (1 - frac) * weights[a][i] + frac * weights[a + 1][i];
      if (w != 0) {
        f += w * members[i].forecast(h);
      }
    }
    return f;
  }

  @Override
  public Model copy() {
    final Model[] c = new Model[members.length];
    for (int i = 0; i < c.length; i++) {
      c[i] = members[i].copy();
    }
    return new Combination(c, anchors, weights);
  }

  @Override
  public double[] parameters() {
    final double[] out = new double[weights.length * members.length];
    for (int a = 0; a < weights.length; a++) {
      System.arraycopy(weights[a], 0, out, a * members.length, members.length);
    }
    return out;
  }

  @Override
  public void write(DataOutput out) throws IOException {
    out.writeByte(ModelCodec.COMBINATION);
    out.writeInt(members.length);
    out.writeInt(anchors.length);
    for (int a = 0; a < anchors.length; a++) {
      out.writeInt(anchors[a]);
      ModelCodec.writeArray(out, weights[a]);
    }
    for (Model m : members) {
      m.write(out);
    }
  }

  static Combination read(DataInput in) throws IOException {
    final int count = ModelCodec.readLength(in);
    final int[] anchors = new int[ModelCodec.readLength(in)];
    final double[][] weights = new double[anchors.length][count];
    for (int a = 0; a < anchors.length; a++) {
      anchors[a] = in.readInt();
      ModelCodec.readArray(in, weights[a]);
    }
    final Model[] members = new Model[count];
    for (int i = 0; i < count; i++) {
      members[i] = ModelCodec.read(in);
    }
    return new Combination(members, anchors, weights);
  }
}
