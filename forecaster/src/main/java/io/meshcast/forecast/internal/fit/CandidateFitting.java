package io.meshcast.forecast.internal.fit;

import io.meshcast.forecast.internal.smoothing.DampedHolt;
import io.meshcast.forecast.internal.smoothing.HoltWinters;
import io.meshcast.forecast.internal.smoothing.Model;
import io.meshcast.forecast.internal.smoothing.Naive;
import io.meshcast.forecast.internal.smoothing.SeasonalNaive;
import io.meshcast.forecast.internal.smoothing.SeasonallyAdjusted;
import io.meshcast.forecast.internal.smoothing.SimpleExponentialSmoothing;
import io.meshcast.forecast.internal.smoothing.Transform;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The candidates of a {@link ModelSelection} and how each is fitted and scored: the candidate
 * list for a series, parameter fitting on the training part (the h-step MSE relative to naive,
 * minimised by {@link ParameterFitter}), and the validation errors the selection ranks them by.
 * Stateless.
 */
final class CandidateFitting {
  /** fitting scores one origin in this many (see {@link #loss}) */
  static final int ORIGIN_STRIDE = 3;
  /** parameters are fitted on at most this many recent points of the training part */
  static final int FIT_WINDOW_POINTS = 2_880;

  /**
   * Objective evaluations per candidate when a full selection starts from the previous
   * parameters (a local search from the earlier optimum; a cold fit has 30).
   */
  static final int WARM_EVALUATIONS = 7;

  private CandidateFitting() {}

  enum Family {
    NAIVE, SNAIVE, SES, HOLT, HW, HW2, SES_SA, HOLT_SA
  }

  record Candidate(Family family, Transform transform, int[] periods) {
    int maxPeriod() {
      return periods.length == 0 ? 0 : periods[periods.length - 1];
    }

    String key() {
      return family + "/" + transform + Arrays.toString(periods);
    }
  }

  /**
   * Naive; SES; damped Holt; and per detected period seasonal naive, additive Holt-Winters and the
   * seasonally adjusted SES and Holt (two periods: double-seasonal Holt-Winters). Smoothing
   * models are tried on y and, for never-negative series, on log1p(y). Naive comes first: it is
   * the reference of every score.
   */
  static List<Candidate> candidates(List<Integer> periods, boolean nonNegative,
      Transform intervalTransform) {
    final List<Candidate> candidates = new ArrayList<>();
    candidates.add(new Candidate(Family.NAIVE, Transform.IDENTITY, new int[0]));
    final List<Transform> transforms = nonNegative
        ? List.of(Transform.IDENTITY, Transform.LOG1P) : List.of(Transform.IDENTITY);
    for (Transform t : transforms) {
      candidates.add(new Candidate(Family.SES, t, new int[0]));
    }
    candidates.add(new Candidate(Family.HOLT, intervalTransform, new int[0]));
    for (int p : periods) {
      candidates.add(new Candidate(Family.SNAIVE, Transform.IDENTITY, new int[] {p}));
      for (Transform t : transforms) {
        candidates.add(new Candidate(Family.HW, t, new int[] {p}));
        candidates.add(new Candidate(Family.SES_SA, t, new int[] {p}));
      }
      candidates.add(new Candidate(Family.HOLT_SA, intervalTransform, new int[] {p}));
    }
    if (periods.size() == 2) {
      candidates.add(new Candidate(Family.HW2, intervalTransform,
          new int[] {periods.get(0), periods.get(1)}));
    }
    return candidates;
  }

  static void errors(double[][] fc, double[] y, int nTrain, int[] grid, double[] mae,
      double[] mse) {
    final int nVal = fc[0].length;
    for (int g = 0; g < grid.length; g++) {
      double sa = 0;
      double ss = 0;
      int cnt = 0;
      for (int t = 0; t < nVal; t++) {
        final int idx = nTrain + t + grid[g] - 1;
        if (idx < y.length && !Double.isNaN(y[idx]) && !Double.isNaN(fc[g][t])) {
          final double e = y[idx] - fc[g][t];
          sa += Math.abs(e);
          ss += e * e;
          cnt++;
        }
      }
      mae[g] = cnt == 0 ? Double.NaN : sa / cnt;
      mse[g] = cnt == 0 ? Double.NaN : ss / cnt;
    }
  }

  /** Mean over horizons of err / naiveErr; equal errors count as 1, 0/0 as 1. */
  static double relative(double[] err, double[] naive) {
    double sum = 0;
    int cnt = 0;
    for (int g = 0; g < err.length; g++) {
      if (Double.isNaN(err[g]) || Double.isNaN(naive[g])) {
        continue;
      }
      sum += naive[g] > 0 ? err[g] / naive[g] : err[g] > 0 ? 1e6 : 1;
      cnt++;
    }
    return cnt == 0 ? Double.POSITIVE_INFINITY : sum / cnt;
  }

  /**
   * Fits the candidate on the most recent part of z[0, nTrain) (y in the candidate's scale) (at most {@link
   * #FIT_WINDOW_POINTS} points, or two of its longest cycles) and returns it in original units with its state reset
   * to the start of y. Smoothing parameters are local properties; fitting on the recent window
   * keeps a refit's cost independent of the history length.
   */
  static Fitted fit(Candidate c, double[] z, int nTrain, int[] grid, int maxEval,
      java.util.Map<String, double[]> profiles, double[] previous, boolean keepPrevious) {
    final boolean adjusted = c.family() == Family.SES_SA || c.family() == Family.HOLT_SA;
    final double[] profile = adjusted ? profiles.computeIfAbsent(
        c.transform() + "/" + c.periods()[0],
        key -> SeasonallyAdjusted.profile(z, nTrain, c.periods()[0])) : null;
    if (adjusted && profile == null) {
      return null;
    }
    final int window = Math.min(nTrain, Math.max(FIT_WINDOW_POINTS,
        Math.max(2 * c.maxPeriod(), 16 * grid[grid.length - 1])));
    final int from = nTrain - window;
    final double[] zFit = Arrays.copyOfRange(z, from, nTrain);
    // the profile is indexed by phase relative to y[0]; re-index it to the window's start
    final double[] profileFit = profile == null ? null : rotate(profile, from);
    final int warm = Math.max(Math.min(10, window / 4),
        c.family() == Family.HW || c.family() == Family.HW2 ? c.maxPeriod() : 0);
    final double[][] box = switch (c.family()) {
      case NAIVE, SNAIVE -> new double[][] {{}, {}, {}};
      case SES, SES_SA -> new double[][] {{0.3}, {0.01}, {1}};
      case HOLT, HOLT_SA -> new double[][] {{0.3, 0.05, 0.9}, {0.01, 0.001, 0.8}, {1, 0.3, 0.98}};
      case HW -> new double[][] {{0.2, 0.1}, {0.01, 0.001}, {1, 0.6}};
      case HW2 -> new double[][] {{0.2, 0.1, 0.1}, {0.01, 0.001, 0.001}, {1, 0.6, 0.6}};
    };
    double[] start = box[0];
    int evaluations = maxEval;
    if (previous != null && previous.length == start.length && start.length > 0) {
      start = previous.clone();
      for (int i = 0; i < start.length; i++) {
        start[i] = Math.max(box[1][i], Math.min(box[2][i], start[i]));
      }
      if (keepPrevious) {
        // a shortlist refit: the fit window moved by a quarter day or so, the optimum barely
        return new Fitted(build(c, start, z, profile), c.transform(), start);
      }
      evaluations = Math.min(maxEval, WARM_EVALUATIONS); // a local search from the optimum
    }
    final double[] naiveMse = start.length == 0 ? null : naiveMse(zFit, window, grid, warm);
    final double[] params = start.length == 0 ? start : ParameterFitter.minimise(
        p -> loss(c, p, zFit, profileFit, window, grid, naiveMse, warm),
        start, box[1], box[2], evaluations);
    return new Fitted(build(c, params, z, profile), c.transform(), params);
  }

  /** A fitted candidate: its model in the scale of {@code transform}, and the fitted vector. */
  record Fitted(Model inner, Transform transform, double[] params) {}

  private static double[] rotate(double[] profile, int offset) {
    final int m = profile.length;
    final double[] out = new double[m];
    for (int j = 0; j < m; j++) {
      out[j] = profile[(int) ((j + (long) offset) % m)];
    }
    return out;
  }

  private static Model build(Candidate c, double[] p, double[] zInit, double[] profile) {
    return switch (c.family()) {
      case NAIVE -> new Naive();
      case SNAIVE -> new SeasonalNaive(c.periods()[0]);
      case SES -> new SimpleExponentialSmoothing(p[0]);
      case HOLT -> new DampedHolt(p[0], p[1], p[2]);
      case HW -> new HoltWinters(p[0], 0, 1, c.periods(), new double[] {p[1]}, zInit);
      case HW2 -> new HoltWinters(p[0], 0, 1, c.periods(), new double[] {p[1], p[2]}, zInit);
      case SES_SA -> new SeasonallyAdjusted(new SimpleExponentialSmoothing(p[0]), profile);
      case HOLT_SA -> new SeasonallyAdjusted(new DampedHolt(p[0], p[1], p[2]), profile);
    };
  }

  private static double loss(Candidate c, double[] p, double[] z, double[] profile, int nTrain,
      int[] grid, double[] naiveMse, int warm) {
    final Model m = build(c, p, z, profile);
    final double[] sse = new double[grid.length];
    final int[] cnt = new int[grid.length];
    for (int t = 0; t < nTrain; t++) {
      // Scoring every ORIGIN_STRIDE-th origin keeps the loss unbiased (the state still sees
      // every point) at a fraction of the forecasting cost.
      if (t >= warm && t % ORIGIN_STRIDE == 0) {
        for (int g = 0; g < grid.length; g++) {
          final int idx = t + grid[g] - 1;
          if (idx < nTrain && !Double.isNaN(z[idx])) {
            final double e = z[idx] - m.forecast(grid[g]);
            sse[g] += e * e;
            cnt[g]++;
          }
        }
      }
      m.update(z[t]);
    }
    double sum = 0;
    for (int g = 0; g < grid.length; g++) {
      if (cnt[g] > 0) {
        sum += sse[g] / cnt[g] / naiveMse[g];
      }
    }
    return sum / grid.length;
  }

  private static double[] naiveMse(double[] z, int nTrain, int[] grid, int warm) {
    final double[] out = new double[grid.length];
    final int[] cnt = new int[grid.length];
    double last = Double.NaN;
    for (int t = 0; t < nTrain; t++) {
      if (t >= warm && !Double.isNaN(last)) {
        for (int g = 0; g < grid.length; g++) {
          final int idx = t + grid[g] - 1;
          if (idx < nTrain && !Double.isNaN(z[idx])) {
            final double e = z[idx] - last;
            out[g] += e * e;
            cnt[g]++;
          }
        }
      }
      if (!Double.isNaN(z[t])) {
        last = z[t];
      }
    }
    for (int g = 0; g < grid.length; g++) {
      out[g] = cnt[g] == 0 ? 1 : Math.max(out[g] / cnt[g], 1e-300);
    }
    return out;
  }

  /** {1, H/4, H/2, H} (rounded up, deduplicated), capped at {@code cap}. */
  static int[] horizonGrid(int h, int cap) {
    final int top = Math.max(1, Math.min(h, cap));
    final int[] raw = {1, (top + 3) / 4, (top + 1) / 2, top};
    return Arrays.stream(raw).distinct().sorted().toArray();
  }

  static List<Double> boxed(double[] p) {
    final List<Double> out = new ArrayList<>(p.length);
    for (double v : p) {
      out.add(v);
    }
    return out;
  }
}
