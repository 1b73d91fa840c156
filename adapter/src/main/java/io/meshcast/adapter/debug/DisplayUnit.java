package io.meshcast.adapter.debug;

/**
 * How the debug page shows one signal's values: the unit its name's Prometheus suffix states
 * ({@code _rps} requests per second, {@code _ms} milliseconds, {@code _seconds}), ratios in per
 * cent, in-flight gauges as requests in flight. The page's charts, numbers and rule explanations
 * all use it, so they agree. Names without a known suffix get no unit and scale 1.
 *
 * @param label shown after values and on the value axis (may be empty)
 * @param scale multiplies the metric's value for display (100 for ratios)
 */
record DisplayUnit(String label, double scale) {

  static DisplayUnit of(String signal) {
    if (signal.endsWith("_rps")) {
      return new DisplayUnit("req/s", 1);
    }
    if (signal.endsWith("_ms")) {
      return new DisplayUnit("ms", 1);
    }
    if (signal.endsWith("_ratio")) {
      return new DisplayUnit("%", 100);
    }
    if (signal.endsWith("_seconds")) {
      return new DisplayUnit("s", 1);
    }
    if (signal.contains("inflight") || signal.contains("saturation")) {
      return new DisplayUnit("in flight", 1);
    }
    return new DisplayUnit("", 1);
  }

  /** {@code v} scaled, with three significant digits and the unit, e.g. {@code 0.2 %}. */
  String format(double v) {
    String n = RuleExplanation.num(v * scale);
    return label.isEmpty() || Double.isNaN(v) ? n : n + " " + label;
  }
}
