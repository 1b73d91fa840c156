package io.meshcast.adapter.predict;

import io.meshcast.adapter.config.RuleConfig.Combine;
import io.meshcast.adapter.pipeline.Level;
import io.meshcast.adapter.pipeline.MetricDefinition;
import io.meshcast.adapter.pipeline.MetricResult;
import io.meshcast.adapter.pipeline.SeriesValue;
import io.meshcast.adapter.pipeline.Snapshot;
import io.meshcast.adapter.pipeline.SnapshotAssembler;
import io.meshcast.adapter.provider.GroupResource;
import io.meshcast.adapter.source.Sample;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * Publishes the derived metrics of {@link DerivedNames} as a {@link Snapshot} of their own, built
 * by the pipeline's {@link SnapshotAssembler} from the models' reports, so derived series get the
 * same history, indexing and staleness handling as observed ones. A derived metric is refreshed
 * only while its base metric's latest query succeeded; otherwise it records the base's error and
 * keeps its last refresh time, so it ages out under the base metric's {@code maxAge} policy exactly
 * as the base does.
 *
 * <p>{@link #publish} is called by one snapshot at a time; {@link #current()} and
 * {@link #definitions()} are volatile reads.
 */
final class DerivedPublisher {

  /** The values of one derived metric, or why there are none. */
  private record Answer(List<Sample> samples, Optional<String> error) {
    static Answer failed(String error) {
      return new Answer(List.of(), Optional.of(error));
    }
  }

  /**
   * Points of history kept per pod-level derived series. A pod's derived values are its Service's
   * shared (forecast.podModels: false) or a per-pod model's, and their history only feeds /debug's
   * plots; at the base history length the derived pod series (forecast, anomaly score, saturation:
   * about 2.3 per observed series) held 5.5 KB per observed series, more than everything else
   * together at 100k series (issue 14). Service-level derived series keep the base length.
   */
  static final int POD_HISTORY_POINTS = 16;

  private final SnapshotAssembler assembler;
  private final SnapshotAssembler podAssembler;
  private final Clock clock;
  private volatile Snapshot current;
  private volatile List<MetricDefinition> definitions = List.of();

  DerivedPublisher(int historyPoints, Clock clock) {
    this.assembler = new SnapshotAssembler(historyPoints);
    this.podAssembler = new SnapshotAssembler(Math.min(historyPoints, POD_HISTORY_POINTS));
    this.clock = clock;
    this.current = Snapshot.empty(clock.instant());
  }

  Snapshot current() {
    return current;
  }

  List<MetricDefinition> definitions() {
    return definitions;
  }

  /** Builds and publishes the derived snapshot for {@code base}; returns it. */
  Snapshot publish(Snapshot base, List<MetricDefinition> baseDefinitions, ModelRegistry models) {
    return publish(base, baseDefinitions, models, Map.of());
  }

  /**
   * As {@link #publish(Snapshot, List, ModelRegistry)}, with the service-level {@value
   * DemandPropagation#SIGNAL} forecast raised to the propagated demand where {@code upstream}
   * has it ({@link DemandPropagation#served}).
   */
  Snapshot publish(Snapshot base, List<MetricDefinition> baseDefinitions, ModelRegistry models,
      Map<String, DemandPropagation.Upstream> upstream) {
    Map<String, MetricDefinition> byKey = new LinkedHashMap<>();
    for (MetricDefinition d : baseDefinitions) {
      byKey.put(d.key(), d);
    }
    Map<MetricDefinition, Answer> answers = new LinkedHashMap<>();
    for (MetricDefinition d : byKey.values()) {
      if (!models.served(d)) {
        continue;
      }
      MetricResult r = base.results().get(d.key());
      ToDoubleFunction<SeriesReport> served = upstream.isEmpty() || d.level() != Level.SERVICE
          || !d.name().equals(DemandPropagation.SIGNAL) ? SeriesReport::served
          : rep -> DemandPropagation.served(rep.served(), upstream.get(rep.id()));
      answers.put(derived(d, d.name() + DerivedNames.FORECAST, d.combine(), d.windowSeconds()),
          answer(d, r, models, served));
      answers.put(derived(d, d.name() + DerivedNames.ANOMALY, Combine.MAX, d.windowSeconds()),
          answer(d, r, models, SeriesReport::anomalyScore));
    }
    for (Level level : List.of(Level.SERVICE, Level.POD)) {
      saturation(base, byKey, level, models, answers);
    }
    Snapshot previous = current;
    Instant at = clock.instant();
    Map<String, MetricResult> results = new LinkedHashMap<>();
    answers.forEach((d, a) -> {
      MetricResult before = previous.results().get(d.key());
      SnapshotAssembler as = d.level() == Level.POD ? podAssembler : assembler;
      results.put(d.key(), a.error().isPresent() ? as.failed(d, before, a.error().get())
          : as.assemble(d, before, a.samples(), at));
    });
    Snapshot next = new Snapshot(clock.instant(), results);
    definitions = List.copyOf(answers.keySet());
    current = next;
    return next;
  }

  /** kuma_saturation, its forecast and (service level) the per-pod forecast, by Little's law. */
  private void saturation(Snapshot base, Map<String, MetricDefinition> byKey, Level level,
      ModelRegistry models, Map<MetricDefinition, Answer> answers) {
    MetricDefinition rps = byKey.get(MetricDefinition.key(DerivedNames.RPS, level));
    MetricDefinition inflight = byKey.get(MetricDefinition.key(DerivedNames.INFLIGHT, level));
    if (rps == null || inflight == null || !models.served(rps) || !models.served(inflight)) {
      return;
    }
    MetricResult ri = base.results().get(inflight.key());
    MetricResult rr = base.results().get(rps.key());
    answers.put(derived(inflight, DerivedNames.SATURATION, Combine.SUM, OptionalLong.empty()),
        answer(inflight, ri, models, SeriesReport::observed));
    Answer sat = answer(inflight, ri, models,
        rep -> Saturation.forecast(rep, models.report(rps, rep.labels())));
    if (rr == null || rr.lastError().isPresent()) {
      sat = Answer.failed("base metric " + rps.name() + ": "
          + (rr == null ? "not refreshed yet" : rr.lastError().get()));
    }
    answers.put(derived(inflight, DerivedNames.SATURATION_FORECAST, Combine.SUM,
        OptionalLong.empty()), sat);
    MetricDefinition podInflight =
        byKey.get(MetricDefinition.key(DerivedNames.INFLIGHT, Level.POD));
    if (level != Level.SERVICE || podInflight == null) {
      return;
    }
    // Served on Services and as an external metric only (a Deployment's Services may overlap).
    MetricDefinition perPod = new MetricDefinition(DerivedNames.SATURATION_PER_POD_FORECAST,
        Level.CUSTOM, description(DerivedNames.SATURATION_PER_POD_FORECAST, inflight),
        OptionalLong.empty(), Combine.SUM, Set.of(GroupResource.SERVICES), true,
        inflight.identify());
    MetricResult pods = base.results().get(podInflight.key());
    Map<String, Integer> podCount = new HashMap<>();
    if (pods != null) {
      for (SeriesValue v : pods.series()) {
        podCount.merge(v.identity().kumaService(), 1, Integer::sum);
      }
    }
    Answer per = answer(inflight, ri, models, rep -> Saturation.perPod(
        Saturation.forecast(rep, models.report(rps, rep.labels())),
        podCount.getOrDefault(rep.kumaService(), 0)));
    answers.put(perPod, sat.error().isPresent() ? sat : per);
  }

  private static Answer answer(MetricDefinition d, MetricResult r, ModelRegistry models,
      ToDoubleFunction<SeriesReport> value) {
    if (r == null || r.refreshedAt().isEmpty()) {
      return Answer.failed("base metric " + d.name() + " has no data yet"
          + (r == null ? "" : r.lastError().map(e -> ": " + e).orElse("")));
    }
    if (r.lastError().isPresent()) {
      return Answer.failed("base metric " + d.name() + " is not refreshing: "
          + r.lastError().get());
    }
    List<Sample> samples = new ArrayList<>(r.series().size());
    for (SeriesValue v : r.series()) {
      SeriesReport rep = models.report(d, v.identity().labels());
      if (rep != null) {
        samples.add(new Sample(v.identity().labels(), v.timestamp(), value.applyAsDouble(rep)));
      }
    }
    return new Answer(List.copyOf(samples), Optional.empty());
  }

  private static MetricDefinition derived(MetricDefinition base, String name, Combine combine,
      OptionalLong window) {
    return new MetricDefinition(name, base.level(), description(name, base), window, combine,
        base.resources(), base.external(), base.identify());
  }

  /** Shown where a query would be: what the series is computed from (nothing queries it). */
  private static String description(String name, MetricDefinition base) {
    return "computed by meshcast: " + name + " from " + base.name();
  }
}
