package io.meshcast.adapter.kuma;

import io.meshcast.adapter.config.ConfigWatcher;
import io.meshcast.adapter.health.HealthCheck;
import io.meshcast.adapter.health.HealthCheck.Result;
import io.meshcast.adapter.k8s.ClusterView;
import io.meshcast.adapter.pipeline.MetricDefinition;
import io.meshcast.adapter.pipeline.MetricResult;
import io.meshcast.adapter.pipeline.Snapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The readiness checks of a {@link KumaPipeline}, each computed from the pipeline's state at the
 * time of the probe: {@value #CONFIG}, {@value #REGIME}, {@value #PROMETHEUS} and {@value
 * #KUBERNETES}, the names {@code /readyz} shows. Only "prometheus" can fail, and only until
 * Prometheus has answered once (remembered here). Thread-safe.
 */
final class PipelineHealth {

  static final String CONFIG = "config";
  static final String REGIME = "kuma-regime";
  static final String PROMETHEUS = "prometheus";
  static final String KUBERNETES = "kubernetes";

  /** What the checks read, taken from the pipeline at each probe. */
  record View(Optional<ConfigWatcher.Failure> configFailure, Optional<Regime> regime,
      String regimeStatus, ClusterView cluster, Snapshot snapshot,
      List<MetricDefinition> definitions) {}

  private volatile boolean prometheusAnswered;
  private final List<HealthCheck> checks;

  PipelineHealth(Supplier<View> view) {
    checks = List.of(
        HealthCheck.of(CONFIG, () -> Result.ok(view.get().configFailure()
            .map(x -> "config reload failed at " + x.at() + ": " + x.message()
                + " (previous configuration still in force)").orElse(""))),
        HealthCheck.of(REGIME, () -> {
          View v = view.get();
          return Result.ok(v.regime().map(r -> "")
              .orElse(v.regimeStatus() + "; golden signals answer 503 until detected"));
        }),
        HealthCheck.of(PROMETHEUS, () -> prometheus(view.get())),
        HealthCheck.of(KUBERNETES, () -> Result.ok(view.get().cluster().describe())));
  }

  /** Prometheus answered a query: from now on its problems are per metric, not readiness. */
  void answered() {
    prometheusAnswered = true;
  }

  List<HealthCheck> checks() {
    return checks;
  }

  private Result prometheus(View v) {
    List<String> problems = new ArrayList<>();
    for (MetricDefinition d : v.definitions()) {
      MetricResult r = v.snapshot().results().get(d.key());
      if (r == null) {
        problems.add(d.name() + "/" + d.level() + ": not refreshed yet");
      } else if (r.lastError().isPresent()) {
        problems.add(d.name() + "/" + d.level() + ": " + r.lastError().get());
      }
      if (r != null && r.refreshedAt().isPresent()) {
        prometheusAnswered = true;
      }
    }
    String detail = problems.isEmpty() ? "" : problems.size() + " failing: " + String.join("; ",
        problems.subList(0, Math.min(3, problems.size())));
    if (!prometheusAnswered) {
      return Result.failed("Prometheus has not answered yet"
          + (detail.isEmpty() ? "" : ": " + detail)
          + (v.regime().isEmpty() ? "; regime " + v.regimeStatus() : ""));
    }
    return Result.ok(detail);
  }
}
