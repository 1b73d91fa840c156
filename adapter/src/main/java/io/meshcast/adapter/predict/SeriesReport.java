package io.meshcast.adapter.predict;

import io.meshcast.adapter.pipeline.Level;
import io.meshcast.forecast.Forecast;
import io.meshcast.forecast.Severity;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The state of one modelled series after the latest refresh: what was observed, what is forecast
 * and served, and why. Immutable. Values are in the base metric's units; NaN means undefined.
 *
 * @param id stable identifier {@code namespace/object/signal} (object: Service or pod name, or the
 *     Kuma service when no Service is named); pod-level ids end in {@code @pod}
 * @param signal base metric, e.g. {@code kuma_rps}
 * @param level service or pod
 * @param namespace namespace of the object
 * @param object Service name (service level) or pod name (pod level)
 * @param kumaService the Kuma service tag
 * @param labels the series' labels
 * @param observed the latest observed value
 * @param observedAt when it was observed
 * @param forecast the highest mean forecast over horizons 1..lead (NaN before any observation)
 * @param lower80 10 % quantile at the lead horizon (NaN until the first refit)
 * @param upper80 90 % quantile at the lead horizon
 * @param served the value served as {@code <signal>_forecast} after the safety rules
 * @param anomalyScore 0–100 score of the latest point
 * @param severity band of the score
 * @param model model in use
 * @param relativeError recent error relative to the naive forecast (NaN while unknown)
 * @param trustworthy whether the forecast is used (else the observed value is served)
 * @param fallback why the observed value is served instead of the forecast, if it is
 * @param historySize points held by the model
 * @param refits completed refits
 * @param path the forecast for horizons 1..lead, null before the first observation
 * @param rule the rule of {@link ServingDecision} that decided {@code served}
 * @param fallbackReason the class of {@code fallback}, if any
 */
public record SeriesReport(
    String id,
    String signal,
    Level level,
    String namespace,
    String object,
    String kumaService,
    Map<String, String> labels,
    double observed,
    Instant observedAt,
    double forecast,
    double lower80,
    double upper80,
    double served,
    double anomalyScore,
    Severity severity,
    String model,
    double relativeError,
    boolean trustworthy,
    Optional<String> fallback,
    int historySize,
    long refits,
    Forecast path,
    ServingDecision.Rule rule,
    Optional<FallbackReason> fallbackReason) {

  public SeriesReport {
    Objects.requireNonNull(id, "id");
    labels = Map.copyOf(labels);
    Objects.requireNonNull(fallback, "fallback");
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(fallbackReason, "fallbackReason");
  }
}
