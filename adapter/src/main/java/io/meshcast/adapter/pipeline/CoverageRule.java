package io.meshcast.adapter.pipeline;

import io.meshcast.adapter.source.Sample;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How much of a rate or quantile window the samples covered, and what that means for serving:
 * the rows of a definition's coverage companion query and the rule that judges them. Stateless.
 */
final class CoverageRule {

  /**
   * A window covered at least this much is complete: the plain windowed value is used. The
   * coverage is measured to 1/60 of the window, so a fully scraped window measures 0.98 to 1;
   * below, {@code rate} would under-estimate by the missing share, so the covered-span value is
   * used (and flagged partial below {@code minWindowCoverage}).
   */
  static final double COMPLETE = 0.97;

  /** One row of a coverage companion; NaN/-1 where the part was absent. */
  record CoverageRow(double fraction, long samples, double observations) {

    static Map<Map<String, String>, CoverageRow> index(List<Sample> rows) {
      Map<Map<String, String>, CoverageRow> out = new HashMap<>();
      for (Sample s : rows) {
        Map<String, String> key = new HashMap<>(s.labels());
        String part = key.remove(MetricDefinition.CoverageSpec.PART_LABEL);
        if (part == null) {
          continue;
        }
        CoverageRow r = out.getOrDefault(key, new CoverageRow(Double.NaN, -1, Double.NaN));
        if ("coverage".equals(part)) {
          r = new CoverageRow(s.value(), r.samples, r.observations);
        } else if ("samples".equals(part)) {
          r = new CoverageRow(r.fraction, (long) s.value(), r.observations);
        } else if ("observations".equals(part)) {
          r = new CoverageRow(r.fraction, r.samples, s.value());
        }
        out.put(Map.copyOf(key), r);
      }
      return out;
    }
  }

  /**
   * The coverage rule. A window covered less than {@link #COMPLETE} takes its covered-span value
   * (a plain rate would under-estimate); below {@code minCoverage} that value is partial, or
   * insufficient when a member series has fewer than {@code minSamples} samples (the staleness
   * policy applies); a quantile over fewer than {@code minObservations} requests is partial.
   */
  static WindowCoverage judge(
      MetricDefinition.CoverageSpec spec, CoverageRow row, Double coveredValue) {
    if (row == null) {
      return new WindowCoverage(0, 0, 0, WindowCoverage.State.INSUFFICIENT);
    }
    double fraction = Double.isNaN(row.fraction) ? 0 : row.fraction;
    long samples = Math.max(0, row.samples);
    double obs = Double.isNaN(row.observations) ? 0 : row.observations;
    WindowCoverage.State state;
    if (fraction < COMPLETE && coveredValue == null) {
      state = WindowCoverage.State.INSUFFICIENT;
    } else if (fraction < spec.minCoverage()) {
      // A covered-span rate over a short span is dominated by scrape-time jitter (0.3 s on a
      // 2 s span is 15 %): below minServedCoverage it is not served, like too few samples.
      state = samples >= spec.minSamples() && fraction >= spec.minServedCoverage()
          ? WindowCoverage.State.PARTIAL : WindowCoverage.State.INSUFFICIENT;
    } else if (spec.minObservations() > 0 && obs < spec.minObservations()) {
      state = WindowCoverage.State.PARTIAL;
    } else {
      state = WindowCoverage.State.FULL;
    }
    return new WindowCoverage(fraction, samples, obs, state);
  }

  private CoverageRule() {}
}
