package io.meshcast.adapter.promadapter;

import io.meshcast.adapter.provider.Answer;
import io.meshcast.adapter.provider.AnswerGeneration;
import io.meshcast.adapter.provider.ExternalMetricInfo;
import io.meshcast.adapter.provider.ExternalMetricValue;
import io.meshcast.adapter.provider.ExternalMetricsProvider;
import io.meshcast.adapter.provider.LabelSelector;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * External metrics of {@code namespaced: false} rules answer whatever namespace the request
 * names (the HPA's), as in prometheus-adapter: the request's selector alone picks the series,
 * e.g. {@code namespace: queue, name: my-queue}. Their {@code _forecast} and
 * {@code _anomaly_score} follow the base metric. Everything else passes through. No I/O.
 */
public final class NamespacelessExternal implements ExternalMetricsProvider {

  private static final List<String> SUFFIXES = List.of("_forecast", "_anomaly_score");

  private final ExternalMetricsProvider delegate;
  private final Supplier<Set<String>> names;

  public NamespacelessExternal(ExternalMetricsProvider delegate, Supplier<Set<String>> names) {
    this.delegate = delegate;
    this.names = names;
  }

  @Override
  public List<ExternalMetricValue> externalMetric(String namespace, LabelSelector metricSelector,
      ExternalMetricInfo info) {
    return delegate.externalMetric(namespaceless(info.metric()) ? "" : namespace, metricSelector,
        info);
  }

  @Override
  public Answer<List<ExternalMetricValue>> externalMetricAnswer(String namespace,
      LabelSelector metricSelector, ExternalMetricInfo info) {
    return delegate.externalMetricAnswer(namespaceless(info.metric()) ? "" : namespace,
        metricSelector, info);
  }

  /** The delegate's generation and the set of namespaceless metrics (replaced on discovery). */
  @Override
  public AnswerGeneration externalGeneration() {
    return AnswerGeneration.of(delegate.externalGeneration(), names.get());
  }

  @Override
  public List<ExternalMetricInfo> listAllExternalMetrics() {
    return delegate.listAllExternalMetrics();
  }

  private boolean namespaceless(String metric) {
    Set<String> n = names.get();
    if (n.isEmpty()) {
      return false;
    }
    if (n.contains(metric)) {
      return true;
    }
    for (String s : SUFFIXES) {
      if (metric.endsWith(s) && n.contains(metric.substring(0, metric.length() - s.length()))) {
        return true;
      }
    }
    return false;
  }
}
