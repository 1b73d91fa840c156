package io.meshcast.forecast.internal.eval;

/**
 * Streaming accumulator of point-forecast accuracy (Hyndman &amp; Koehler 2006, "Another look at
 * measures of forecast accuracy", Int. J. Forecasting 22:679–688; M4 competition definitions):
 *
 * <pre>
 *   MAE   = mean |y − ŷ|
 *   sMAPE = 200/n · Σ |y − ŷ| / (|y| + |ŷ|)        (terms with y = ŷ = 0 count as 0)
 *   MASE  = MAE / scale, scale = in-sample MAE of the lag-1 naive forecast on the training part
 * </pre>
 *
 * plus the empirical coverage of 80 % / 95 % intervals. Pairs with a NaN actual or forecast are
 * skipped (and counted in {@link #skipped()}). Not thread-safe.
 */
public final class Accuracy {
  private double sumAbs;
  private double sumSmape;
  private long n;
  private long skipped;
  private long in80;
  private long in95;
  private long intervals;

  /** Adds one forecast/actual pair. */
  public void add(double actual, double forecast) {
    if (Double.isNaN(actual) || Double.isNaN(forecast)) {
      skipped++;
      return;
    }
    final double e = Math.abs(actual - forecast);
    sumAbs += e;
    final double d = Math.abs(actual) + Math.abs(forecast);
    sumSmape += d == 0 ? 0 : 200 * e / d;
    n++;
  }

  /** Adds one pair with interval bounds (NaN bounds are not counted for coverage). */
  public void add(double actual, double forecast, double lo80, double hi80, double lo95,
      double hi95) {
    add(actual, forecast);
    if (!Double.isNaN(actual) && !Double.isNaN(lo80) && !Double.isNaN(hi95)) {
      intervals++;
      if (actual >= lo80 && actual <= hi80) {
        in80++;
      }
      if (actual >= lo95 && actual <= hi95) {
        in95++;
      }
    }
  }

  public long count() {
    return n;
  }

  public long skipped() {
    return skipped;
  }

  public double mae() {
    return n == 0 ? Double.NaN : sumAbs / n;
  }

  public double smape() {
    return n == 0 ? Double.NaN : sumSmape / n;
  }

  public double mase(double scale) {
    return mae() / scale;
  }

  /** Fraction of outcomes inside the 80 % interval; NaN if no intervals were given. */
  public double coverage80() {
    return intervals == 0 ? Double.NaN : (double) in80 / intervals;
  }

  public double coverage95() {
    return intervals == 0 ? Double.NaN : (double) in95 / intervals;
  }

  /** In-sample MAE of the lag-1 naive forecast on {@code y[0, end)}: the MASE scale. */
  public static double naiveScale(double[] y, int end) {
    double sum = 0;
    long cnt = 0;
    double last = Double.NaN;
    for (int i = 0; i < end; i++) {
      if (!Double.isNaN(y[i])) {
        if (!Double.isNaN(last)) {
          sum += Math.abs(y[i] - last);
          cnt++;
        }
        last = y[i];
      }
    }
    return cnt == 0 ? Double.NaN : sum / cnt;
  }
}
