package io.meshcast.forecast;

import java.util.List;
import java.util.Objects;

/**
 * What {@link Forecasters#model} builds: one of the model families a {@link SeriesForecaster}
 * selects among, with its parameters fixed by the caller (α, β, γ: smoothing weights of level,
 * trend and season; φ: trend damping). The recursions are those of forecaster/README.md
 * ("Method"), each stated with its source on the class that implements it. Each record checks
 * its own parameters, so an invalid spec fails where it is written.
 */
public sealed interface ModelSpec {

  /** The last observed value, at every horizon. */
  record Naive() implements ModelSpec {}

  /** The value one season earlier; the last value until a full season has been seen. */
  record SeasonalNaive(int period) implements ModelSpec {
    public SeasonalNaive {
      requirePeriod(period);
    }
  }

  /** Simple exponential smoothing, ETS(A,N,N). */
  record Ses(double alpha) implements ModelSpec {
    public Ses {
      requireIn("alpha", alpha, false);
    }
  }

  /** Holt's linear trend with damping φ, ETS(A,Ad,N). */
  record DampedHolt(double alpha, double beta, double phi) implements ModelSpec {
    public DampedHolt {
      requireIn("alpha", alpha, false);
      requireIn("beta", beta, true);
      requireIn("phi", phi, false);
    }
  }

  /**
   * Additive Holt-Winters with damped trend and one or two seasonal cycles, ETS(A,Ad,A) (two
   * cycles: Taylor's double seasonal smoothing).
   *
   * @param periods one or two seasonal periods in steps, each >= 2
   * @param gammas one seasonal smoothing weight per period, in [0, 1]
   * @param initial at least max(periods) observations that initialise level and seasonal state;
   *     the state is positioned before {@code initial.get(0)}, so the caller then updates the
   *     model with the series from that point
   */
  record HoltWinters(double alpha, double beta, double phi, List<Integer> periods,
      List<Double> gammas, List<Double> initial) implements ModelSpec {
    public HoltWinters {
      requireIn("alpha", alpha, false);
      requireIn("beta", beta, true);
      requireIn("phi", phi, false);
      periods = List.copyOf(periods);
      gammas = List.copyOf(gammas);
      initial = List.copyOf(initial);
      if (periods.isEmpty() || periods.size() > 2 || gammas.size() != periods.size()) {
        throw new IllegalArgumentException("need 1 or 2 periods with one gamma each, got "
            + periods + " and " + gammas);
      }
      int longest = 0;
      for (int k = 0; k < periods.size(); k++) {
        longest = Math.max(longest, requirePeriod(periods.get(k)));
        requireIn("gamma", gammas.get(k), true);
      }
      if (initial.size() < longest) {
        throw new IllegalArgumentException("need at least max(periods) = " + longest
            + " initial points, got " + initial.size());
      }
    }
  }

  /**
   * A non-seasonal model on the series minus a fixed seasonal profile: {@code profile.get(j)} is
   * added back at phase j (phase 0 = the first observation).
   */
  record SeasonallyAdjusted(ModelSpec inner, List<Double> profile) implements ModelSpec {
    public SeasonallyAdjusted {
      Objects.requireNonNull(inner, "inner");
      profile = List.copyOf(profile);
      if (profile.size() < 2) {
        throw new IllegalArgumentException("profile needs >= 2 phases, has " + profile.size());
      }
    }
  }

  /**
   * Weighted average of member forecasts. {@code weights.get(a)} holds one weight per member at
   * anchor horizon {@code anchors.get(a)}; weights are normalised per anchor and interpolated
   * linearly in h between anchors (held constant outside). Anchors are horizons >= 1, strictly
   * increasing.
   */
  record Combination(List<ModelSpec> members, List<Integer> anchors,
      List<List<Double>> weights) implements ModelSpec {
    public Combination {
      members = List.copyOf(members);
      anchors = List.copyOf(anchors);
      weights = weights.stream().map(List::copyOf).toList();
      if (members.isEmpty() || anchors.isEmpty() || anchors.size() != weights.size()) {
        throw new IllegalArgumentException("need members and one weight row per anchor horizon");
      }
      for (int a = 0; a < anchors.size(); a++) {
        if (anchors.get(a) < 1 || a > 0 && anchors.get(a) <= anchors.get(a - 1)) {
          throw new IllegalArgumentException(
              "anchors must be horizons >= 1, strictly increasing; got " + anchors);
        }
      }
      for (List<Double> row : weights) {
        if (row.size() != members.size()
            || !row.stream().allMatch(w -> w >= 0) || !row.stream().anyMatch(w -> w > 0)) {
          throw new IllegalArgumentException("need one weight >= 0 per member at every anchor,"
              + " not all 0; got " + row + " for " + members.size() + " members");
        }
      }
    }
  }

  /**
   * {@code inner} run on z = ln(1 + y), forecasting e^z − 1 (the median, not the mean, of the
   * implied distribution): for never-negative series. The inner model's initial values and
   * profile are in the log scale.
   */
  record Log1p(ModelSpec inner) implements ModelSpec {
    public Log1p {
      Objects.requireNonNull(inner, "inner");
    }
  }

  private static int requirePeriod(int period) {
    if (period < 2) {
      throw new IllegalArgumentException("period must be >= 2, was " + period);
    }
    return period;
  }

  /** {@code value} in (0, 1], or in [0, 1] if {@code zeroAllowed}. */
  private static void requireIn(String name, double value, boolean zeroAllowed) {
    if (!(zeroAllowed ? value >= 0 : value > 0) || !(value <= 1)) {
      throw new IllegalArgumentException(
          name + " must be in " + (zeroAllowed ? "[0, 1]" : "(0, 1]") + ", was " + value);
    }
  }
}
