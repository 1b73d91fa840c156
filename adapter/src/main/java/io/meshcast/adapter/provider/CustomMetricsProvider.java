package io.meshcast.adapter.provider;

import java.util.List;

/**
 * The seam between the HTTP layer and whatever knows metric values (mirrors
 * custom-metrics-apiserver's {@code CustomMetricsProvider}).
 *
 * <p>Contract: implementations answer from memory (no I/O on the request path), are thread-safe,
 * and signal problems with {@link MetricsException} subclasses, which the HTTP layer maps to
 * Kubernetes {@code Status} objects. The namespace is empty for root-scoped metrics.
 */
public interface CustomMetricsProvider {

  /**
   * Returns the metric for one named object.
   *
   * @throws MetricsException.NotFound if the metric or the object is unknown
   * @throws MetricsException.Unavailable if the data is stale or the source is down
   */
  CustomMetricValue metricByName(
      String namespace, String name, CustomMetricInfo info, LabelSelector metricSelector);

  /**
   * Returns the metric for every object of {@code info.groupResource()} in {@code namespace} that
   * matches {@code selector}; may be empty.
   */
  List<CustomMetricValue> metricsBySelector(
      String namespace, LabelSelector selector, CustomMetricInfo info, LabelSelector metricSelector);

  /** Lists every metric this provider can serve; never fails (used for discovery). */
  List<CustomMetricInfo> listAllMetrics();

  /**
   * What this provider's answers depend on besides the request and the clock (see {@link
   * AnswerGeneration}); {@code null}, the default, when answers must never be reused. Read it
   * <em>before</em> asking for the answer: an answer is reusable only while the generation read
   * before it was computed is still current.
   */
  default AnswerGeneration customGeneration() {
    return null;
  }

  /** {@link #metricByName} with how long the answer may be reused (default: not at all). */
  default Answer<CustomMetricValue> metricByNameAnswer(
      String namespace, String name, CustomMetricInfo info, LabelSelector metricSelector) {
    return Answer.once(metricByName(namespace, name, info, metricSelector));
  }

  /** {@link #metricsBySelector} with how long the answer may be reused (default: not at all). */
  default Answer<List<CustomMetricValue>> metricsBySelectorAnswer(
      String namespace, LabelSelector selector, CustomMetricInfo info,
      LabelSelector metricSelector) {
    return Answer.once(metricsBySelector(namespace, selector, info, metricSelector));
  }
}
