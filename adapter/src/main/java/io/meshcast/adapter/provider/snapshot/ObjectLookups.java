package io.meshcast.adapter.provider.snapshot;

import io.meshcast.adapter.config.RuleConfig.Combine;
import io.meshcast.adapter.k8s.ClusterView;
import io.meshcast.adapter.pipeline.Level;
import io.meshcast.adapter.pipeline.MetricDefinition;
import io.meshcast.adapter.pipeline.MetricResult;
import io.meshcast.adapter.pipeline.SeriesValue;
import io.meshcast.adapter.provider.GroupResource;
import io.meshcast.adapter.provider.LabelSelector;
import io.meshcast.adapter.provider.MetricsException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** The objects a list request names, and the value of one object from its series. Stateless. */
final class ObjectLookups {

  private ObjectLookups() {}

  /** Merges the series naming one object per the definition's {@link Combine}. */
  static Optional<Double> combine(MetricDefinition d, List<SeriesValue> series, String object) {
    if (series.isEmpty()) {
      return Optional.empty();
    }
    if (series.size() == 1) {
      return Optional.of(series.get(0).value());
    }
    switch (d.combine()) {
      case SUM: {
        double sum = 0;
        for (SeriesValue v : series) {
          sum += v.value();
        }
        return Optional.of(sum);
      }
      case MAX:
      case MIN: {
        // NaN parts (no traffic on one port) do not hide the defined parts.
        double best = Double.NaN;
        for (SeriesValue v : series) {
          double x = v.value();
          if (!Double.isNaN(x) && (Double.isNaN(best)
              || (d.combine() == Combine.MAX ? x > best : x < best))) {
            best = x;
          }
        }
        return Optional.of(best);
      }
      default:
        throw new MetricsException.Unavailable("metric " + d.name() + " has " + series.size()
            + " series for " + object + "; set combine (sum, max, min) on the rule or group the"
            + " query by the object's label");
    }
  }

  static List<String> candidates(
      ClusterView cluster, MetricResult r, GroupResource gr, String namespace,
      LabelSelector selector) {
    Optional<List<String>> fromCluster;
    if (gr.equals(GroupResource.PODS)) {
      fromCluster = cluster.pods(namespace, selector);
    } else if (gr.equals(GroupResource.SERVICES)) {
      fromCluster = cluster.services(namespace, selector);
    } else if (gr.equals(GroupResource.DEPLOYMENTS)) {
      fromCluster = cluster.deployments(namespace, selector);
    } else if (gr.equals(GroupResource.NAMESPACES)) {
      fromCluster = cluster.namespaces(selector);
    } else {
      fromCluster = Optional.empty();
    }
    if (fromCluster.isPresent()) {
      return fromCluster.get();
    }
    // No cluster: the objects the series name, matched against the series' labels.
    Set<String> names = new TreeSet<>();
    for (SeriesValue v : r.inNamespace(gr.equals(GroupResource.NAMESPACES) ? "" : namespace)) {
      if (!selector.matches(v.identity().labels())) {
        continue;
      }
      String n;
      if (gr.equals(GroupResource.PODS)) {
        n = v.identity().pod();
      } else if (gr.equals(GroupResource.SERVICES)) {
        n = v.identity().service();
      } else if (gr.equals(GroupResource.DEPLOYMENTS)) {
        n = r.definition().level() == Level.CUSTOM ? v.identity().deployment()
            : v.identity().service();
      } else {
        n = v.identity().namespace();
      }
      if (!n.isEmpty()) {
        names.add(n);
      }
    }
    return new ArrayList<>(names);
  }
}
