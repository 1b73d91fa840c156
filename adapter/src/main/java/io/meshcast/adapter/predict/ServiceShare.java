package io.meshcast.adapter.predict;

import io.meshcast.adapter.pipeline.Level;
import io.meshcast.adapter.pipeline.SeriesValue;
import io.meshcast.forecast.Forecast;
import io.meshcast.forecast.ForecastPoint;
import java.util.ArrayList;
import java.util.List;

/**
 * The report of a pod-level series that has no model of its own ({@code forecast.podModels:
 * false}): its Service's report shared over the pods that report the signal.
 *
 * <p>Why: pods come and go, so a per-pod model is mostly learning its pod's short life, and an
 * HPA's Pods metric is an average over the target's pods anyway. The Service's forecast divided by
 * the pods serving it is that average, from one model per Service instead of one per pod, which is
 * what bounds the adapter's memory by services rather than pods. Additive signals (rate, in
 * flight: the Service's value is the pods' sum) are divided by the pod count; the others (latency
 * quantiles, error ratio: the Service's value is already per request) are shared as they are. The
 * pod's own observation is kept as {@code observed}. The rule is {@link
 * ServingDecision.Rule#SERVICE_SHARE} and {@code model} names the Service series and the divisor,
 * so /debug shows where a pod's value came from.
 */
final class ServiceShare {

  private ServiceShare() {}

  /**
   * @param id the pod series' id
   * @param pod the pod's observed value
   * @param service the Service's report for the same signal
   * @param pods pods reporting the signal for that Service (at least 1: {@code pod} is one)
   * @param additive whether the Service's value is the pods' sum
   */
  static SeriesReport of(String id, String signal, SeriesValue pod, SeriesReport service,
      int pods, boolean additive) {
    double k = additive ? 1.0 / Math.max(1, pods) : 1.0;
    String how = additive ? " / " + pods + " pods" : " (per-request signal, not divided)";
    return new SeriesReport(id, signal, Level.POD, pod.identity().namespace(),
        pod.identity().pod(), pod.identity().kumaService(), pod.identity().labels(), pod.value(),
        pod.timestamp(), service.forecast() * k, service.lower80() * k, service.upper80() * k,
        service.served() * k, service.anomalyScore(), service.severity(),
        "service share of " + service.id() + " [" + service.model() + "]" + how,
        service.relativeError(), service.trustworthy(), service.fallback(),
        service.historySize(), service.refits(), scaled(service.path(), k),
        ServingDecision.Rule.SERVICE_SHARE, service.fallbackReason());
  }

  private static Forecast scaled(Forecast f, double k) {
    if (f == null || k == 1.0) {
      return f;
    }
    List<ForecastPoint> points = new ArrayList<>(f.points().size());
    for (ForecastPoint p : f.points()) {
      points.add(new ForecastPoint(p.horizonSteps(), p.targetEpochMillis(), p.mean() * k,
          p.lower80() * k, p.upper80() * k, p.lower95() * k, p.upper95() * k));
    }
    return new Forecast(f.originEpochMillis(), f.stepMillis(), f.modelName(), points);
  }
}
