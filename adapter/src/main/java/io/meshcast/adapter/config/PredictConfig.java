package io.meshcast.adapter.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * Settings of the predictive layer: the {@code forecast:} section of the adapter's YAML file
 * (documented in {@code docs/configuration.md}), parsed with the rest of the file by {@link
 * ConfigLoader} into {@link AdapterConfig#forecast()}. Immutable and validated; errors name the
 * key and the bad value.
 *
 * @param lead how far ahead the served forecast looks: pod start-up + one HPA sync period + scrape
 *     and refresh delay (default 2m)
 * @param safety how the forecast combines with the observed value before serving
 * @param step spacing of the modelled series; empty means the refresh interval
 * @param historyPoints points kept per model (bounded memory: 8 bytes each)
 * @param refitEvery a refit is due after this much new data; empty means the forecaster's default
 *     (6 h)
 * @param signals base metrics that get forecasts and anomaly scores
 * @param maxRelativeError a model whose recent error exceeds this multiple of the naive
 *     forecast's error is untrustworthy and its metric falls back to the observed value
 * @param workers threads of the shared worker pool that fits models
 * @param bootstrap whether models are bootstrapped from Prometheus history at start
 * @param anomalyWarmupPoints points a model scores before its anomaly scores may be non-zero
 * @param risk accepted probability that demand over the lead exceeds the served value: the
 *     served forecast is the {@code 1 - risk} quantile of the calibrated forecast distribution at
 *     each horizon (maximum over the lead); empty serves the mean forecast
 * @param podModels whether pod-level series get models of their own; when false (the default) a
 *     pod's forecast is its Service's forecast shared over the pods that report the signal
 *     (additive signals divided by their count, the others as is), so the model count follows
 *     services rather than pods (docs/configuration.md)
 * @param surge whether a surge detected at the newest point may serve its extrapolation over the
 *     lead ({@code predict.RecentHistory})
 * @param trendBound whether the served forecast is bounded by the largest rise over the lead the
 *     series has shown ({@code predict.RecentHistory})
 */
public record PredictConfig(
    Duration lead,
    Safety safety,
    Optional<Duration> step,
    int historyPoints,
    Optional<Duration> refitEvery,
    Set<String> signals,
    double maxRelativeError,
    int workers,
    boolean bootstrap,
    int anomalyWarmupPoints,
    OptionalDouble risk,
    boolean podModels,
    boolean surge,
    boolean trendBound) {

  /** Every golden signal of the Kuma presets. */
  public static final Set<String> ALL_SIGNALS =
      Set.of("kuma_rps", "kuma_error_ratio", "kuma_latency_p50_ms", "kuma_latency_p90_ms",
          "kuma_latency_p99_ms", "kuma_inflight", "kuma_demand_rps");

  /** How a forecast is turned into the served value. */
  public enum Safety {
    /**
     * Serve {@code max(forecast, observed)}: a forecast may pull the HPA up early but never pulls
     * it below what is happening now (the default).
     */
    MAX_WITH_OBSERVED,
    /** Serve the forecast as is (scale-down may follow a predicted drop). */
    FORECAST
  }

  /**
   * The default {@code forecast.risk}, chosen once on the development traces (NASA July 1995, NAB
   * ELB) in the closed-loop replay: the lowest risk on the grid 0.1..0.7 whose replica-hours,
   * averaged over those traces, stay within +5 % of reactive scaling (load-tests/RESULTS.md). Not
   * tuned per trace.
   */
  public static final double DEFAULT_RISK = 0.6;

  public PredictConfig {
    Objects.requireNonNull(lead, "lead");
    Objects.requireNonNull(safety, "safety");
    Objects.requireNonNull(step, "step");
    Objects.requireNonNull(refitEvery, "refitEvery");
    signals = Set.copyOf(signals);
    require(!lead.isNegative(), "forecast.lead", "must not be negative, was " + lead);
    require(historyPoints >= 64, "forecast.historyPoints", "must be >= 64, was " + historyPoints);
    require(maxRelativeError > 0, "forecast.maxRelativeError",
        "must be > 0, was " + maxRelativeError);
    require(workers >= 1 && workers <= 64, "forecast.workers", "must be 1..64, was " + workers);
    step.ifPresent(s -> require(s.toMillis() >= 1, "forecast.step", "must be >= 1ms, was " + s));
    require(anomalyWarmupPoints >= 0, "forecast.anomalyWarmupPoints",
        "must be >= 0, was " + anomalyWarmupPoints);
    Objects.requireNonNull(risk, "risk");
    risk.ifPresent(r -> require(r >= 0.01 && r <= 0.99, "forecast.risk",
        "must be in [0.01, 0.99], was " + r));
  }

  /** The quantile served at each horizon: {@code 1 - risk}, or NaN for the mean. */
  public double servedQuantile() {
    return risk.isPresent() ? 1 - risk.getAsDouble() : Double.NaN;
  }

  public PredictConfig withRisk(OptionalDouble v) {
    return new PredictConfig(lead, safety, step, historyPoints, refitEvery, signals,
        maxRelativeError, workers, bootstrap, anomalyWarmupPoints, v, podModels, surge, trendBound);
  }

  /**
   * Defaults: lead 2m, max with observed, step = refresh interval, 2,880 points per model, risk
   * {@value #DEFAULT_RISK}.
   */
  public static PredictConfig defaults() {
    return new PredictConfig(Duration.ofMinutes(2), Safety.MAX_WITH_OBSERVED, Optional.empty(),
        2_880, Optional.empty(), ALL_SIGNALS, 1.0, 2, true, 100,
        OptionalDouble.of(DEFAULT_RISK), false, DEFAULT_SURGE, true);
  }

  public PredictConfig withPodModels(boolean v) {
    return new PredictConfig(lead, safety, step, historyPoints, refitEvery, signals,
        maxRelativeError, workers, bootstrap, anomalyWarmupPoints, risk, v, surge, trendBound);
  }

  /**
   * Whether the surge rule is on by default: no. Measured once on the development traces in the
   * closed-loop replay (NASA: +1.6 % replica-hours for -0.7 % violation minutes at risk 0.6; NAB
   * ELB: no change), load-tests/RESULTS.md.
   */
  public static final boolean DEFAULT_SURGE = false;

  /** With the surge rule and the trend bound switched on or off ({@code predict.ServingDecision}). */
  public PredictConfig withRules(boolean surgeRule, boolean trendBoundRule) {
    return new PredictConfig(lead, safety, step, historyPoints, refitEvery, signals,
        maxRelativeError, workers, bootstrap, anomalyWarmupPoints, risk, podModels, surgeRule,
        trendBoundRule);
  }

  public PredictConfig withLead(Duration v) {
    return new PredictConfig(v, safety, step, historyPoints, refitEvery, signals,
        maxRelativeError, workers, bootstrap, anomalyWarmupPoints, risk, podModels, surge, trendBound);
  }

  public PredictConfig withSafety(Safety v) {
    return new PredictConfig(lead, v, step, historyPoints, refitEvery, signals,
        maxRelativeError, workers, bootstrap, anomalyWarmupPoints, risk, podModels, surge, trendBound);
  }

  public PredictConfig withStep(Duration v) {
    return new PredictConfig(lead, safety, Optional.of(v), historyPoints, refitEvery, signals,
        maxRelativeError, workers, bootstrap, anomalyWarmupPoints, risk, podModels, surge, trendBound);
  }

  public PredictConfig withHistoryPoints(int v) {
    return new PredictConfig(lead, safety, step, v, refitEvery, signals, maxRelativeError,
        workers, bootstrap, anomalyWarmupPoints, risk, podModels, surge, trendBound);
  }

  public PredictConfig withRefitEvery(Duration v) {
    return new PredictConfig(lead, safety, step, historyPoints, Optional.of(v), signals,
        maxRelativeError, workers, bootstrap, anomalyWarmupPoints, risk, podModels, surge, trendBound);
  }

  public PredictConfig withSignals(Set<String> v) {
    return new PredictConfig(lead, safety, step, historyPoints, refitEvery, v,
        maxRelativeError, workers, bootstrap, anomalyWarmupPoints, risk, podModels, surge, trendBound);
  }

  /** Parses a {@code forecast:} mapping (null or missing: defaults). */
  public static PredictConfig parse(JsonNode n) {
    PredictConfig d = defaults();
    if (n == null || n.isNull() || n.isMissingNode()) {
      return d;
    }
    require(n.isObject(), "forecast", "must be a mapping");
    Set<String> known = Set.of("lead", "safety", "step", "historyPoints", "refitEvery", "signals",
        "maxRelativeError", "workers", "bootstrap", "anomalyWarmupPoints", "risk", "podModels",
        "surge", "trendBound");
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      require(known.contains(k), "forecast." + k, "unknown key (known: " + known + ")");
    }
    Duration lead = n.has("lead") ? duration(n.get("lead"), "forecast.lead") : d.lead();
    Safety safety = d.safety();
    if (n.has("safety")) {
      String s = n.get("safety").asText();
      safety = switch (s) {
        case "maxWithObserved" -> Safety.MAX_WITH_OBSERVED;
        case "forecast" -> Safety.FORECAST;
        default -> throw new IllegalArgumentException("forecast.safety: expected maxWithObserved "
            + "or forecast, was \"" + s + "\"");
      };
    }
    Optional<Duration> step = n.has("step")
        ? Optional.of(duration(n.get("step"), "forecast.step")) : d.step();
    int history = n.has("historyPoints") ? integer(n.get("historyPoints"),
        "forecast.historyPoints") : d.historyPoints();
    Optional<Duration> refit = n.has("refitEvery")
        ? Optional.of(duration(n.get("refitEvery"), "forecast.refitEvery")) : d.refitEvery();
    Set<String> signals = d.signals();
    if (n.has("signals")) {
      require(n.get("signals").isArray(), "forecast.signals", "must be a list of metric names");
      Set<String> s = new LinkedHashSet<>();
      for (JsonNode x : n.get("signals")) {
        require(ALL_SIGNALS.contains(x.asText()), "forecast.signals",
            "unknown signal \"" + x.asText() + "\" (known: " + ALL_SIGNALS + ")");
        s.add(x.asText());
      }
      signals = s;
    }
    double maxRel = d.maxRelativeError();
    if (n.has("maxRelativeError")) {
      require(n.get("maxRelativeError").isNumber(), "forecast.maxRelativeError",
          "must be a number, was \"" + n.get("maxRelativeError").asText() + "\"");
      maxRel = n.get("maxRelativeError").asDouble();
    }
    int workers = n.has("workers") ? integer(n.get("workers"), "forecast.workers") : d.workers();
    boolean bootstrap = d.bootstrap();
    if (n.has("bootstrap")) {
      require(n.get("bootstrap").isBoolean(), "forecast.bootstrap", "must be true or false");
      bootstrap = n.get("bootstrap").asBoolean();
    }
    int warmup = n.has("anomalyWarmupPoints") ? integer(n.get("anomalyWarmupPoints"),
        "forecast.anomalyWarmupPoints") : d.anomalyWarmupPoints();
    OptionalDouble risk = d.risk();
    if (n.has("risk") && "mean".equals(n.get("risk").asText())) {
      risk = OptionalDouble.empty();
    } else if (n.has("risk")) {
      require(n.get("risk").isNumber(), "forecast.risk", "must be a number in [0.01, 0.99] or "
          + "\"mean\", was \"" + n.get("risk").asText() + "\"");
      risk = OptionalDouble.of(n.get("risk").asDouble());
    }
    boolean podModels = bool(n, "podModels", d.podModels());
    return new PredictConfig(lead, safety, step, history, refit, signals, maxRel, workers,
        bootstrap, warmup, risk, podModels, bool(n, "surge", d.surge()),
        bool(n, "trendBound", d.trendBound()));
  }

  private static boolean bool(JsonNode n, String key, boolean dflt) {
    if (!n.has(key)) {
      return dflt;
    }
    require(n.get(key).isBoolean(), "forecast." + key, "must be true or false, was \""
        + n.get(key).asText() + "\"");
    return n.get(key).asBoolean();
  }

  /** A duration in the configuration's one syntax ({@link Durations}: 90s, 1h30m, PT15S). */
  static Duration duration(JsonNode v, String key) {
    try {
      return Node.parseDuration(key, v);
    } catch (ConfigException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  private static int integer(JsonNode v, String key) {
    require(v.isInt(), key, "must be an integer, was \"" + v.asText() + "\"");
    return v.asInt();
  }

  private static void require(boolean ok, String key, String message) {
    if (!ok) {
      throw new IllegalArgumentException(key + ": " + message);
    }
  }

  /** The signals list in a stable order. */
  List<String> orderedSignals() {
    return signals.stream().sorted().toList();
  }
}
