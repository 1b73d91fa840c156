package io.meshcast.adapter.pipeline;

import io.meshcast.adapter.source.Sample;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Turns one definition's latest samples into its {@link MetricResult}: identifies each row,
 * appends the value to that series' history from the previous result, and indexes the series by
 * object. The same assembly serves the observed series (one Prometheus query each refresh, in
 * {@link Refresher}) and the derived series the forecast path computes (forecasts, anomaly
 * scores), so both get the same history, indexing and staleness behaviour.
 *
 * <p>Infinite values are stored as NaN (no HPA can use them; the NaN policy decides at request
 * time). Stateless and thread-safe.
 */
public final class SnapshotAssembler {

  private final int historyPoints;

  /** @param historyPoints points of history kept per series */
  public SnapshotAssembler(int historyPoints) {
    if (historyPoints < 1) {
      throw new IllegalArgumentException("historyPoints must be >= 1, was " + historyPoints);
    }
    this.historyPoints = historyPoints;
  }

  /** What the window-coverage rule made of one row: the value to record and its coverage. */
  record Judged(double value, WindowCoverage coverage) {}

  /**
   * The result of a successful evaluation of {@code d} at {@code at}.
   *
   * @param previous the definition's result in the previous snapshot, or null
   */
  public MetricResult assemble(MetricDefinition d, MetricResult previous, List<Sample> samples,
      Instant at) {
    return assemble(d, previous, samples, at,
        s -> new Judged(s.value(), WindowCoverage.FULL));
  }

  /**
   * As {@link #assemble(MetricDefinition, MetricResult, List, Instant)}, with each row judged by
   * the window-coverage rule. An insufficient row keeps the series' previous value with its own
   * timestamp (the staleness policy then ages it out) and appends nothing to its history; a row
   * without a previous value is NaN.
   */
  MetricResult assemble(MetricDefinition d, MetricResult previous, List<Sample> samples,
      Instant at, Function<Sample, Judged> judge) {
    Map<Map<String, String>, SeriesValue> old = new HashMap<>();
    if (previous != null) {
      for (SeriesValue s : previous.series()) {
        old.put(s.identity().labels(), s);
      }
    }
    List<SeriesValue> out = new ArrayList<>(samples.size());
    int unidentified = 0;
    for (Sample s : samples) {
      Optional<SeriesIdentity> id = d.identify().apply(s.labels());
      if (id.isEmpty()) {
        unidentified++;
        continue;
      }
      Judged j = judge.apply(s);
      SeriesValue prev = old.get(id.get().labels());
      if (j.coverage().state() == WindowCoverage.State.INSUFFICIENT) {
        out.add(prev != null
            ? new SeriesValue(id.get(), prev.timestamp(), prev.value(), prev.history(),
                j.coverage())
            : new SeriesValue(id.get(), s.timestamp(), Double.NaN, History.empty(),
                j.coverage()));
        continue;
      }
      double v = Double.isInfinite(j.value()) ? Double.NaN : j.value();
      History h = (prev == null ? History.empty() : prev.history())
          .append(s.timestamp().toEpochMilli(), v, historyPoints);
      out.add(new SeriesValue(id.get(), s.timestamp(), v, h, j.coverage()));
    }
    return MetricResult.of(d, at, out, unidentified);
  }

  /**
   * The result of a failed evaluation: the previous series kept with their old refresh time (so
   * the staleness policy ages them out) and the error recorded.
   */
  public MetricResult failed(MetricDefinition d, MetricResult previous, String error) {
    return previous == null ? MetricResult.pending(d, Optional.of(error))
        : previous.withError(error);
  }
}
