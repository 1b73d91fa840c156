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

/**
 * What the predictive layer reads from a metrics pipeline (the Kuma pipeline, or the demo). All
 * methods but {@link #bootstrapHistory()} are in-memory reads and thread-safe.
 */
public interface PipelineView {

  /** The latest published snapshot. */
  Snapshot snapshot();

  /**
   * Calls {@code listener} with every snapshot the pipeline publishes from now on, on the
   * publishing thread (the listener hands work to its own executor).
   */
  void onSnapshot(java.util.function.Consumer<Snapshot> listener);

  /** The metric definitions queried each refresh. */
  List<MetricDefinition> definitions();

  /** Golden-signal names served (listed even before their queries exist). */
  Set<String> presets();

  /** Why preset definitions are missing, if they are. */
  Optional<String> pendingReason();

  /** Object lookups shared with the base provider. */
  ClusterView cluster();

  /** The staleness/empty/NaN policy of a base metric. */
  PolicyConfig policyFor(String metric);

  /** Time between refreshes (the config in force: it changes on reload). */
  Duration refreshInterval();

  /** Points of recent history the pipeline keeps per series (derived series keep as many). */
  int historyPoints();

  /** Range series per definition key over the configured bootstrap window (I/O). */
  Future<Map<String, List<SeriesHistory>>> bootstrapHistory();

  /**
   * As {@link #bootstrapHistory()}, for the definitions {@code wanted} only. Pipelines that query
   * should not query the others: a pod-level range query over two days of a large mesh is the
   * largest answer the adapter would ever read. This default filters after the fact.
   */
  default Future<Map<String, List<SeriesHistory>>> bootstrapHistory(
      java.util.function.Predicate<MetricDefinition> wanted) {
    java.util.Set<String> keys = new java.util.HashSet<>();
    for (MetricDefinition d : definitions()) {
      if (wanted.test(d)) {
        keys.add(d.key());
      }
    }
    return bootstrapHistory().map(all -> {
      Map<String, List<SeriesHistory>> out = new java.util.LinkedHashMap<>(all);
      out.keySet().retainAll(keys);
      return out;
    });
  }
}
