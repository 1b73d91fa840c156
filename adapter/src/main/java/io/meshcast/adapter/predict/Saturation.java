package io.meshcast.adapter.predict;

/**
 * Predicted saturation by Little's law. With {@code L} the requests in flight, {@code lambda} the
 * arrival rate and {@code W} the mean time a request spends in the service, {@code L = lambda W}
 * (Little, "A Proof for the Queuing Formula L = lambda W", Operations Research 9(3), 1961). The
 * current {@code W} is measured as {@code L / lambda} from the observed in-flight gauge and
 * request rate; holding it constant over the lead time gives the predicted concurrency
 *
 * <pre>
 *   L_hat = lambda_hat * W = L * lambda_hat / lambda
 * </pre>
 *
 * where {@code lambda_hat} is the served {@code kuma_rps_forecast} (after the safety rule, so by
 * default {@code L_hat >= L}). Without traffic ({@code lambda <= 0}) the ratio is undefined and the
 * in-flight series' own served forecast is used. Per pod, {@code L_hat} is the concurrency one pod
 * will carry; for a Service it is the total, which an HPA divides by the replica count with an
 * {@code AverageValue} target; {@link #perPod} divides it by the pods reporting, for a {@code Value}
 * target (the HPA multiplies a {@code Value} ratio by the ready pods).
 */
final class Saturation {

  private Saturation() {}

  /**
   * @param inflight the report of the in-flight series
   * @param rps the report of the request-rate series with the same labels, or null
   */
  static double forecast(SeriesReport inflight, SeriesReport rps) {
    double l = inflight.observed();
    if (Double.isNaN(l)) {
      return Double.NaN;
    }
    if (rps == null || Double.isNaN(rps.observed()) || rps.observed() <= 0
        || Double.isNaN(rps.served())) {
      return inflight.served();
    }
    return Math.max(0, l * rps.served() / rps.observed());
  }

  /** The Service's predicted concurrency per reporting pod; NaN without pods (an error). */
  static double perPod(double serviceForecast, int pods) {
    return pods <= 0 ? Double.NaN : serviceForecast / pods;
  }
}
