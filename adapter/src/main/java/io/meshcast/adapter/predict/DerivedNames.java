package io.meshcast.adapter.predict;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Names of the metrics the predictive layer serves, derived from the base golden signals:
 *
 * <pre>
 * {@code <signal>_forecast}        predicted value (highest over the lead time, after the safety rule)
 * {@code <signal>_anomaly_score}   0-100 anomaly score of the latest observation
 * {@code kuma_saturation}          observed in-flight requests (Little's law L)
 * {@code kuma_saturation_forecast} predicted in-flight requests: L * rps_forecast / rps
 * {@code kuma_saturation_per_pod_forecast}  the Service's predicted in-flight requests divided by
 *                                   the pods currently reporting (Services and External only)
 * </pre>
 */
public final class DerivedNames {

  public static final String FORECAST = "_forecast";
  public static final String ANOMALY = "_anomaly_score";
  public static final String SATURATION = "kuma_saturation";
  public static final String SATURATION_FORECAST = "kuma_saturation_forecast";
  public static final String SATURATION_PER_POD_FORECAST = "kuma_saturation_per_pod_forecast";
  static final String RPS = "kuma_rps";
  static final String DEMAND = "kuma_demand_rps";
  static final String INFLIGHT = "kuma_inflight";

  private DerivedNames() {}

  /** Every derived name for the given modelled signals, in a stable order. */
  public static List<String> all(Collection<String> signals) {
    List<String> out = new ArrayList<>();
    for (String s : signals.stream().sorted().toList()) {
      out.add(s + FORECAST);
      out.add(s + ANOMALY);
    }
    if (signals.contains(RPS) && signals.contains(INFLIGHT)) {
      out.add(SATURATION);
      out.add(SATURATION_FORECAST);
      out.add(SATURATION_PER_POD_FORECAST);
    }
    return out;
  }

  /** The base signal of a derived name ({@code kuma_inflight} for the saturation metrics). */
  public static Optional<String> base(String derived) {
    if (derived.equals(SATURATION) || derived.equals(SATURATION_FORECAST)
        || derived.equals(SATURATION_PER_POD_FORECAST)) {
      return Optional.of(INFLIGHT);
    }
    if (derived.endsWith(FORECAST)) {
      return Optional.of(derived.substring(0, derived.length() - FORECAST.length()));
    }
    if (derived.endsWith(ANOMALY)) {
      return Optional.of(derived.substring(0, derived.length() - ANOMALY.length()));
    }
    return Optional.empty();
  }
}
