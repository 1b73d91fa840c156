package io.meshcast.adapter.predict;

import io.meshcast.adapter.observability.ForecastMetrics;
import io.meshcast.adapter.pipeline.Level;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.logging.Logger;

/**
 * Records what the forecast path served after each snapshot: series per (signal, level), their
 * mean relative error, fallbacks per reason (a counter and a gauge), and one log line whenever
 * the fallback picture changes (not one per series per refresh). Called by one snapshot at a
 * time.
 */
final class ForecastRecorder {

  private static final Logger LOG = Logger.getLogger(ForecastRecorder.class.getName());

  /** The label pair the forecast metrics are broken down by. */
  private record SeriesClass(String signal, Level level) {
    String levelLabel() {
      return level.label();
    }
  }

  /** Per class: series count, error sum and count, fallbacks per reason. */
  private static final class Tally {
    int series;
    double errorSum;
    int errorCount;
    final Map<FallbackReason, Integer> fallbacks = new EnumMap<>(FallbackReason.class);
  }

  private final ForecastMetrics metrics;
  private String lastSummary = "";

  ForecastRecorder(ForecastMetrics metrics) {
    this.metrics = metrics;
  }

  void record(Collection<SeriesReport> reports) {
    Map<SeriesClass, Tally> tallies = new HashMap<>();
    for (SeriesReport r : reports) {
      Tally t = tallies.computeIfAbsent(new SeriesClass(r.signal(), r.level()), k -> new Tally());
      t.series++;
      if (!Double.isNaN(r.relativeError())) {
        t.errorSum += r.relativeError();
        t.errorCount++;
      }
      r.fallbackReason().ifPresent(reason -> {
        t.fallbacks.merge(reason, 1, Integer::sum);
        metrics.fallback(r.signal(), reason.label());
      });
    }
    Map<String, Integer> byReason = new TreeMap<>();
    tallies.forEach((c, t) -> {
      metrics.series(c.signal(), c.levelLabel(), t.series);
      if (t.errorCount > 0) {
        metrics.relativeError(c.signal(), c.levelLabel(), t.errorSum / t.errorCount);
      }
      for (FallbackReason reason : FallbackReason.values()) {
        int n = t.fallbacks.getOrDefault(reason, 0);
        metrics.fallbackSeries(c.signal(), c.levelLabel(), reason.label(), n);
        byReason.merge(reason.label(), n, Integer::sum);
      }
    });
    String summary = byReason.toString();
    if (!summary.equals(lastSummary)) {
      lastSummary = summary;
      LOG.info("event=forecast_fallbacks series=" + reports.size() + " serving_observed="
          + summary.replace(" ", ""));
    }
  }
}
