package io.meshcast.adapter.predict;

import java.util.Map;

/**
 * The hook through which a Service's served demand forecast includes what its callers are about
 * to send (issue 15). Called once per processed snapshot, on the forecast worker, with the
 * reports the models just produced; returns, by series id, the propagated demand of the
 * service-level {@value #SIGNAL} series it knows about. The served {@code kuma_demand_rps_forecast} of
 * such a series is then {@code max(own served value, propagated total)} ({@link #served}): the
 * upstream demand can raise what the HPA receives, never lower it, and a series without an entry
 * is served exactly as before.
 *
 * <p>Implementations must be pure in-memory computations (no I/O) and thread-safe.
 */
public interface DemandPropagation {

  /** The signal whose service-level forecast includes the upstream demand. */
  String SIGNAL = DerivedNames.DEMAND;

  /** No propagation (the default): every forecast is the series' own. */
  DemandPropagation NONE = reports -> Map.of();

  /**
   * One series' propagated demand, in requests per second.
   *
   * @param total own ingress share of the own forecast plus the upstream part
   * @param upstream the callers' demand forecast times the call ratios, summed over stable edges
   * @param ingress the own forecast's share for traffic the callers do not explain
   * @param ingressShare that share, in [0, 1]
   * @param detail which callers contributed how much, or how a missing number was handled
   */
  record Upstream(double total, double upstream, double ingress, double ingressShare,
      String detail) {}

  /** The propagated demand by series id ({@code namespace/service/kuma_rps}). */
  Map<String, Upstream> propagate(Map<String, SeriesReport> reports);

  /** The value served given the series' own served value and its propagated demand, if any. */
  static double served(double own, Upstream u) {
    if (u == null || Double.isNaN(own) || Double.isNaN(u.total())) {
      return own;
    }
    return Math.max(own, u.total());
  }
}
