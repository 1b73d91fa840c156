package io.meshcast.adapter.predict;

import io.meshcast.adapter.observability.ForecastMetrics;
import io.meshcast.adapter.predict.PredictiveLayer.BootstrapState;
import io.meshcast.adapter.provider.Answer;
import io.meshcast.adapter.provider.AnswerGeneration;
import io.meshcast.adapter.provider.CustomMetricInfo;
import io.meshcast.adapter.provider.CustomMetricValue;
import io.meshcast.adapter.provider.CustomMetricsProvider;
import io.meshcast.adapter.provider.ExternalMetricInfo;
import io.meshcast.adapter.provider.ExternalMetricValue;
import io.meshcast.adapter.provider.ExternalMetricsProvider;
import io.meshcast.adapter.provider.LabelSelector;
import io.meshcast.adapter.provider.MetricsException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The provider the API serves: derived metrics ({@link DerivedNames}) from the predictive layer's
 * snapshot, everything else from the base pipeline's providers. Listing returns both. While the
 * models bootstrap, derived metrics answer 503 naming the bootstrap. Errors of derived metrics
 * are counted ({@code meshcast_forecast_unavailable_total}). No I/O. Thread-safe.
 */
public final class PredictiveProvider implements CustomMetricsProvider, ExternalMetricsProvider {

  private final Set<String> derivedNames;
  private final CustomMetricsProvider derivedCustom;
  private final ExternalMetricsProvider derivedExternal;
  private final CustomMetricsProvider baseCustom;
  private final ExternalMetricsProvider baseExternal;
  private final PredictiveLayer layer;
  private final ForecastMetrics metrics;

  <P extends CustomMetricsProvider & ExternalMetricsProvider> PredictiveProvider(
      Set<String> derivedNames, P derived, CustomMetricsProvider baseCustom,
      ExternalMetricsProvider baseExternal, PredictiveLayer layer, ForecastMetrics metrics) {
    this.derivedNames = derivedNames;
    this.derivedCustom = derived;
    this.derivedExternal = derived;
    this.baseCustom = baseCustom;
    this.baseExternal = baseExternal;
    this.layer = layer;
    this.metrics = metrics;
  }

  @Override
  public CustomMetricValue metricByName(
      String namespace, String name, CustomMetricInfo info, LabelSelector metricSelector) {
    // One routing (base or derived) for both forms: the answer forms below carry it.
    return metricByNameAnswer(namespace, name, info, metricSelector).value();
  }

  @Override
  public Answer<CustomMetricValue> metricByNameAnswer(
      String namespace, String name, CustomMetricInfo info, LabelSelector metricSelector) {
    if (!derivedNames.contains(info.metric())) {
      return baseCustom.metricByNameAnswer(namespace, name, info, metricSelector);
    }
    return derived(info.metric(),
        () -> derivedCustom.metricByNameAnswer(namespace, name, info, metricSelector));
  }

  @Override
  public Answer<List<CustomMetricValue>> metricsBySelectorAnswer(
      String namespace, LabelSelector selector, CustomMetricInfo info,
      LabelSelector metricSelector) {
    if (!derivedNames.contains(info.metric())) {
      return baseCustom.metricsBySelectorAnswer(namespace, selector, info, metricSelector);
    }
    return derived(info.metric(),
        () -> derivedCustom.metricsBySelectorAnswer(namespace, selector, info, metricSelector));
  }

  /**
   * Both providers' generations and the bootstrap state (derived metrics answer 503 while the
   * models bootstrap).
   */
  @Override
  public AnswerGeneration customGeneration() {
    return AnswerGeneration.of(layer.bootstrapState(), baseCustom.customGeneration(),
        derivedCustom.customGeneration());
  }

  @Override
  public AnswerGeneration externalGeneration() {
    return AnswerGeneration.of(layer.bootstrapState(), baseExternal.externalGeneration(),
        derivedExternal.externalGeneration());
  }

  @Override
  public List<CustomMetricValue> metricsBySelector(
      String namespace, LabelSelector selector, CustomMetricInfo info,
      LabelSelector metricSelector) {
    return metricsBySelectorAnswer(namespace, selector, info, metricSelector).value();
  }

  @Override
  public List<CustomMetricInfo> listAllMetrics() {
    Set<CustomMetricInfo> all = new LinkedHashSet<>(baseCustom.listAllMetrics());
    all.addAll(derivedCustom.listAllMetrics());
    return List.copyOf(all);
  }

  @Override
  public List<ExternalMetricValue> externalMetric(
      String namespace, LabelSelector metricSelector, ExternalMetricInfo info) {
    return externalMetricAnswer(namespace, metricSelector, info).value();
  }

  @Override
  public Answer<List<ExternalMetricValue>> externalMetricAnswer(
      String namespace, LabelSelector metricSelector, ExternalMetricInfo info) {
    if (!derivedNames.contains(info.metric())) {
      return baseExternal.externalMetricAnswer(namespace, metricSelector, info);
    }
    return derived(info.metric(),
        () -> derivedExternal.externalMetricAnswer(namespace, metricSelector, info));
  }

  @Override
  public List<ExternalMetricInfo> listAllExternalMetrics() {
    Set<ExternalMetricInfo> all = new LinkedHashSet<>(baseExternal.listAllExternalMetrics());
    all.addAll(derivedExternal.listAllExternalMetrics());
    return List.copyOf(all);
  }

  private <T> T derived(String metric, Supplier<T> answer) {
    try {
      if (layer.bootstrapState() == BootstrapState.RUNNING
          || layer.bootstrapState() == BootstrapState.PENDING) {
        throw new MetricsException.Unavailable("metric " + metric + " is not available yet: "
            + "forecasting models are bootstrapping from Prometheus history ("
            + layer.bootstrapDetail() + ")");
      }
      return answer.get();
    } catch (MetricsException e) {
      metrics.unavailable(metric);
      throw e;
    }
  }
}
