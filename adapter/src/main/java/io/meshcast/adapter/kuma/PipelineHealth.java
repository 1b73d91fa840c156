package io.meshcast.adapter.kuma;

import io.meshcast.adapter.config.ConfigWatcher;
import io.meshcast.adapter.k8s.ClusterView;
import io.meshcast.adapter.kuma.KumaPipeline.HealthCheck;
import io.meshcast.adapter.pipeline.MetricDefinition;
import io.meshcast.adapter.pipeline.MetricResult;
import io.meshcast.adapter.pipeline.Snapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The health checks of a {@link KumaPipeline}, from its state at the time of the probe. Only
 * "prometheus" can fail, and only until Prometheus has answered once (remembered here).
 * Thread-safe.
 */
final class PipelineHealth {

  private volatile boolean prometheusAnswered;

  /** Prometheus answered a query: from now on its problems are per metric, not readiness. */
  void answered() {
    prometheusAnswered = true;
  }

  List<HealthCheck> checks(Optional<ConfigWatcher.Failure> f, Optional<Regime> regime,
      String regimeStatus, ClusterView cluster, Snapshot s, List<MetricDefinition> definitions) {
    List<HealthCheck> out = new ArrayList<>();
    out.add(new HealthCheck("config", true, f.map(x -> "config reload failed at " + x.at()
        + ": " + x.message() + " (previous configuration still in force)").orElse("")));
    out.add(new HealthCheck("kuma-regime", true, regime.map(r -> "")
        .orElse(regimeStatus + "; golden signals answer 503 until detected")));
    out.add(prometheusCheck(regime, regimeStatus, s, definitions));
    out.add(new HealthCheck("kubernetes", true, cluster.describe()));
    return out;
  }

  static List<io.meshcast.adapter.health.HealthCheck> readiness(
      Supplier<List<HealthCheck>> healthChecks) {
    List<io.meshcast.adapter.health.HealthCheck> out = new ArrayList<>();
    for (HealthCheck c : healthChecks.get()) {
      out.add(io.meshcast.adapter.health.HealthCheck.of("kuma-" + c.name().replace("kuma-", ""),
          () -> healthChecks.get().stream().filter(x -> x.name().equals(c.name())).findFirst()
              .map(x -> x.ok()
                  ? io.meshcast.adapter.health.HealthCheck.Result.ok(x.reason())
                  : io.meshcast.adapter.health.HealthCheck.Result.failed(x.reason()))
              .orElseThrow()));
    }
    return out;
  }

  private HealthCheck prometheusCheck(Optional<Regime> regime, String regimeStatus, Snapshot s,
      List<MetricDefinition> definitions) {
    List<String> problems = new ArrayList<>();
    for (MetricDefinition d : definitions) {
      MetricResult r = s.results().get(d.key());
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
      return new HealthCheck("prometheus", false, "Prometheus has not answered yet"
          + (detail.isEmpty() ? "" : ": " + detail)
          + (regime.isEmpty() ? "; regime " + regimeStatus : ""));
    }
    return new HealthCheck("prometheus", true, detail);
  }
}
