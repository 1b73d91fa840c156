package io.meshcast.adapter.cli;

import java.math.BigDecimal;

/** Small helpers shared by the CSV commands. */
final class CliSupport {
  private CliSupport() {}

  static SeriesCsv.Irregular irregular(String s) {
    return switch (s.toLowerCase(java.util.Locale.ROOT)) {
      case "fail" -> SeriesCsv.Irregular.FAIL;
      case "snap" -> SeriesCsv.Irregular.SNAP;
      default -> throw new IllegalArgumentException(
          "--irregular must be 'fail' or 'snap', was '" + s + "'");
    };
  }

  /** Up to 6 significant decimals, no exponent, "NaN" for NaN. */
  static String num(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    final String s = new BigDecimal(v).setScale(6, java.math.RoundingMode.HALF_EVEN)
        .stripTrailingZeros().toPlainString();
    return s.equals("-0") ? "0" : s;
  }
}
