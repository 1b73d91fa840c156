package io.meshcast.forecast;

import java.util.List;

/**
 * What a refit chose and why.
 *
 * @param modelName the chosen model or combination
 * @param candidates validation score of every candidate validated in this refit, best first (a
 *     steady-state refit validates only the shortlist of the previous one; see {@code
 *     ModelSelection})
 * @param seasonalPeriods detected seasonal periods in steps (empty if none)
 * @param fitPoints history length used
 * @param validationPoints length of the rolling-origin validation part
 * @param durationNanos wall time of the fit
 */
public record FitReport(
    String modelName,
    List<Candidate> candidates,
    List<Integer> seasonalPeriods,
    int fitPoints,
    int validationPoints,
    long durationNanos) {

  public FitReport {
    candidates = List.copyOf(candidates);
    seasonalPeriods = List.copyOf(seasonalPeriods);
  }

  /**
   * One candidate's rolling-origin validation result.
   *
   * @param name model name, e.g. {@code "hw(1440)/log1p"}
   * @param relativeMae mean over the validation horizons of MAE / naive MAE (lower is better)
   * @param parameters fitted smoothing parameters, in the model's documented order
   */
  public record Candidate(String name, double relativeMae, List<Double> parameters) {
    public Candidate {
      parameters = List.copyOf(parameters);
    }
  }
}
