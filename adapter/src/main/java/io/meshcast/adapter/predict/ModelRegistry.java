package io.meshcast.adapter.predict;

import io.meshcast.adapter.observability.ForecastMetrics;
import io.meshcast.adapter.pipeline.Level;
import io.meshcast.adapter.pipeline.MetricDefinition;
import io.meshcast.adapter.pipeline.MetricResult;
import io.meshcast.adapter.pipeline.SeriesHistory;
import io.meshcast.adapter.pipeline.SeriesIdentity;
import io.meshcast.adapter.pipeline.SeriesValue;
import io.meshcast.adapter.pipeline.Snapshot;
import io.meshcast.forecast.FitReport;
import io.meshcast.forecast.ForecasterConfig;
import io.meshcast.forecast.Forecasters;
import io.meshcast.forecast.SeriesForecaster;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * The forecasting models of one model step: one {@link SeriesModel} per modelled series (a golden
 * signal named in {@code forecast.signals}, at service or pod level), created on first sight or
 * from bootstrap history, fed once per published snapshot, refitted on the injected executor when
 * due, and dropped after {@value #DROP_AFTER_REFRESHES} snapshots without the series (bounded
 * memory).
 *
 * <p>{@link #feed} is called by one snapshot at a time; {@link #load} may run concurrently with
 * other loads (bootstrap, before feeding starts). Reads ({@link #report}) are thread-safe.
 */
final class ModelRegistry {

  /** Models of series absent for this many consecutive refreshes are dropped. */
  static final int DROP_AFTER_REFRESHES = 60;

  /** A series: its definition and its labels. */
  record SeriesKey(String definitionKey, Map<String, String> labels) {}

  private final PredictConfig config;
  private final Duration step;
  private final int leadSteps;
  private final ForecasterConfig forecasterConfig;
  private final ForecastMetrics metrics;
  private final Executor refits;
  private final Map<SeriesKey, SeriesModel> models = new ConcurrentHashMap<>();
  private long generation;

  /**
   * @param step the model step (one point per step is fed)
   * @param refits where refits run (a worker pool in the server, the caller's thread in replays)
   */
  ModelRegistry(PredictConfig config, Duration step, ForecastMetrics metrics, Executor refits) {
    this.config = config;
    this.step = step;
    this.leadSteps = (int) Math.max(1,
        (config.lead().toMillis() + step.toMillis() - 1) / step.toMillis());
    this.forecasterConfig = SeriesModel.forecasterConfig(config, step, leadSteps);
    this.metrics = metrics;
    this.refits = refits;
  }

  Duration step() {
    return step;
  }

  int leadSteps() {
    return leadSteps;
  }

  boolean modelled(MetricDefinition d) {
    // Custom-level definitions (prometheus-adapter rules) are modelled when named in signals.
    return config.signals().contains(d.name());
  }

  /** Fits one series' model from its range history; false when it has no points. */
  boolean load(MetricDefinition d, SeriesHistory sh) {
    if (sh.history().size() == 0) {
      return false;
    }
    long[] t = sh.history().timestampsMillis();
    double[] grid = Resample.onGrid(t, sh.history().values(), step.toMillis(),
        forecasterConfig.historyCapacity());
    long start = Resample.gridStart(t, step.toMillis(), grid.length);
    long t0 = System.nanoTime();
    SeriesForecaster f = Forecasters.create(forecasterConfig, start, grid);
    if (f.status().refits() > 0) {
      metrics.fit(true, System.nanoTime() - t0);
    }
    metrics.bootstrapPoints(grid.length);
    long last = start + (grid.length - 1) * step.toMillis();
    SeriesModel m = new SeriesModel(f, Optional.of(last), decision(d));
    m.seed(grid);
    models.put(new SeriesKey(d.key(), sh.identity().labels()), m);
    return true;
  }

  /**
   * Feeds every modelled series of {@code base} to its model and schedules due refits. Returns the
   * reports by series id, in definition order.
   */
  Map<String, SeriesReport> feed(Snapshot base, List<MetricDefinition> definitions) {
    long gen = ++generation;
    Map<String, SeriesReport> out = new LinkedHashMap<>();
    for (MetricDefinition d : definitions) {
      if (!modelled(d)) {
        continue;
      }
      MetricResult r = base.results().get(d.key());
      if (r == null || r.refreshedAt().isEmpty()) {
        continue;
      }
      for (SeriesValue v : r.series()) {
        SeriesModel m = models.computeIfAbsent(new SeriesKey(d.key(), v.identity().labels()),
            k -> new SeriesModel(Forecasters.create(forecasterConfig), Optional.empty(),
                decision(d)));
        m.lastSeenGeneration = gen;
        String id = id(d, v.identity());
        if (v.partial()) {
          // A partly covered window is served, but it is not an observation (issue 17): feeding
          // it would teach the model a drop that never happened and score it as an anomaly.
          metrics.partialSkipped(d.name());
        } else if (m.observe(id, d.level(), v.identity(), v.timestamp(), v.value())) {
          metrics.anomalyScore(d.name(), m.report().anomalyScore());
        }
        out.put(id, m.report());
        if (m.forecaster().refitDue() && !m.refitting) {
          refit(m);
        }
      }
    }
    models.values().removeIf(m -> gen - m.lastSeenGeneration > DROP_AFTER_REFRESHES);
    return out;
  }

  /** The latest report of a series, or null when it has no model yet. */
  SeriesReport report(MetricDefinition d, Map<String, String> labels) {
    SeriesModel m = models.get(new SeriesKey(d.key(), labels));
    return m == null ? null : m.report();
  }

  private ServingDecision decision(MetricDefinition d) {
    return new ServingDecision(leadSteps, config.safety(), config.maxRelativeError(),
        config.servedQuantile(),
        d.name().equals("kuma_error_ratio"), config.surge(), config.trendBound(),
        (int) Math.max(1, Math.round(d.windowSeconds().orElse(0) * 1000.0 / step.toMillis())));
  }

  private void refit(SeriesModel m) {
    m.refitting = true;
    refits.execute(() -> {
      long t0 = System.nanoTime();
      try {
        FitReport ignored = m.forecaster().refit();
        metrics.fit(true, System.nanoTime() - t0);
      } catch (RuntimeException e) {
        metrics.fit(false, 0);
        throw e;
      } finally {
        m.refitting = false;
      }
    });
  }

  /** Stable identifier {@code namespace/object/signal}, {@code @pod} for pod-level series. */
  static String id(MetricDefinition d, SeriesIdentity identity) {
    String object = d.level() == Level.POD ? identity.pod()
        : d.level() == Level.CUSTOM ? customObject(identity)
        : identity.service().isEmpty() ? identity.kumaService() : identity.service();
    return identity.namespace() + "/" + object + "/" + d.name()
        + (d.level() == Level.POD ? "@pod" : "");
  }

  /** The object a custom row describes; external rows are told apart by their labels. */
  private static String customObject(SeriesIdentity identity) {
    for (String o : List.of(identity.pod(), identity.service(), identity.deployment())) {
      if (!o.isEmpty()) {
        return o;
      }
    }
    Map<String, String> ext = new java.util.TreeMap<>(identity.externalLabels());
    return ext.isEmpty() ? "-" : ext.toString().replace(" ", "");
  }
}
