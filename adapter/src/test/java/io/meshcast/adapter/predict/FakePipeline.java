package io.meshcast.adapter.predict;

import io.meshcast.adapter.config.KumaConfig;
import io.meshcast.adapter.config.KumaConfig.RegimeSetting;
import io.meshcast.adapter.config.PolicyConfig;
import io.meshcast.adapter.config.PredictConfig;
import io.meshcast.adapter.k8s.ClusterView;
import io.meshcast.adapter.kuma.KumaQueries;
import io.meshcast.adapter.kuma.Regime;
import io.meshcast.adapter.pipeline.Level;
import io.meshcast.adapter.pipeline.MetricDefinition;
import io.meshcast.adapter.pipeline.PipelineMetrics;
import io.meshcast.adapter.pipeline.Policies;
import io.meshcast.adapter.pipeline.Refresher;
import io.meshcast.adapter.pipeline.SeriesHistory;
import io.meshcast.adapter.pipeline.Snapshot;
import io.meshcast.adapter.pipeline.SnapshotListeners;
import io.meshcast.adapter.provider.snapshot.ServingState;
import io.meshcast.adapter.provider.snapshot.SnapshotMetricsProvider;
import io.meshcast.adapter.source.MetricSource;
import io.meshcast.adapter.source.RangeSeries;
import io.meshcast.adapter.source.Sample;
import io.meshcast.adapter.source.SourceException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.DoubleUnaryOperator;

/**
 * A real pipeline (Kuma legacy-regime definitions, refresher, snapshot provider) over a
 * programmable source: each (signal, level) has a value as a function of the refresh count, one
 * Kuma service {@code web_shop_svc_80} with pods {@code web-1}, {@code web-2}; the source can be
 * made to fail. Range queries return {@code rangePoints} points ending at the query's end.
 */
final class FakePipeline implements PipelineView {

  static final Duration STEP = Duration.ofSeconds(15);
  static final String NS = "shop";
  static final String KUMA_SERVICE = "web_shop_svc_80";

  final Clock clock;
  final List<MetricDefinition> definitions;
  final Refresher refresher;
  final AtomicReference<Snapshot> snapshot;
  final SnapshotMetricsProvider provider;
  final Source source = new Source();
  final SnapshotListeners listeners = new SnapshotListeners();
  volatile int rangePoints;

  FakePipeline(Vertx vertx, Clock clock) {
    this.clock = clock;
    KumaConfig kuma = new KumaConfig(RegimeSetting.LEGACY, Duration.ofMinutes(2),
        Optional.empty(), Optional.empty(), Optional.empty(), List.of("app"),
        PredictConfig.ALL_SIGNALS);
    this.definitions = new KumaQueries(Regime.LEGACY, kuma).definitions().stream()
        .map(MetricDefinition::withoutCoverage).toList();
    this.snapshot = new AtomicReference<>(Snapshot.empty(clock.instant()));
    this.refresher = new Refresher(vertx, source, clock, () -> definitions, 100,
        PipelineMetrics.unregistered(), snapshot, listeners);
    ServingState state = new ServingState(presets(), definitions, Optional.empty(),
        ClusterView.labelOnly());
    this.provider = new SnapshotMetricsProvider(snapshot::get, () -> state,
        new Policies(this::policyFor, PipelineMetrics.unregistered(), clock));
  }

  /** Programmable values: value(step index) per signal; same for service and (halved) pods. */
  final class Source implements MetricSource {
    final Map<String, DoubleUnaryOperator> signals = new ConcurrentHashMap<>();
    volatile boolean failing;
    volatile long index;

    @Override
    public Future<List<Sample>> query(String promql, Instant time) {
      if (failing) {
        return Future.failedFuture(new SourceException(SourceException.Kind.UNREACHABLE,
            "connection refused"));
      }
      MetricDefinition d = byPromql(promql);
      DoubleUnaryOperator f = signals.getOrDefault(d.name(), x -> 1.0);
      double v = f.applyAsDouble(index);
      return Future.succeededFuture(samples(d, time, v));
    }

    @Override
    public Future<List<RangeSeries>> queryRange(String promql, Instant start, Instant end,
        Duration step) {
      MetricDefinition d = byPromql(promql);
      DoubleUnaryOperator f = signals.getOrDefault(d.name(), x -> 1.0);
      int n = rangePoints;
      if (n == 0) {
        return Future.succeededFuture(List.of());
      }
      long[] t = new long[n];
      double[] service = new double[n];
      double[] pod = new double[n];
      for (int i = 0; i < n; i++) {
        t[i] = end.toEpochMilli() - (long) (n - 1 - i) * STEP.toMillis();
        service[i] = f.applyAsDouble(i - n);
        pod[i] = service[i] / 2;
      }
      List<RangeSeries> out = new ArrayList<>();
      if (d.level() == Level.SERVICE) {
        out.add(new RangeSeries(Map.of("kuma_io_service", KUMA_SERVICE), t, service));
      } else {
        for (String p : List.of("web-1", "web-2")) {
          out.add(new RangeSeries(podLabels(p), t, pod));
        }
      }
      return Future.succeededFuture(out);
    }

    @Override
    public Future<Void> close() {
      return Future.succeededFuture();
    }
  }

  private MetricDefinition byPromql(String promql) {
    return definitions.stream().filter(d -> d.promql().equals(promql)).findFirst()
        .orElseThrow();
  }

  private static List<Sample> samples(MetricDefinition d, Instant time, double v) {
    if (d.level() == Level.SERVICE) {
      return List.of(new Sample(Map.of("kuma_io_service", KUMA_SERVICE), time, v));
    }
    return List.of(new Sample(podLabels("web-1"), time, v / 2),
        new Sample(podLabels("web-2"), time, v / 2));
  }

  private static Map<String, String> podLabels(String pod) {
    return Map.of("kuma_io_service", KUMA_SERVICE, "namespace", NS, "pod", pod, "app", "web");
  }

  @Override
  public Snapshot snapshot() {
    return snapshot.get();
  }

  @Override
  public void onSnapshot(java.util.function.Consumer<Snapshot> listener) {
    listeners.add(listener);
  }

  @Override
  public List<MetricDefinition> definitions() {
    return definitions;
  }

  @Override
  public Set<String> presets() {
    return PredictConfig.ALL_SIGNALS;
  }

  @Override
  public Optional<String> pendingReason() {
    return Optional.empty();
  }

  @Override
  public ClusterView cluster() {
    return ClusterView.labelOnly();
  }

  @Override
  public PolicyConfig policyFor(String metric) {
    return new PolicyConfig(Duration.ofMinutes(1), OptionalDouble.empty(), OptionalDouble.empty());
  }

  @Override
  public Duration refreshInterval() {
    return STEP;
  }

  @Override
  public int historyPoints() {
    return 100;
  }

  @Override
  public Future<Map<String, List<SeriesHistory>>> bootstrapHistory() {
    return refresher.bootstrap(STEP.multipliedBy(Math.max(1, rangePoints)), STEP);
  }
}
