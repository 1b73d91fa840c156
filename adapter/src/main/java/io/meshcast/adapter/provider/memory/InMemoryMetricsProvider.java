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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;

/**
 * A provider over an in-memory table of values, replaced wholesale with {@link #publish}: backs
 * the demo mode and the API tests. Reads see one consistent table (a volatile immutable
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

  private record Table(List<ObjectSeries> objects, List<ExternalSeries> externals) {}

  private static final OptionalLong WINDOW = OptionalLong.of(60);

  private volatile Table table = new Table(List.of(), List.of());

  /** Replaces every value at once. */
  public void publish(List<ObjectSeries> objects, List<ExternalSeries> externals) {
    table = new Table(List.copyOf(objects), List.copyOf(externals));
  }

  @Override
  public CustomMetricValue metricByName(
      String namespace, String name, CustomMetricInfo info, LabelSelector metricSelector) {
    Table t = table;
    boolean known = false;
    for (ObjectSeries s : t.objects) {
      if (!isOf(s, info)) {
        continue;
      }
      known = true;
      if (s.object.namespace().equals(namespace)
          && s.object.name().equals(name)
          && metricSelector.matches(s.metricLabels)) {
        return value(s);
      }
    }
    String resource = info.groupResource().toString();
    throw known
        ? MetricsException.NotFound.metric(info.metric(), resource, name)
        : MetricsException.NotFound.metric(info.metric(), resource, null);
  }

  @Override
  public List<CustomMetricValue> metricsBySelector(
      String namespace, LabelSelector selector, CustomMetricInfo info, LabelSelector metricSelector) {
    Table t = table;
    boolean known = false;
    List<CustomMetricValue> out = new ArrayList<>();
    for (ObjectSeries s : t.objects) {
      if (!isOf(s, info)) {
        continue;
      }
      known = true;
      if (s.object.namespace().equals(namespace)
          && selector.matches(s.objectLabels)
          && metricSelector.matches(s.metricLabels)) {
        out.add(value(s));
      }
    }
    if (!known) {
      throw MetricsException.NotFound.metric(info.metric(), info.groupResource().toString(), null);
    }
    return out;
  }

  @Override
  public List<CustomMetricInfo> listAllMetrics() {
    Set<CustomMetricInfo> infos = new LinkedHashSet<>();
    for (ObjectSeries s : table.objects) {
      infos.add(new CustomMetricInfo(s.resource, !s.object.namespace().isEmpty(), s.metric));
    }
    return List.copyOf(infos);
  }

  @Override
  public List<ExternalMetricValue> externalMetric(
      String namespace, LabelSelector metricSelector, ExternalMetricInfo info) {
    boolean known = false;
    List<ExternalMetricValue> out = new ArrayList<>();
    for (ExternalSeries s : table.externals) {
      if (!s.metric.equals(info.metric())) {
        continue;
      }
      known = true;
      boolean visible = s.namespace.isEmpty() || s.namespace.equals(namespace);
      if (visible && metricSelector.matches(s.labels)) {
        out.add(new ExternalMetricValue(s.metric, s.labels, s.timestamp, WINDOW, s.value));
      }
    }
    if (!known) {
      throw new MetricsException.NotFound(
          "the server could not find the external metric " + info.metric());
    }
    return out;
  }

  @Override
  public List<ExternalMetricInfo> listAllExternalMetrics() {
    Set<ExternalMetricInfo> infos = new LinkedHashSet<>();
    for (ExternalSeries s : table.externals) {
      infos.add(new ExternalMetricInfo(s.metric));
    }
    return List.copyOf(infos);
  }

  private static boolean isOf(ObjectSeries s, CustomMetricInfo info) {
    return s.metric.equals(info.metric())
        && s.resource.equals(info.groupResource())
        && s.object.namespace().isEmpty() != info.namespaced();
  }

  private static CustomMetricValue value(ObjectSeries s) {
    return new CustomMetricValue(s.object, s.metric, s.timestamp, WINDOW, s.value);
  }
}
