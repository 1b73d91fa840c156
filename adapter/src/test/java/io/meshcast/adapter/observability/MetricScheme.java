package io.meshcast.adapter.observability;

import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Label;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The naming scheme of docs/metrics.md as a check over a registry's scrape: {@code
 * meshcast_<subsystem>_<name>[_<unit>]}, lower snake case, a known subsystem, base units only
 * (and named in the unit metadata, so OpenMetrics' {@code # UNIT} is right), durations in
 * seconds, {@code _total} on counters and only on counters, lower-snake-case label names, and
 * lower-snake-case values for every label that is not a free-form name (a metric, a signal, a
 * Kubernetes object, an API group, an API version, an HTTP code).
 */
final class MetricScheme {

  /** The subsystems of docs/metrics.md; a new one is added there and here together. */
  static final Set<String> SUBSYSTEMS = Set.of("api", "source", "refresh", "snapshot", "policy",
      "forecast", "anomaly", "graph", "shard", "delegate");
  /** Labels whose values are names from the configuration, Kubernetes or HTTP, not enums. */
  static final Set<String> FREE_FORM_LABELS = Set.of("metric", "signal", "namespace", "object",
      "group", "version", "code");
  /** Prefixes of standard instrumentation (JVM, process) that keeps its own names. */
  private static final List<String> FOREIGN = List.of("jvm_", "process_");

  private static final Pattern SNAKE = Pattern.compile("[a-z][a-z0-9]*(_[a-z0-9]+)*");
  private static final Pattern VALUE = Pattern.compile("[a-z0-9]+(_[a-z0-9]+)*");
  /** Base units (Prometheus: seconds, bytes, ratios 0-1). */
  private static final Set<String> UNITS = Set.of("seconds", "bytes", "ratio");
  /** Scaled or non-base units, never part of a name. */
  private static final Set<String> NON_BASE = Set.of("ms", "millis", "milliseconds", "us",
      "micros", "microseconds", "ns", "nanos", "nanoseconds", "minutes", "hours", "days", "kb",
      "mb", "gb", "kib", "mib", "gib", "kilobytes", "megabytes", "percent", "pct");
  /** Words that make a name a time, so it must end in {@code _seconds}. */
  private static final Set<String> TIME_WORDS = Set.of("duration", "latency", "age", "time",
      "delay", "timeout", "interval", "elapsed");
  /** Suffixes a gauge or histogram name must not end in (they are the exposition's own). */
  private static final List<String> RESERVED_SUFFIXES = List.of("_total", "_count", "_sum",
      "_bucket", "_created", "_info");

  private MetricScheme() {}

  /**
   * The name a metric is served under and grepped for: counters with {@code _total} (the
   * client's metadata holds the name without it).
   */
  static String servedName(MetricSnapshot s) {
    String name = s.getMetadata().getPrometheusName();
    return s instanceof CounterSnapshot ? name + "_total" : name;
  }

  /** Every violation in {@code snapshots} once, each naming the metric; empty when all conform. */
  static List<String> violations(MetricSnapshots snapshots) {
    List<String> out = new ArrayList<>();
    for (MetricSnapshot s : snapshots) {
      violations(s, out);
    }
    return out.stream().distinct().toList();
  }

  private static void violations(MetricSnapshot s, List<String> out) {
    String served = servedName(s);
    if (FOREIGN.stream().anyMatch(served::startsWith)) {
      return;
    }
    String base = s.getMetadata().getPrometheusName(); // without _total for counters
    String what = served + " (" + type(s) + ")";
    if (!served.startsWith("meshcast_")) {
      out.add(what + ": not prefixed meshcast_");
      return;
    }
    if (!SNAKE.matcher(base).matches()) {
      out.add(what + ": not lower snake case");
      return;
    }
    List<String> words = List.of(base.split("_"));
    if (words.size() < 3) {
      out.add(what + ": needs meshcast_<subsystem>_<name>");
      return;
    }
    if (!SUBSYSTEMS.contains(words.get(1))) {
      out.add(what + ": subsystem '" + words.get(1) + "' is not one of " + SUBSYSTEMS
          + " (docs/metrics.md)");
    }
    for (String w : words) {
      if (NON_BASE.contains(w)) {
        out.add(what + ": '" + w + "' is not a base unit (seconds, bytes, ratio)");
      }
    }
    String last = words.get(words.size() - 1);
    if (words.stream().anyMatch(TIME_WORDS::contains) && !last.equals("seconds")) {
      out.add(what + ": a time must end in _seconds");
    }
    for (int i = 2; i < words.size() - 1; i++) {
      if (UNITS.contains(words.get(i))) {
        out.add(what + ": unit '" + words.get(i) + "' must be the last word before _total");
      }
    }
    String unit = s.getMetadata().hasUnit() ? s.getMetadata().getUnit().toString() : null;
    if (UNITS.contains(last) && !last.equals(unit)) {
      out.add(what + ": ends in _" + last + " but its unit metadata is " + unit);
    }
    if (unit != null && !unit.equals(last)) {
      out.add(what + ": unit metadata " + unit + " but the name does not end in _" + unit);
    }
    if (!(s instanceof CounterSnapshot)) {
      RESERVED_SUFFIXES.stream().filter(base::endsWith).forEach(x ->
          out.add(what + ": only counters end in _total; " + x + " is the exposition's own"));
    }
    if (s instanceof CounterSnapshot && last.equals("ratio")) {
      out.add(what + ": a ratio is a gauge (count numerator and denominator instead)");
    }
    if (!(s instanceof CounterSnapshot || s instanceof GaugeSnapshot
        || s instanceof HistogramSnapshot)) {
      out.add(what + ": meshcast exports counters, gauges and histograms only");
    }
    for (DataPointSnapshot p : s.getDataPoints()) {
      for (Label l : p.getLabels()) {
        if (!SNAKE.matcher(l.getName()).matches()) {
          out.add(what + ": label name '" + l.getName() + "' is not lower snake case");
        } else if (!FREE_FORM_LABELS.contains(l.getName())
            && !VALUE.matcher(l.getValue()).matches()) {
          out.add(what + ": label " + l.getName() + "=\"" + l.getValue()
              + "\" is not a lower-snake-case value");
        }
      }
    }
  }

  private static String type(MetricSnapshot s) {
    return s.getClass().getSimpleName().replace("Snapshot", "").toLowerCase(java.util.Locale.ROOT);
  }
}
