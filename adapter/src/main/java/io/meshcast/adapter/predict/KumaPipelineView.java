package io.meshcast.adapter.predict;

import io.meshcast.adapter.config.PolicyConfig;
import io.meshcast.adapter.k8s.ClusterView;
import io.meshcast.adapter.kuma.KumaPipeline;
import io.meshcast.adapter.pipeline.MetricDefinition;
import io.meshcast.adapter.pipeline.SeriesHistory;
import io.meshcast.adapter.pipeline.Snapshot;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** {@link PipelineView} over the Kuma pipeline (config mode). */
final class KumaPipelineView implements PipelineView {

  private final KumaPipeline pipeline;

  KumaPipelineView(KumaPipeline pipeline) {
    this.pipeline = pipeline;
  }

  @Override
  public Snapshot snapshot() {
    return pipeline.snapshot();
  }

  @Override
  public void onSnapshot(java.util.function.Consumer<Snapshot> listener) {
    pipeline.onSnapshot(listener);
  }

  @Override
  public List<MetricDefinition> definitions() {
    return pipeline.definitions();
  }

  @Override
  public Set<String> presets() {
    return pipeline.config().kuma().presets();
  }

  @Override
  public Optional<String> pendingReason() {
    return pipeline.regime().isPresent() ? Optional.empty()
        : Optional.of("Kuma regime not detected yet");
  }

  @Override
  public ClusterView cluster() {
    return pipeline.clusterView();
  }

  @Override
  public PolicyConfig policyFor(String metric) {
    return pipeline.config().policyFor(metric);
  }

  @Override
  public Duration refreshInterval() {
    return pipeline.config().refresh().interval();
  }

  @Override
  public int historyPoints() {
    return pipeline.config().refresh().historyPoints();
  }

  @Override
  public Future<Map<String, List<SeriesHistory>>> bootstrapHistory() {
    return pipeline.bootstrapHistory(d -> true);
  }

  @Override
  public Future<Map<String, List<SeriesHistory>>> bootstrapHistory(
      java.util.function.Predicate<MetricDefinition> wanted) {
    return pipeline.bootstrapHistory(wanted);
  }
}
