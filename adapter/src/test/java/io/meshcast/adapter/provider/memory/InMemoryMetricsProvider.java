package io.meshcast.adapter.provider.memory;

import io.meshcast.adapter.provider.CustomMetricInfo;
import io.meshcast.adapter.provider.CustomMetricValue;
import io.meshcast.adapter.provider.CustomMetricsProvider;
import io.meshcast.adapter.provider.ExternalMetricInfo;
import io.meshcast.adapter.provider.ExternalMetricValue;
import io.meshcast.adapter.provider.ExternalMetricsProvider;
import io.meshcast.adapter.provider.GroupResource;
import io.meshcast.adapter.provider.LabelSelector;
import io.meshcast.adapter.provider.MetricsException;
import io.meshcast.adapter.provider.ObjectReference;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * A test double: a provider over an in-memory table of values, replaced wholesale with {@link
 * #publish}. Backs the API tests and the load-tests' serving benchmark; it lives in adapter's test
 * sources and reaches load-tests through adapter's test-jar (only this package is in it), so it
 * never ships in the adapter jar. Reads see one consistent table (a volatile immutable
 * snapshot), so it is safe to publish from any thread while requests are served.
 */
public final class InMemoryMetricsProvider implements CustomMetricsProvider, ExternalMetricsProvider {

  /**
   * One custom metric value for one object.
   *
   * @param objectLabels the described object's labels, matched by {@code labelSelector}
   * @param metricLabels the series' own labels, matched by {@code metricLabelSelector}
   */
  public record ObjectSeries(
      String metric,
      GroupResource resource,
      ObjectReference object,
      Map<String, String> objectLabels,
      Map<String, String> metricLabels,
      double value,
      Instant timestamp) {
    public ObjectSeries {
      Objects.requireNonNull(metric, "metric");
      Objects.requireNonNull(resource, "resource");
      Objects.requireNonNull(object, "object");
      objectLabels = Map.copyOf(objectLabels);
      metricLabels = Map.copyOf(metricLabels);
      Objects.requireNonNull(timestamp, "timestamp");
    }
  }

  /**
   * One series of an external metric.
   *
   * @param namespace the namespace it is visible from, or empty for every namespace
   */
  public record ExternalSeries(
      String metric, String namespace, Map<String, String> labels, double value, Instant timestamp) {
    public ExternalSeries {
      metric = metric.toLowerCase(Locale.ROOT);
      Objects.requireNonNull(namespace, "namespace");
      labels = Map.copyOf(labels);
      Objects.requireNonNull(timestamp, "timestamp");
    }
  }

  /** A metric of one kind of object, the unit discovery lists and lookups start from. */
  private record MetricKey(String metric, GroupResource resource, boolean namespaced) {}

  /**
   * The published values, indexed so a request touches only the series of its metric in its
   * namespace (a linear scan over every series would make latency grow with the table).
   */
  private record Table(
      Map<MetricKey, Map<String, List<ObjectSeries>>> objects,
      Map<String, List<ExternalSeries>> externals) {

    static Table of(List<ObjectSeries> objects, List<ExternalSeries> externals) {
      Map<MetricKey, Map<String, List<ObjectSeries>>> byMetric = new LinkedHashMap<>();
      for (ObjectSeries s : objects) {
        MetricKey key = new MetricKey(s.metric, s.resource, !s.object.namespace().isEmpty());
        byMetric
            .computeIfAbsent(key, k -> new HashMap<>())
            .computeIfAbsent(s.object.namespace(), k -> new ArrayList<>())
            .add(s);
      }
      Map<String, List<ExternalSeries>> byName = new LinkedHashMap<>();
      for (ExternalSeries s : externals) {
        byName.computeIfAbsent(s.metric, k -> new ArrayList<>()).add(s);
      }
      return new Table(byMetric, byName);
    }
  }

  private static final OptionalLong WINDOW = OptionalLong.of(60);

  private volatile Table table = Table.of(List.of(), List.of());

  /** Replaces every value at once. */
  public void publish(List<ObjectSeries> objects, List<ExternalSeries> externals) {
    table = Table.of(objects, externals);
  }

  @Override
  public CustomMetricValue metricByName(
      String namespace, String name, CustomMetricInfo info, LabelSelector metricSelector) {
    Map<String, List<ObjectSeries>> byNamespace = seriesOf(info);
    for (ObjectSeries s : byNamespace.getOrDefault(namespace, List.of())) {
      if (s.object.name().equals(name) && metricSelector.matches(s.metricLabels)) {
        return value(s);
      }
    }
    throw MetricsException.NotFound.metric(info.metric(), info.groupResource().toString(), name);
  }

  @Override
  public List<CustomMetricValue> metricsBySelector(
      String namespace, LabelSelector selector, CustomMetricInfo info, LabelSelector metricSelector) {
    List<CustomMetricValue> out = new ArrayList<>();
    for (ObjectSeries s : seriesOf(info).getOrDefault(namespace, List.of())) {
      if (selector.matches(s.objectLabels) && metricSelector.matches(s.metricLabels)) {
        out.add(value(s));
      }
    }
    return out;
  }

  /** The series of a metric by namespace; unknown metrics are a 404 naming the resource. */
  private Map<String, List<ObjectSeries>> seriesOf(CustomMetricInfo info) {
    Map<String, List<ObjectSeries>> byNamespace =
        table.objects.get(new MetricKey(info.metric(), info.groupResource(), info.namespaced()));
    if (byNamespace == null) {
      throw MetricsException.NotFound.metric(info.metric(), info.groupResource().toString(), null);
    }
    return byNamespace;
  }

  @Override
  public List<CustomMetricInfo> listAllMetrics() {
    List<CustomMetricInfo> infos = new ArrayList<>();
    for (MetricKey k : table.objects.keySet()) {
      infos.add(new CustomMetricInfo(k.resource(), k.namespaced(), k.metric()));
    }
    return infos;
  }

  @Override
  public List<ExternalMetricValue> externalMetric(
      String namespace, LabelSelector metricSelector, ExternalMetricInfo info) {
    List<ExternalSeries> series = table.externals.get(info.metric());
    if (series == null) {
      throw new MetricsException.NotFound(
          "the server could not find the external metric " + info.metric());
    }
    List<ExternalMetricValue> out = new ArrayList<>();
    for (ExternalSeries s : series) {
      boolean visible = s.namespace.isEmpty() || s.namespace.equals(namespace);
      if (visible && metricSelector.matches(s.labels)) {
        out.add(new ExternalMetricValue(s.metric, s.labels, s.timestamp, WINDOW, s.value));
      }
    }
    return out;
  }

  @Override
  public List<ExternalMetricInfo> listAllExternalMetrics() {
    List<ExternalMetricInfo> infos = new ArrayList<>();
    for (String metric : table.externals.keySet()) {
      infos.add(new ExternalMetricInfo(metric));
    }
    return infos;
  }

  private static CustomMetricValue value(ObjectSeries s) {
    return new CustomMetricValue(s.object, s.metric, s.timestamp, WINDOW, s.value);
  }
}
