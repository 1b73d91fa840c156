package io.meshcast.loadtest.replay;

import io.meshcast.adapter.config.KumaConfig;
import io.meshcast.adapter.config.KumaConfig.RegimeSetting;
import io.meshcast.adapter.hpa.ReplicaCalculator;
import io.meshcast.adapter.kuma.KumaQueries;
import io.meshcast.adapter.kuma.Regime;
import io.meshcast.adapter.observability.ForecastMetrics;
import io.meshcast.adapter.pipeline.Level;
import io.meshcast.adapter.pipeline.MetricDefinition;
import io.meshcast.adapter.pipeline.MetricResult;
import io.meshcast.adapter.pipeline.SeriesValue;
import io.meshcast.adapter.pipeline.Snapshot;
import io.meshcast.adapter.pipeline.SnapshotAssembler;
import io.meshcast.adapter.predict.ForecastPath;
import io.meshcast.adapter.config.PredictConfig;
import io.meshcast.adapter.predict.SeriesReport;
import io.meshcast.adapter.predict.ServingDecision;
import io.meshcast.adapter.source.Sample;
import io.meshcast.loadtest.hpa.HpaSpec;
import io.meshcast.loadtest.hpa.MetricReading;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/*
 * meshcast predictive, driven through the adapter's own forecast path. At every simulated refresh
 * the replay builds the snapshot the adapter's refresher would publish — the Kuma preset
 * definition of kuma_demand_rps at service level (legacy regime), whose one series is what
 * Prometheus answers for the service: the sum over pods of rate(counter[1m]) plus the callers'
 * rejected rate and the deriv of their pending queue (Cluster) — with the adapter's
 * SnapshotAssembler, and hands it to io.meshcast.adapter.predict.ForecastPath.accept, exactly as
 * the server's snapshot listener does. The model step is the refresh interval (15 s), the lead is
 * the replay's lead, refits run synchronously on the simulation thread (in the server they run on
 * the worker pool while the previous model keeps serving; here a refit is available up to one
 * fit-duration earlier).
 *
 * The HPA reads kuma_demand_rps_forecast from the derived snapshot as an External metric with an
 * AverageValue target equal to the reactive policy's per-pod target, so it asks for
 * ceil(served / target) pods. ServingDecision decides the value and the rule; this class only
 * counts the rules for the report.
 */
final class MeshcastPolicy implements AutoscalingPolicy {

  static final String KUMA_SERVICE = "web_replay_svc_80";
  static final String SIGNAL = "kuma_demand_rps";
  private static final Map<String, String> LABELS = Map.of("kuma_io_service", KUMA_SERVICE);

  private final int rateWindowSeconds;
  private final Instant origin;
  private final Simulation.SimClock clock;
  private final MetricDefinition demand;
  private final SnapshotAssembler assembler;
  private final ForecastPath path;
  private final Map<ServingDecision.Rule, Long> rules = new EnumMap<>(ServingDecision.Rule.class);
  private MetricResult last;
  private double served = Double.NaN;

  /**
   * @param config the adapter's forecast settings (signals are reduced to kuma_demand_rps)
   * @param refreshSeconds the adapter's refresh interval
   */
  MeshcastPolicy(PredictConfig config, int refreshSeconds, Instant origin) {
    this(config, refreshSeconds, ReplayConfig.defaults().rateWindow(), origin);
  }

  /** @param rateWindowSeconds the adapter's {@code kuma.rateWindow} (the range it queries) */
  MeshcastPolicy(PredictConfig config, int refreshSeconds, int rateWindowSeconds,
      Instant origin) {
    this.rateWindowSeconds = rateWindowSeconds;
    this.origin = origin;
    this.clock = new Simulation.SimClock(origin);
    KumaConfig kuma = new KumaConfig(RegimeSetting.LEGACY, Duration.ofSeconds(rateWindowSeconds),
        Optional.empty(), Optional.empty(), Optional.empty(), List.of("app"),
        Set.of(SIGNAL));
    this.demand = new KumaQueries(Regime.LEGACY, kuma).definitions().stream()
        .filter(d -> d.name().equals(SIGNAL) && d.level() == Level.SERVICE)
        .findFirst().orElseThrow();
    this.assembler = new SnapshotAssembler(16);
    Duration refresh = Duration.ofSeconds(refreshSeconds);
    this.path = new ForecastPath(config.withSignals(Set.of(SIGNAL)), () -> List.of(demand),
        () -> refresh, 16, clock, new ForecastMetrics(new PrometheusRegistry(), () -> 0),
        Runnable::run);
  }

  /** The adapter's defaults with the replay's lead. */
  static PredictConfig defaults(long leadSeconds) {
    return PredictConfig.defaults().withLead(Duration.ofSeconds(leadSeconds));
  }

  @Override
  public String name() {
    return "meshcast-predictive";
  }

  @Override
  public HpaSpec.Metric metric(double targetRpsPerPod) {
    return HpaSpec.Metric.external(SIGNAL + "_forecast", HpaSpec.TargetType.AVERAGE_VALUE,
        targetRpsPerPod);
  }

  @Override
  public int rateWindowSeconds() {
    return rateWindowSeconds;
  }

  @Override
  public void onRefresh(Cluster.Snapshot snapshot) {
    Instant at = origin.plusSeconds(snapshot.time());
    clock.set(snapshot.time());
    List<Sample> samples = snapshot.ratesByPod().isEmpty() ? List.of()
        : List.of(new Sample(LABELS, at, snapshot.demandRate()));
    last = assembler.assemble(demand, last, samples, at);
    Snapshot derived = path.accept(new Snapshot(at, Map.of(demand.key(), last)));
    served = derived.result(SIGNAL + "_forecast", Level.SERVICE)
        .flatMap(r -> r.series().stream().findFirst())
        .map(SeriesValue::value)
        .orElse(Double.NaN);
    for (SeriesReport r : path.reports().values()) {
      rules.merge(r.rule(), 1L, Long::sum);
    }
  }

  @Override
  public MetricReading reading(long now, Cluster.Snapshot latest) {
    if (Double.isNaN(served)) {
      return MetricReading.failed("no metrics returned from external metrics API");
    }
    return MetricReading.external(ReplicaCalculator.milli(served));
  }

  /** The value served at the latest refresh (NaN before the first). */
  double served() {
    return served;
  }

  /** Fraction of refreshes at which the forecast (not the fallback) decided the served value. */
  double forecastShare() {
    long all = rules.values().stream().mapToLong(Long::longValue).sum();
    long fallback = rules.getOrDefault(ServingDecision.Rule.FALLBACK, 0L)
        + rules.getOrDefault(ServingDecision.Rule.NO_DATA, 0L);
    return all == 0 ? 0 : (double) (all - fallback) / all;
  }

  /** Refreshes per rule, by rule label. */
  Map<String, Long> ruleCounts() {
    Map<String, Long> out = new java.util.LinkedHashMap<>();
    rules.forEach((k, v) -> out.put(k.label(), v));
    return out;
  }

  /** The lead in model steps. */
  int leadSteps() {
    return path.leadSteps();
  }

  String describe() {
    SeriesReport r = path.reports().values().stream().findFirst().orElse(null);
    return String.format(Locale.ROOT, "served by rule %s; model %s, relative error vs naive %.3f,"
            + " %d refits, step %s, lead %d steps", rules, r == null ? "-" : r.model(),
        r == null ? Double.NaN : r.relativeError(), r == null ? 0 : r.refits(), path.step(),
        path.leadSteps());
  }
}
