package io.meshcast.loadtest.serving;

import io.meshcast.adapter.provider.CustomMetricInfo;
import io.meshcast.adapter.provider.CustomMetricValue;
import io.meshcast.adapter.provider.CustomMetricsProvider;
import io.meshcast.adapter.provider.ExternalMetricInfo;
import io.meshcast.adapter.provider.ExternalMetricValue;
import io.meshcast.adapter.provider.ExternalMetricsProvider;
import io.meshcast.adapter.provider.GroupResource;
import io.meshcast.adapter.provider.LabelSelector;
import io.meshcast.adapter.provider.MetricsException;
import io.meshcast.adapter.provider.memory.InMemoryMetricsProvider.ExternalSeries;
import io.meshcast.adapter.provider.memory.InMemoryMetricsProvider.ObjectSeries;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * EXPERIMENT, benchmark-only ({@code serving-target --provider indexed-experiment}): the same
 * answers as {@code InMemoryMetricsProvider}, from a snapshot indexed once per publish by
 * (metric, resource, namespaced) then namespace, and externals by metric then namespace. It
 * exists to measure how much of the adapter/bare gap the provider's per-request linear scan
 * accounts for (RESULTS.md, finding 1); it is not the adapter's provider and is not used by it.
 */
final class IndexedExperimentProvider implements CustomMetricsProvider, ExternalMetricsProvider {

  private record Key(String metric, GroupResource resource, boolean namespaced) {}

  private record Index(
      Map<Key, Map<String, List<ObjectSeries>>> objects,
      Map<String, Map<String, List<ExternalSeries>>> externals) {}

  private static final OptionalLong WINDOW = OptionalLong.of(60);

  private volatile Index index = new Index(Map.of(), Map.of());

  void publish(List<ObjectSeries> objects, List<ExternalSeries> externals) {
    Map<Key, Map<String, List<ObjectSeries>>> byKey = new LinkedHashMap<>();
    for (ObjectSeries s : objects) {
      Key k = new Key(s.metric(), s.resource(), !s.object().namespace().isEmpty());
      byKey.computeIfAbsent(k, x -> new HashMap<>())
          .computeIfAbsent(s.object().namespace(), x -> new ArrayList<>()).add(s);
    }
    Map<String, Map<String, List<ExternalSeries>>> byMetric = new LinkedHashMap<>();
    for (ExternalSeries s : externals) {
      byMetric.computeIfAbsent(s.metric(), x -> new HashMap<>())
          .computeIfAbsent(s.namespace(), x -> new ArrayList<>()).add(s);
    }
    index = new Index(byKey, byMetric);
  }

  @Override
  public CustomMetricValue metricByName(
      String namespace, String name, CustomMetricInfo info, LabelSelector metricSelector) {
    Map<String, List<ObjectSeries>> bucket = index.objects().get(key(info));
    String resource = info.groupResource().toString();
    if (bucket == null) {
      throw MetricsException.NotFound.metric(info.metric(), resource, null);
    }
    for (ObjectSeries s : bucket.getOrDefault(namespace, List.of())) {
      if (s.object().name().equals(name) && metricSelector.matches(s.metricLabels())) {
        return new CustomMetricValue(s.object(), s.metric(), s.timestamp(), WINDOW, s.value());
      }
    }
    throw MetricsException.NotFound.metric(info.metric(), resource, name);
  }

  @Override
  public List<CustomMetricValue> metricsBySelector(
      String namespace, LabelSelector selector, CustomMetricInfo info, LabelSelector metricSelector) {
    Map<String, List<ObjectSeries>> bucket = index.objects().get(key(info));
    if (bucket == null) {
      throw MetricsException.NotFound.metric(info.metric(), info.groupResource().toString(), null);
    }
    List<CustomMetricValue> out = new ArrayList<>();
    for (ObjectSeries s : bucket.getOrDefault(namespace, List.of())) {
      if (selector.matches(s.objectLabels()) && metricSelector.matches(s.metricLabels())) {
        out.add(new CustomMetricValue(s.object(), s.metric(), s.timestamp(), WINDOW, s.value()));
      }
    }
    return out;
  }

  @Override
  public List<CustomMetricInfo> listAllMetrics() {
    return index.objects().keySet().stream()
        .map(k -> new CustomMetricInfo(k.resource(), k.namespaced(), k.metric()))
        .toList();
  }

  @Override
  public List<ExternalMetricValue> externalMetric(
      String namespace, LabelSelector metricSelector, ExternalMetricInfo info) {
    Map<String, List<ExternalSeries>> bucket = index.externals().get(info.metric());
    if (bucket == null) {
      throw new MetricsException.NotFound(
          "the server could not find the external metric " + info.metric());
    }
    List<ExternalMetricValue> out = new ArrayList<>();
    for (String ns : namespace.isEmpty() ? List.of("") : List.of("", namespace)) {
      for (ExternalSeries s : bucket.getOrDefault(ns, List.of())) {
        if (metricSelector.matches(s.labels())) {
          out.add(new ExternalMetricValue(s.metric(), s.labels(), s.timestamp(), WINDOW,
              s.value()));
        }
      }
    }
    return out;
  }

  @Override
  public List<ExternalMetricInfo> listAllExternalMetrics() {
    return index.externals().keySet().stream().map(ExternalMetricInfo::new).toList();
  }

  private static Key key(CustomMetricInfo info) {
    return new Key(info.metric(), info.groupResource(), info.namespaced());
  }
}
