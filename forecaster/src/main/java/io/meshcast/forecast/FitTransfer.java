package io.meshcast.forecast;

import java.io.IOException;
import java.util.Optional;

/**
 * Moves a fitted model between forecasters of the same series on different replicas: the replica
 * that owns a series refits it and {@link #export exports} the chosen model with its state and
 * interval calibration; the others {@link #adopt adopt} it and keep it current with their own
 * O(1) {@link SeriesForecaster#update updates}, so every replica forecasts the series while only
 * one pays for the fit.
 *
 * <p>The state is positioned after the exporter's last observation. An adopting forecaster that
 * has seen points after that one replays them from its own history (as a refit does); one that is
 * behind the exporter cannot adopt yet and says so ({@link Adoption#BEHIND}).
 *
 * <p>Payload: a few dozen bytes plus 8 bytes per state value, dominated by seasonal states (one
 * value per phase: 11.5 KB for a daily cycle of one-minute steps) and the interval table (120
 * bytes per calibrated horizon). The format is private to one meshcast version.
 */
public final class FitTransfer {

  /** What {@link #adopt} did. */
  public enum Adoption {
    /** The fit replaced the forecaster's model. */
    ADOPTED,
    /** The exporter has seen points this forecaster has not yet: retry after later updates. */
    BEHIND,
    /** The fit is older than all of this forecaster's history: it cannot be brought up to date. */
    STALE
  }

  private FitTransfer() {}

  /** The current fit and state of {@code f}, or empty before its first refit. */
  public static Optional<byte[]> export(SeriesForecaster f) {
    return Optional.ofNullable(impl(f).exportFit());
  }

  /**
   * Adopts a fit {@link #export} produced for the same series (same step).
   *
   * @throws IOException if the payload is corrupt, from another version or for another step
   */
  public static Adoption adopt(SeriesForecaster f, byte[] fit) throws IOException {
    return impl(f).adoptFit(fit);
  }

  private static DefaultSeriesForecaster impl(SeriesForecaster f) {
    if (f instanceof DefaultSeriesForecaster d) {
      return d;
    }
    throw new IllegalArgumentException("not a forecaster of Forecasters: " + f.getClass());
  }
}
