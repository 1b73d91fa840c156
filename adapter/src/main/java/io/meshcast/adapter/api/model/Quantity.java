package io.meshcast.adapter.api.model;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Formats values as Kubernetes {@code resource.Quantity} strings in canonical DecimalSI form, the
 * form kube-apiserver itself emits (k8s-metrics-api.md §1.6).
 *
 * <p>Values are first rounded to milli-units away from zero, which is exactly what the HPA does
 * when it reads a quantity ({@code MilliValue()} rounds up to 1m): emitting more precision would
 * change nothing downstream, and emitting less would change replica counts. Then trailing zeros
 * are moved into the exponent, the exponent is lowered to a multiple of three and the SI suffix is
 * appended: 0.5 becomes {@code "500m"}, 1.5 {@code "1500m"}, 2000 {@code "2k"}, 1500 {@code
 * "1500"}.
 */
public final class Quantity {

  /** Largest magnitude accepted: the HPA's int64 milli arithmetic overflows beyond ~9.22e15. */
  public static final double MAX_ABS_VALUE = 9e15;

  private static final String[] SUFFIXES = {"n", "u", "m", "", "k", "M", "G", "T", "P", "E"};

  private Quantity() {}

  /**
   * Canonical string for a value.
   *
   * @throws IllegalArgumentException if the value is NaN, infinite or larger in magnitude than
   *     {@link #MAX_ABS_VALUE}
   */
  public static String format(double value) {
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException("value is not finite: " + value);
    }
    if (Math.abs(value) > MAX_ABS_VALUE) {
      throw new IllegalArgumentException(
          "value " + value + " exceeds " + MAX_ABS_VALUE + ", the HPA's milli-unit range");
    }
    // Double.toString is the shortest decimal that round-trips, so 1.1 stays 1.1 (not 1.1000…02).
    long milli =
        BigDecimal.valueOf(value).movePointRight(3).setScale(0, RoundingMode.UP).longValueExact();
    return formatMilli(milli);
  }

  /** Canonical string for a value given in milli-units (what {@code NewMilliQuantity} emits). */
  public static String formatMilli(long milli) {
    if (milli == 0) {
      return "0";
    }
    long mantissa = milli;
    int exp = -3;
    while (Math.abs(mantissa) >= 10 && mantissa % 10 == 0) {
      mantissa /= 10;
      exp++;
    }
    int r = exp % 3; // truncating remainder, like Go's %
    if (r == 1 || r == -2) {
      mantissa *= 10;
      exp -= 1;
    } else if (r == 2 || r == -1) {
      mantissa *= 100;
      exp -= 2;
    }
    return Long.toString(mantissa) + SUFFIXES[exp / 3 + 3];
  }
}
