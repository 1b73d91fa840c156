package io.meshcast.adapter.predict;

import io.meshcast.adapter.config.PredictConfig;
import io.meshcast.adapter.observability.ForecastMetrics;
import io.meshcast.adapter.pipeline.MetricDefinition;
import io.meshcast.adapter.pipeline.SeriesHistory;
import io.meshcast.adapter.pipeline.Snapshot;
import io.meshcast.adapter.shard.Ownership;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * The forecast path from an observed snapshot to the derived one, synchronously: each published
 * snapshot is fed to the {@link ModelRegistry}, whose models serve through {@link
 * ServingDecision}; the {@link DerivedPublisher} turns their reports into the derived snapshot and
 * the {@link ForecastRecorder} records what was served. The server runs {@link #accept} on its
 * forecast worker pool for every snapshot the pipeline publishes; the load-test replay calls it
 * directly, once per simulated refresh, with refits on its own thread.
 *
 * <p><b>Model step.</b> The step is {@code forecast.step} when set, else the refresh interval in
 * force. When a config reload changes the refresh interval the models' grid no longer matches
 * the data, so the next snapshot replaces every model by one on the new step (logged as {@code
 * event=forecast_step_changed}); {@link #stepChanges()} lets the owner bootstrap them again.
 *
 * <p>{@link #accept} must be called by one thread at a time; the getters are thread-safe.
 */
public final class ForecastPath {

  private static final Logger LOG = Logger.getLogger(ForecastPath.class.getName());

  private final PredictConfig config;
  private final Supplier<List<MetricDefinition>> definitions;
  private final Supplier<Duration> refreshInterval;
  private final ForecastMetrics metrics;
  private final Executor refits;
  private final Ownership ownership;
  private final DerivedPublisher publisher;
  private final ForecastRecorder recorder;
  private volatile ModelRegistry models;
  private volatile Map<String, SeriesReport> reports = Map.of();
  private volatile long stepChanges;
  private volatile DemandPropagation propagation = DemandPropagation.NONE;
  private volatile Map<String, DemandPropagation.Upstream> upstream = Map.of();

  /**
   * @param definitions the pipeline's definitions (their order is the derived metrics' order)
   * @param refreshInterval the pipeline's refresh interval in force (read at every snapshot)
   * @param historyPoints history kept per derived series
   * @param refits where model refits run
   */
  public ForecastPath(PredictConfig config, Supplier<List<MetricDefinition>> definitions,
      Supplier<Duration> refreshInterval, int historyPoints, Clock clock,
      ForecastMetrics metrics, Executor refits) {
    this(config, definitions, refreshInterval, historyPoints, clock, metrics, refits,
        Ownership.all());
  }

  /** As above; {@code ownership} names the series this replica refits (sharding). */
  public ForecastPath(PredictConfig config, Supplier<List<MetricDefinition>> definitions,
      Supplier<Duration> refreshInterval, int historyPoints, Clock clock,
      ForecastMetrics metrics, Executor refits, Ownership ownership) {
    this.ownership = ownership;
    this.config = config;
    this.definitions = definitions;
    this.refreshInterval = refreshInterval;
    this.metrics = metrics;
    this.refits = refits;
    this.publisher = new DerivedPublisher(Math.max(16, historyPoints), clock);
    this.recorder = new ForecastRecorder(metrics);
    this.models = new ModelRegistry(config, wantedStep(), metrics, refits, ownership);
  }

  /** Feeds one published snapshot and publishes the derived one; returns it. */
  public Snapshot accept(Snapshot base) {
    long t0 = System.nanoTime();
    Duration step = wantedStep();
    if (!step.equals(models.step())) {
      LOG.warning("event=forecast_step_changed from=" + models.step() + " to=" + step
          + " detail=\"the refresh interval changed; models restart on the new step\"");
      models = new ModelRegistry(config, step, metrics, refits, ownership);
      stepChanges++;
    }
    ModelRegistry m = models;
    List<MetricDefinition> defs = definitions.get();
    Map<String, SeriesReport> out = m.feed(base, defs);
    reports = Map.copyOf(out);
    upstream = propagate(out);
    Snapshot derived = publisher.publish(base, defs, m, upstream);
    recorder.record(out.values());
    metrics.update(System.nanoTime() - t0);
    return derived;
  }

  /** Sets the upstream-demand hook used from the next snapshot on. */
  public void propagation(DemandPropagation p) {
    this.propagation = java.util.Objects.requireNonNull(p, "propagation");
  }

  /** The propagated demand of the latest snapshot, by series id (empty without propagation). */
  public Map<String, DemandPropagation.Upstream> upstream() {
    return upstream;
  }

  /** A failing hook costs the propagation, never the forecasts: logged, nothing propagated. */
  private Map<String, DemandPropagation.Upstream> propagate(Map<String, SeriesReport> out) {
    try {
      return Map.copyOf(propagation.propagate(out));
    } catch (RuntimeException e) {
      LOG.warning("event=demand_propagation_failed error=\"" + e + "\" detail=\"forecasts are"
          + " served without upstream demand this refresh\"");
      return Map.of();
    }
  }

  /** Fits one series' model from bootstrap history; false when it had no points. */
  public boolean load(MetricDefinition d, SeriesHistory history) {
    return models.modelled(d) && models.load(d, history);
  }

  /** The models in force (replaced when the step changes). */
  ModelRegistry models() {
    return models;
  }

  /** Whether {@code d} is forecast (a configured signal at service or pod level). */
  public boolean modelled(MetricDefinition d) {
    return models.modelled(d);
  }

  /** The latest report of every modelled series, by id. */
  public Map<String, SeriesReport> reports() {
    return reports;
  }

  /** The derived metrics' latest snapshot. */
  public Snapshot derived() {
    return publisher.current();
  }

  /** The derived metrics' definitions as of the latest snapshot. */
  public List<MetricDefinition> derivedDefinitions() {
    return publisher.definitions();
  }

  /** The model step in use. */
  public Duration step() {
    return models.step();
  }

  /** The lead in model steps. */
  public int leadSteps() {
    return models.leadSteps();
  }

  /** How many times the models were replaced because the refresh interval changed. */
  public long stepChanges() {
    return stepChanges;
  }

  private Duration wantedStep() {
    return config.step().orElseGet(refreshInterval);
  }
}
