package io.meshcast.adapter.predict;

import java.util.Locale;

/**
 * Why a series is served its observed value instead of its forecast. The label is the value of
 * the {@code reason} label on {@code meshcast_forecast_fallback*} metrics and on /debug.
 */
public enum FallbackReason {
  /** The model holds fewer points than it needs to fit. */
  INSUFFICIENT_HISTORY,
  /** Enough points, but no fit has completed yet. */
  NO_MODEL,
  /** The model's recent error is worse than the naive forecast's (or above the configured bound). */
  WORSE_THAN_NAIVE;

  /** The metric label, e.g. {@code insufficient_history}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
