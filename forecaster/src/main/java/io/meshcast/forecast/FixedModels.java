package io.meshcast.forecast;

import io.meshcast.forecast.internal.smoothing.Combination;
import io.meshcast.forecast.internal.smoothing.DampedHolt;
import io.meshcast.forecast.internal.smoothing.HoltWinters;
import io.meshcast.forecast.internal.smoothing.Model;
import io.meshcast.forecast.internal.smoothing.Naive;
import io.meshcast.forecast.internal.smoothing.SeasonalNaive;
import io.meshcast.forecast.internal.smoothing.SeasonallyAdjusted;
import io.meshcast.forecast.internal.smoothing.SimpleExponentialSmoothing;
import io.meshcast.forecast.internal.smoothing.Transform;
import io.meshcast.forecast.internal.smoothing.TransformedModel;
import java.util.List;

/** {@link ModelSpec} to the smoothing model the forecaster itself uses, behind {@link FixedModel}. */
final class FixedModels {
  private FixedModels() {}

  static FixedModel of(ModelSpec spec) {
    final Model model = build(spec);
    return new FixedModel() {
      @Override
      public String name() {
        return model.name();
      }

      @Override
      public void update(double y) {
        model.update(y);
      }

      @Override
      public double forecast(int h) {
        if (h < 1) {
          throw new IllegalArgumentException("h must be >= 1, was " + h);
        }
        return model.forecast(h);
      }
    };
  }

  private static Model build(ModelSpec spec) {
    if (spec instanceof ModelSpec.Naive) {
      return new Naive();
    } else if (spec instanceof ModelSpec.SeasonalNaive s) {
      return new SeasonalNaive(s.period());
    } else if (spec instanceof ModelSpec.Ses s) {
      return new SimpleExponentialSmoothing(s.alpha());
    } else if (spec instanceof ModelSpec.DampedHolt s) {
      return new DampedHolt(s.alpha(), s.beta(), s.phi());
    } else if (spec instanceof ModelSpec.HoltWinters s) {
      return new HoltWinters(s.alpha(), s.beta(), s.phi(),
          s.periods().stream().mapToInt(Integer::intValue).toArray(), doubles(s.gammas()),
          doubles(s.initial()));
    } else if (spec instanceof ModelSpec.SeasonallyAdjusted s) {
      return new SeasonallyAdjusted(build(s.inner()), doubles(s.profile()));
    } else if (spec instanceof ModelSpec.Combination s) {
      final Model[] members = s.members().stream().map(FixedModels::build).toArray(Model[]::new);
      final double[][] weights =
          s.weights().stream().map(FixedModels::doubles).toArray(double[][]::new);
      return new Combination(members,
          s.anchors().stream().mapToInt(Integer::intValue).toArray(), weights);
    } else if (spec instanceof ModelSpec.Log1p s) {
      return new TransformedModel(build(s.inner()), Transform.LOG1P);
    }
    throw new IllegalArgumentException("unknown model spec " + spec); // sealed: unreachable
  }

  private static double[] doubles(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).toArray();
  }
}
