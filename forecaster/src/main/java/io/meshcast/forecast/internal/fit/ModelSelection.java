package io.meshcast.forecast.internal.fit;

import static io.meshcast.forecast.internal.fit.CandidateFitting.boxed;
import static io.meshcast.forecast.internal.fit.CandidateFitting.errors;
import static io.meshcast.forecast.internal.fit.CandidateFitting.fit;
import static io.meshcast.forecast.internal.fit.CandidateFitting.horizonGrid;
import static io.meshcast.forecast.internal.fit.CandidateFitting.relative;

import io.meshcast.forecast.internal.fit.CandidateFitting.Candidate;
import io.meshcast.forecast.internal.fit.CandidateFitting.Family;
import io.meshcast.forecast.internal.fit.CandidateFitting.Fitted;
import io.meshcast.forecast.internal.smoothing.Combination;
import io.meshcast.forecast.internal.smoothing.Model;
import io.meshcast.forecast.internal.smoothing.Naive;
import io.meshcast.forecast.internal.smoothing.Transform;
import io.meshcast.forecast.internal.smoothing.TransformedModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Automatic model choice for one series by rolling-origin validation (Tashman 2000, "Out-of-sample
 * tests of forecasting accuracy", Int. J. Forecasting 16:437–450).
 *
 * <ol>
 *   <li>Split the history: the first part (≈70 %) trains, the rest validates.
 *   <li>Detect seasonal periods on the whole history ({@link SeasonalityDetector}).
 *   <li>Candidates: naive; SES; damped Holt; and per detected period seasonal naive and additive
 *       Holt-Winters (two periods: double seasonal). Smoothing models are tried on y and, for
 *       never-negative series, on log1p(y).
 *   <li>Fit each candidate's parameters on the training part, minimising the mean over a few
 *       horizons h ∈ G ⊂ [1, H] of the h-step MSE (in the model's scale) divided by the naive
 *       h-step MSE, so short and long horizons count alike.
 *   <li>Run every fitted candidate through the validation part one observation at a time (no
 *       re-estimation) and score it by the mean over h ∈ G of MAE(h) / naive MAE(h), in original
 *       units.
 *   <li>Per validation horizon, take the best candidate or the inverse-MSE-weighted combination
 *       of the best three at that horizon, whichever is better; the result is one combination
 *       whose weights vary with the horizon ({@link Combination}).
 *   <li>Replay the chosen model over the validation part once more, collecting h-step residuals
 *       for every h ≤ H in the interval scale (log1p for never-negative series) — these calibrate
 *       the prediction intervals ({@link ResidualQuantiles}). The model state then sits at the
 *       end of the history, ready for O(1) updates.
 * </ol>
 *
 * <p>Refits that keep up: a selection may start from the {@link Memory} of the previous one on
 * the same series. Every {@link #FULL_SELECTION_EVERY}-th selection is full: every candidate is
 * fitted by a local search from its previous optimum ({@link CandidateFitting#WARM_EVALUATIONS}
 * evaluations instead of the cold start's 30) and validated. The ones in between validate only
 * the shortlist (candidates within {@link #SHORTLIST_MARGIN} of the best, or among the best three
 * at some horizon, plus naive), with the parameters of the last full selection, and keep the last
 * calibration when they choose the same members. A change of seasonal periods forces a full
 * selection; the first selection of a series is cold. Measured in load-tests/RESULTS.md ("Cost").
 *
 * <p>Cost: O(candidates × evaluations × n × |G|) time and O(n × H) transient memory. Stateless
 * and thread-safe.
 */
public final class ModelSelection {
  /**
   * Every this many selections all candidates are fitted and validated again (the others
   * validate only the shortlist): at the default 6-hour refit interval, once a day. Chosen on
   * the evaluation series (load-tests/RESULTS.md, "Refits that keep up"): every 2nd cost about
   * 1.6 ms more per refit of a one-week series and was not more accurate overall.
   */
  static final int FULL_SELECTION_EVERY = 4;
  /** the shortlist: candidates within this factor of the best relative MAE (plus top 3 per h) */
  static final double SHORTLIST_MARGIN = 1.05;
  /**
   * h-step residuals (h >= 2) that calibrate the intervals are taken from every k-th validation
   * origin, k <= MAX_INTERVAL_STRIDE, keeping at least MIN_INTERVAL_ORIGINS origins (the 1 %
   * quantile then rests on >= 5 residuals; coverage was unchanged on the evaluation series)
   */
  static final int MAX_INTERVAL_STRIDE = 6;
  static final int MIN_INTERVAL_ORIGINS = 500;

  private ModelSelection() {}

  /**
   * @param maxHorizon H, the longest horizon that must be calibrated
   * @param stepMillis series spacing (calendar periods are looked for)
   * @param maxValidation cap on the validation length (cost control)
   * @param maxEvaluations objective evaluations per candidate fit
   */
  public record Settings(int maxHorizon, long stepMillis, int maxValidation, int maxEvaluations) {
    public static Settings of(int maxHorizon, long stepMillis) {
      return new Settings(maxHorizon, stepMillis, 6_000, 30);
    }
  }

  /**
   * The outcome of a selection.
   *
   * @param predictor the chosen model in original units, its state after the last history point
   * @param quantiles residual quantiles per horizon, or null if the validation part was too short
   * @param intervalTransform the scale residuals (and so intervals) are expressed in
   * @param oneStepResiduals out-of-sample one-step residuals in the interval scale, time order;
   *     empty when the selection kept the previous calibration (same model, see {@code select})
   * @param candidates validation score of every candidate validated, best (the chosen one) first
   * @param seasonalPeriods detected seasonal periods in steps (empty if none)
   * @param validationPoints length of the rolling-origin validation part
   * @param durationNanos wall time of the selection
   * @param memory what the next selection of the same series may start from (null after a
   *     naive-only selection)
   */
  public record Selection(Model predictor, ResidualQuantiles quantiles, Transform intervalTransform,
      double[] oneStepResiduals, List<Scored> candidates, List<Integer> seasonalPeriods,
      int validationPoints, long durationNanos, Memory memory) {

    public Selection {
      candidates = List.copyOf(candidates);
      seasonalPeriods = List.copyOf(seasonalPeriods);
    }

    /** The chosen model or combination. */
    public String modelName() {
      return candidates.get(0).name();
    }
  }

  /**
   * One candidate's rolling-origin validation result.
   *
   * @param name model name, e.g. {@code "hw(1440)/log1p"}
   * @param relativeMae mean over the validation horizons of MAE / naive MAE (lower is better)
   * @param parameters fitted smoothing parameters, in the model's documented order
   */
  public record Scored(String name, double relativeMae, List<Double> parameters) {
    public Scored {
      parameters = List.copyOf(parameters);
    }
  }

  /**
   * What one selection leaves for the next on the same series: fitted parameters per candidate
   * (the warm start), the shortlist, the seasonal periods, shortlist-only selections since the
   * last full one, and the chosen members with their calibration. Opaque and immutable.
   */
  public static final class Memory {
    private final List<Integer> periods;
    private final java.util.Map<String, double[]> parameters;
    private final java.util.Set<String> shortlist;
    private final int sinceFull;
    /** the chosen members (candidate keys) and their calibration on nVal points */
    private final List<String> chosen;
    private final ResidualQuantiles quantiles;
    private final int nVal;

    private Memory(List<Integer> periods, java.util.Map<String, double[]> parameters,
        java.util.Set<String> shortlist, int sinceFull, List<String> chosen,
        ResidualQuantiles quantiles, int nVal) {
      this.periods = List.copyOf(periods);
      this.parameters = java.util.Map.copyOf(parameters);
      this.shortlist = java.util.Set.copyOf(shortlist);
      this.sinceFull = sinceFull;
      this.chosen = List.copyOf(chosen);
      this.quantiles = quantiles;
      this.nVal = nVal;
    }

    /** Whether the next selection (on these periods) may validate the shortlist only. */
    boolean allowsShortlist(List<Integer> currentPeriods) {
      return sinceFull + 1 < FULL_SELECTION_EVERY && periods.equals(currentPeriods);
    }
  }

  /** Selects and fits a model on {@code y} (NaN = missing; must contain no infinities). */
  public static Selection select(double[] y, Settings s) {
    return select(y, s, null);
  }

  /**
   * As {@link #select(double[], Settings)}, starting from an earlier selection of the same series
   * ({@code previous}, may be null): a full selection (every {@link #FULL_SELECTION_EVERY}-th,
   * or when the seasonal periods changed) searches parameters from the previous optimum; the
   * others validate only the shortlist with the previous parameters. The naive model is always
   * validated: it is the reference of every score.
   */
  public static Selection select(double[] y, Settings s, Memory previous) {
    final long started = System.nanoTime();
    final int n = y.length;
    boolean nonNegative = true;
    int finite = 0;
    for (double v : y) {
      if (!Double.isNaN(v)) {
        finite++;
        nonNegative &= v >= 0;
      }
    }
    final Transform intervalTransform = nonNegative ? Transform.LOG1P : Transform.IDENTITY;
    final int nVal = Math.min(s.maxValidation(), Math.max(2, (int) Math.round(0.3 * n)));
    final int nTrain = n - nVal;
    if (nTrain < 8 || finite < 8) {
      return naiveOnly(y, intervalTransform, s, started);
    }
    final int[] grid = horizonGrid(s.maxHorizon(), Math.max(1, Math.min(nVal / 3, nTrain / 3)));

    // Seasonality is a structural property: detect it on the whole history (two cycles are
    // enough), then require enough training points to initialise and fit the seasonal models.
    final double[] zInterval = new double[n];
    for (int i = 0; i < n; i++) {
      zInterval[i] = Double.isNaN(y[i]) ? y[i] : intervalTransform.apply(y[i]);
    }
    final List<Integer> periods = new ArrayList<>();
    for (int p : SeasonalityDetector.detect(zInterval, s.stepMillis())) {
      if (nTrain >= p + p / 4) {
        periods.add(p);
      }
    }

    final List<Candidate> candidates =
        CandidateFitting.candidates(periods, nonNegative, intervalTransform);
    final boolean shortlistOnly = previous != null && previous.allowsShortlist(periods)
        && candidates.stream().anyMatch(cd -> cd.family() != Family.NAIVE
            && previous.shortlist.contains(cd.key()));
    if (shortlistOnly) {
      candidates.removeIf(cd -> cd.family() != Family.NAIVE
          && !previous.shortlist.contains(cd.key()));
    }

    // Fit every candidate on the training part, then run it through the validation part.
    // y in each candidate's scale, and the seasonal profiles, are shared between candidates
    final java.util.Map<String, double[]> profiles = new java.util.HashMap<>();
    final List<Fitted> fits = new ArrayList<>();
    final List<Candidate> fitCandidates = new ArrayList<>();
    final java.util.Map<String, double[]> parameters = previous == null
        ? new java.util.HashMap<>() : new java.util.HashMap<>(previous.parameters);
    for (Candidate cand : candidates) {
      final double[] z = cand.transform() == Transform.IDENTITY ? y : zInterval;
      final double[] start = parameters.get(cand.key());
      final Fitted f = fit(cand, z, nTrain, grid, s.maxEvaluations(), profiles, start,
          shortlistOnly);
      if (f != null) {
        fits.add(f);
        fitCandidates.add(cand);
        parameters.put(cand.key(), f.params());
      }
    }
    final int c = fits.size();
    final Model[] fitted = new Model[c];
    final Model[] atSplit = new Model[c];
    final double[][][] fc = new double[c][grid.length][nVal];
    for (int k = 0; k < c; k++) {
      // run in the candidate's own scale on the shared transformed series (what its wrapper
      // would compute point by point, without a log1p per update)
      final Fitted f = fits.get(k);
      final Model m = f.inner();
      final Transform tr = f.transform();
      final double[] z = tr == Transform.IDENTITY ? y : zInterval;
      fitted[k] = new TransformedModel(m, tr);
      for (int t = 0; t < n; t++) {
        if (t == nTrain) {
          atSplit[k] = new TransformedModel(m.copy(), tr);
        }
        if (t >= nTrain) {
          for (int g = 0; g < grid.length; g++) {
            fc[k][g][t - nTrain] = tr.inverse(m.forecast(grid[g]));
          }
        }
        m.update(z[t]);
      }
    }
    final double[][] mae = new double[c][grid.length];
    final double[][] mse = new double[c][grid.length];
    final double[] relMae = new double[c];
    for (int k = 0; k < c; k++) { // naive (k = 0) first: the reference of every score
      errors(fc[k], y, nTrain, grid, mae[k], mse[k]);
      relMae[k] = relative(mae[k], mae[0]);
    }
    final Integer[] order = java.util.stream.IntStream.range(0, c).boxed().toArray(Integer[]::new);
    Arrays.sort(order, Comparator.comparingDouble(k -> relMae[k]));

    final List<Scored> report = new ArrayList<>();
    for (int k : order) {
      report.add(new Scored(fitted[k].name(), relMae[k], boxed(fitted[k].parameters())));
    }

    // Per validation horizon: the best single candidate or the inverse-MSE-weighted combination
    // of the best three at that horizon (Bates & Granger 1969), whichever has the lower MAE.
    final double[][] rows = new double[grid.length][c];
    final double[] blendMae = new double[grid.length];
    final java.util.Set<String> shortlist = new java.util.HashSet<>();
    for (int k = 1; k < c; k++) {
      if (relMae[k] <= relMae[order[0]] * SHORTLIST_MARGIN) {
        shortlist.add(fitCandidates.get(k).key());
      }
    }
    for (int g = 0; g < grid.length; g++) {
      final int gg = g;
      final Integer[] byH = java.util.stream.IntStream.range(0, c).boxed().toArray(Integer[]::new);
      Arrays.sort(byH, Comparator.comparingDouble(k -> Double.isNaN(mae[k][gg])
          ? Double.POSITIVE_INFINITY : mae[k][gg]));
      rows[g][byH[0]] = 1;
      blendMae[g] = mae[byH[0]][g];
      final int members = Math.min(3, c);
      for (int i = 0; i < members; i++) {
        if (byH[i] != 0) {
          shortlist.add(fitCandidates.get(byH[i]).key());
        }
      }
      if (members >= 2) {
        final double[] w = new double[c];
        double wsum = 0;
        for (int i = 0; i < members; i++) {
          w[byH[i]] = 1 / Math.max(mse[byH[i]][g], 1e-300);
          wsum += w[byH[i]];
        }
        final double[][] comboFc = new double[1][nVal];
        for (int t = 0; t < nVal; t++) {
          double f = 0;
          for (int i = 0; i < members; i++) {
            f += w[byH[i]] / wsum * fc[byH[i]][g][t];
          }
          comboFc[0][t] = f;
        }
        final double[] comboMae = new double[1];
        errors(comboFc, y, nTrain, new int[] {grid[g]}, comboMae, new double[1]);
        if (comboMae[0] < blendMae[g] - 1e-12 * Math.abs(blendMae[g])) {
          blendMae[g] = comboMae[0];
          for (int k = 0; k < c; k++) {
            rows[g][k] = w[k] / wsum;
          }
        }
      }
    }
    final List<Integer> used = java.util.stream.IntStream.range(0, c)
        .filter(k -> Arrays.stream(rows).anyMatch(r -> r[k] > 0)).boxed().toList();
    // A shortlist refit choosing the same members on as many validation points keeps the last
    // calibration (up to FULL_SELECTION_EVERY - 1 refits old) and skips the replay below: its
    // members as validated are already where the replay would leave them, same point forecasts.
    final List<String> chosenKeys = used.stream().map(k -> fitCandidates.get(k).key()).toList();
    final boolean recalibrate = !shortlistOnly || previous.quantiles == null
        || previous.nVal != nVal || !previous.chosen.equals(chosenKeys);
    final Model[] from = recalibrate ? atSplit : fitted;
    final Model chosen;
    if (used.size() == 1) {
      chosen = from[used.get(0)];
    } else {
      final Model[] ms = new Model[used.size()];
      final double[][] ws = new double[grid.length][used.size()];
      for (int i = 0; i < used.size(); i++) {
        ms[i] = from[used.get(i)];
        for (int g = 0; g < grid.length; g++) {
          ws[g][i] = rows[g][used.get(i)];
        }
      }
      chosen = new Combination(ms, grid, ws);
      final double[] flat = new double[grid.length * used.size()];
      for (int g = 0; g < grid.length; g++) {
        System.arraycopy(ws[g], 0, flat, g * used.size(), used.size());
      }
      report.add(0, new Scored(chosen.name(), relative(blendMae, mae[0]), boxed(flat)));
    }
    if (used.size() == 1 && used.get(0) != order[0]) {
      // a single model won every horizon but not the averaged ranking: report it first
      final int k = used.get(0);
      report.add(0, new Scored(fitted[k].name(), relMae[k], boxed(fitted[k].parameters())));
    }
    // Replay the chosen model over the validation part: h-step residuals for every h <= H.
    final int horizons = s.maxHorizon();
    final double[][] res = new double[horizons][recalibrate ? nVal : 0];
    final int[] counts = new int[horizons];
    // One-step residuals feed the anomaly scorer and are kept from every origin; longer horizons
    // only calibrate interval quantiles, and their residuals at neighbouring origins overlap
    // almost entirely, so a stride that keeps >= MIN_INTERVAL_ORIGINS origins loses little.
    final int stride = Math.max(1, Math.min(MAX_INTERVAL_STRIDE, nVal / MIN_INTERVAL_ORIGINS));
    for (int t = recalibrate ? nTrain : n; t < n; t++) {
      final int top = (t - nTrain) % stride == 0 ? horizons : 1;
      for (int h = 1; h <= top && t + h - 1 < n; h++) {
        final double target = zInterval[t + h - 1]; // intervalTransform(y)
        if (!Double.isNaN(target)) {
          final double f = chosen.forecast(h);
          res[h - 1][counts[h - 1]++] = target - intervalTransform.apply(f);
        }
      }
      chosen.update(y[t]);
    }
    final double[] oneStep = Arrays.copyOf(res[0], counts[0]); // empty when not recalibrated
    final ResidualQuantiles quantiles =
        recalibrate ? ResidualQuantiles.of(res, counts) : previous.quantiles;
    final Memory memory = new Memory(periods, parameters, shortlist,
        shortlistOnly ? previous.sinceFull + 1 : 0, chosenKeys, quantiles, nVal);
    return new Selection(chosen, quantiles, intervalTransform, oneStep, report, periods, nVal,
        System.nanoTime() - started, memory);
  }

  private static Selection naiveOnly(double[] y, Transform tr, Settings s, long started) {
    final Model m = new Naive();
    for (double v : y) {
      m.update(v);
    }
    return new Selection(m, null, tr, new double[0], List.of(new Scored("naive", 1, List.of())),
        List.of(), 0, System.nanoTime() - started, null);
  }
}
