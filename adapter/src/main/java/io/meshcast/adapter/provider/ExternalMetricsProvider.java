package io.meshcast.adapter.provider;

import java.util.List;

/**
 * The seam for external.metrics.k8s.io (mirrors custom-metrics-apiserver's {@code
 * ExternalMetricsProvider}); same contract as {@link CustomMetricsProvider}.
 */
public interface ExternalMetricsProvider {

  /**
   * Returns every series of the metric visible from {@code namespace} whose labels match {@code
   * metricSelector}; may be empty.
   *
   * @throws MetricsException.NotFound if the metric is unknown
   * @throws MetricsException.Unavailable if the data is stale or the source is down
   */
  List<ExternalMetricValue> externalMetric(
      String namespace, LabelSelector metricSelector, ExternalMetricInfo info);

  /** Lists every external metric this provider can serve; never fails. */
  List<ExternalMetricInfo> listAllExternalMetrics();

  /**
   * As {@link CustomMetricsProvider#customGeneration()}: {@code null}, the default, when answers
   * must never be reused.
   */
  default AnswerGeneration externalGeneration() {
    return null;
  }

  /** {@link #externalMetric} with how long the answer may be reused (default: not at all). */
  default Answer<List<ExternalMetricValue>> externalMetricAnswer(
      String namespace, LabelSelector metricSelector, ExternalMetricInfo info) {
    return Answer.once(externalMetric(namespace, metricSelector, info));
  }
}
