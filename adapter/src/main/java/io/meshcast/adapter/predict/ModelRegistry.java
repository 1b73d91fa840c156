package io.meshcast.adapter.predict;

import io.meshcast.adapter.config.PredictConfig;
import io.meshcast.adapter.config.RuleConfig.Combine;
import io.meshcast.adapter.observability.ForecastMetrics;
import io.meshcast.adapter.pipeline.Level;
import io.meshcast.adapter.pipeline.MetricDefinition;
import io.meshcast.adapter.pipeline.MetricResult;
import io.meshcast.adapter.pipeline.SeriesHistory;
import io.meshcast.adapter.pipeline.SeriesIdentity;
import io.meshcast.adapter.pipeline.SeriesValue;
import io.meshcast.adapter.pipeline.Snapshot;
import io.meshcast.adapter.shard.Ownership;
import io.meshcast.forecast.FitReport;
import io.meshcast.forecast.ForecasterConfig;
import io.meshcast.forecast.Forecasters;
import io.meshcast.forecast.SeriesForecaster;
import java.time.Duration;
import java.util.HashMap;
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
 * <p><b>Sharing.</b> With several replicas each series is refitted only where {@link Ownership}
 * says so; elsewhere its model only follows the observations (O(1) per point) and adopts the
 * owner's fits ({@link FitExchange}).
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
  /** the same models by series id, for fits exchanged with other replicas */
  private final Map<String, SeriesModel> byId = new ConcurrentHashMap<>();
  private final Ownership ownership;
  /** Reports of pod series served by {@link ServiceShare}, replaced by every feed. */
  private volatile Map<SeriesKey, SeriesReport> shares = Map.of();
  private long generation;

  /**
   * @param step the model step (one point per step is fed)
   * @param refits where refits run (a worker pool in the server, the caller's thread in replays)
   */
  ModelRegistry(PredictConfig config, Duration step, ForecastMetrics metrics, Executor refits) {
    this(config, step, metrics, refits, Ownership.all());
  }

  /** @param ownership which series this replica refits (the others adopt fits) */
  ModelRegistry(PredictConfig config, Duration step, ForecastMetrics metrics, Executor refits,
      Ownership ownership) {
    this.ownership = ownership;
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

  /**
   * Whether {@code d}'s series get models of their own: a configured signal, and at pod level only
   * with {@code forecast.podModels} (otherwise pods share their Service's model, {@link
   * ServiceShare}).
   */
  boolean modelled(MetricDefinition d) {
    return served(d) && (d.level() != Level.POD || config.podModels());
  }

  /** Whether {@code d} gets forecasts and anomaly scores, from its own models or shared. */
  boolean served(MetricDefinition d) {
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
    String id = id(d, sh.identity());
    SeriesForecaster f = ownership.owns(id) ? Forecasters.create(forecasterConfig, start, grid)
        : follower(start, grid);
    if (f.status().refits() > 0) {
      metrics.fit(true, System.nanoTime() - t0);
    }
    metrics.bootstrapPoints(grid.length);
    long last = start + (grid.length - 1) * step.toMillis();
    SeriesModel m = new SeriesModel(f, Optional.of(last), decision(d));
    m.seed(grid);
    models.put(new SeriesKey(d.key(), sh.identity().labels()), m);
    byId.put(id, m);
    return true;
  }

  /** A forecaster that has seen the history but is not fitted: another replica fits it. */
  private SeriesForecaster follower(long start, double[] grid) {
    SeriesForecaster f = Forecasters.create(forecasterConfig);
    for (int i = 0; i < grid.length; i++) {
      f.update(start + i * step.toMillis(), grid[i]); // O(1) each; scores nothing unfitted
    }
    return f;
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
        String id = id(d, v.identity());
        SeriesModel m = models.computeIfAbsent(new SeriesKey(d.key(), v.identity().labels()),
            k -> new SeriesModel(Forecasters.create(forecasterConfig), Optional.empty(),
                decision(d)));
        byId.put(id, m);
        m.lastSeenGeneration = gen;
        if (v.partial()) {
          // A partly covered window is served, but it is not an observation (issue 17): feeding
          // it would teach the model a drop that never happened and score it as an anomaly.
          metrics.partialSkipped(d.name());
        } else if (m.observe(id, d.level(), v.identity(), v.timestamp(), v.value())) {
          metrics.anomalyScore(d.name(), m.report().anomalyScore());
        }
        SeriesReport report = m.report();
        if (report != null) { // null until the model's first real observation (not a partial one)
          out.put(id, report);
        }
        if (m.forecaster().refitDue() && !m.refitting && ownership.owns(id)) {
          refit(m);
        }
      }
    }
    models.values().removeIf(m -> gen - m.lastSeenGeneration > DROP_AFTER_REFRESHES);
    byId.values().removeIf(m -> gen - m.lastSeenGeneration > DROP_AFTER_REFRESHES);
    shares = shareWithPods(base, definitions, out);
    return out;
  }

  /**
   * Pod series of served but unmodelled definitions get their Service's report shared over the
   * pods reporting the signal ({@link ServiceShare}); a pod whose Service has no report yet gets
   * none (its derived metric is absent, as for a model without data). Adds them to {@code out}.
   */
  private Map<SeriesKey, SeriesReport> shareWithPods(Snapshot base,
      List<MetricDefinition> definitions, Map<String, SeriesReport> out) {
    Map<SeriesKey, SeriesReport> next = new HashMap<>();
    for (MetricDefinition d : definitions) {
      if (d.level() != Level.POD || !served(d) || modelled(d)) {
        continue;
      }
      String serviceKey = MetricDefinition.key(d.name(), Level.SERVICE);
      MetricResult pods = base.results().get(d.key());
      MetricResult services = base.results().get(serviceKey);
      if (pods == null || pods.refreshedAt().isEmpty() || services == null) {
        continue;
      }
      Map<String, SeriesReport> byKumaService = new HashMap<>();
      for (SeriesValue v : services.series()) {
        SeriesModel m = models.get(new SeriesKey(serviceKey, v.identity().labels()));
        if (m != null && m.report() != null && !v.identity().kumaService().isEmpty()) {
          byKumaService.put(v.identity().kumaService(), m.report());
        }
      }
      Map<String, Integer> podCount = new HashMap<>();
      for (SeriesValue v : pods.series()) {
        podCount.merge(v.identity().kumaService(), 1, Integer::sum);
      }
      boolean additive = d.combine() == Combine.SUM;
      for (SeriesValue v : pods.series()) {
        SeriesReport service = byKumaService.get(v.identity().kumaService());
        if (service == null) {
          continue;
        }
        String id = id(d, v.identity());
        SeriesReport share = ServiceShare.of(id, d.name(), v, service,
            podCount.get(v.identity().kumaService()), additive);
        next.put(new SeriesKey(d.key(), v.identity().labels()), share);
        out.put(id, share);
      }
    }
    return next;
  }

  /** The latest report of a series, or null when it has no model yet. */
  SeriesReport report(MetricDefinition d, Map<String, String> labels) {
    SeriesKey key = new SeriesKey(d.key(), labels);
    SeriesModel m = models.get(key);
    return m == null ? shares.get(key) : m.report();
  }

  /** The forecaster of a series by id, or null when it has no model here. */
  SeriesForecaster forecaster(String id) {
    SeriesModel m = byId.get(id);
    return m == null ? null : m.forecaster();
  }

  /** The ids of the modelled series (a live view). */
  java.util.Set<String> ids() {
    return byId.keySet();
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
