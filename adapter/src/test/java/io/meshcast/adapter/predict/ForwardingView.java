package io.meshcast.adapter.predict;

import io.meshcast.adapter.config.PolicyConfig;
import io.meshcast.adapter.k8s.ClusterView;
import io.meshcast.adapter.pipeline.MetricDefinition;
import io.meshcast.adapter.pipeline.SeriesHistory;
import io.meshcast.adapter.pipeline.Snapshot;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Delegates everything; tests override what they change. */
class ForwardingView implements PipelineView {
  private final PipelineView v;

  ForwardingView(PipelineView v) {
    this.v = v;
  }

  @Override
  public Snapshot snapshot() {
    return v.snapshot();
  }

  @Override
  public void onSnapshot(java.util.function.Consumer<Snapshot> listener) {
    v.onSnapshot(listener);
  }

  @Override
  public List<MetricDefinition> definitions() {
    return v.definitions();
  }

  @Override
  public Set<String> presets() {
    return v.presets();
  }

  @Override
  public Optional<String> pendingReason() {
    return v.pendingReason();
  }

  @Override
  public ClusterView cluster() {
    return v.cluster();
  }

  @Override
  public PolicyConfig policyFor(String metric) {
    return v.policyFor(metric);
  }

  @Override
  public Duration refreshInterval() {
    return v.refreshInterval();
  }

  @Override
  public int historyPoints() {
    return v.historyPoints();
  }

  @Override
  public Future<Map<String, List<SeriesHistory>>> bootstrapHistory() {
    return v.bootstrapHistory();
  }
}
