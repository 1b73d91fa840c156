package io.meshcast.loadtest.serving;

import io.meshcast.loadtest.serving.ServingBench.Measurement;
import io.meshcast.loadtest.serving.ServingBench.Summary;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** Writes a run's results: a Markdown summary, per-round CSV and SVG plots. */
final class BenchReport {

  /** The figure-of-merit target: adapter max throughput over the baseline's. */
  static final double THROUGHPUT_RATIO_TARGET = 0.7;
  /** The latency target at the fixed rate with 10k series. */
  static final double P99_TARGET_MS = 5.0;

  private BenchReport() {}

  static String markdown(ServingBench.Config c, ServingBench.Outcome o) {
    StringBuilder s = new StringBuilder();
    s.append(String.format(Locale.ROOT,
        "Fixed rate %.0f req/s open loop (latency from intended send time) for %d s per "
            + "measurement, %d connections; max throughput closed loop with %s, %d connections, "
            + "%d s; %d interleaved round(s), medians shown (errors summed). Memory read after "
            + "each measurement: RSS from /proc, heap after a forced full GC. Target JVM flags: "
            + "%s. Adapter: %s.%n%n",
        c.rate(), c.measure().toSeconds(), c.connections(), o.maxTool(), c.maxConnections(),
        c.measure().toSeconds(), c.rounds(), String.join(" ", c.targetJvmArgs()),
        c.pipeline() ? "the real serve composition (Kuma pipeline, forecasts bootstrapped, access"
            + " log on) over a fake Prometheus, " + c.podsPerService() + " pods per service,"
            + " HPAs reading _forecast metrics; series = observed series"
            : "InMemoryMetricsProvider (indexed by metric and namespace)"));
    s.append("| series | target | body B | p50 ms | p99 ms | p99.9 ms | ok/s at fixed rate "
        + "| errors (fixed) | max ok/s | errors (max) | RSS MiB | heap MiB | client send lag p99 ms |\n");
    s.append("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (Summary x : o.summaries()) {
      s.append(String.format(Locale.ROOT,
          "| %,d | %s | %d | %.2f | %.2f | %.2f | %.0f | %d | %.0f | %d | %.0f | %.1f | %.2f |%n",
          x.series(), x.target(), x.bodyBytes(), x.p50Ms(), x.p99Ms(), x.p999Ms(),
          x.achievedRps(), x.fixedErrors(), x.maxRps(), x.maxErrors(), x.rssMiB(), x.heapMiB(),
          x.sendLagP99Ms()));
    }
    s.append("\nRatios are medians over rounds of the per-round ratio (adapter and baseline measured "
        + "back to back in the same round).\n\n");
    s.append("| series | max throughput adapter/bare (target ≥ 0.7) | p99 adapter/bare "
        + "| adapter p99 at fixed rate (target < 5 ms at 10k) | RSS adapter − bare MiB "
        + "| heap adapter − bare MiB |\n");
    s.append("|---:|---:|---:|---:|---:|---:|\n");
    for (Summary a : o.summaries()) {
      if (!a.target().equals(ServingBench.ADAPTER)) {
        continue;
      }
      double ratio = roundRatio(o.measurements(), a.series(), Measurement::maxRps);
      double p99 = roundRatio(o.measurements(), a.series(), m -> m.fixed().p99Ms());
      double rss = roundDelta(o.measurements(), a.series(), m -> m.memory().rssBytes() / 1048576.0);
      double heap =
          roundDelta(o.measurements(), a.series(), m -> m.memory().heapAfterGcBytes() / 1048576.0);
      s.append(String.format(Locale.ROOT, "| %,d | %.2f %s | %.2f | %.2f ms %s | %.0f | %.1f |%n",
          a.series(), ratio, ratio >= THROUGHPUT_RATIO_TARGET ? "✅" : "❌", p99, a.p99Ms(),
          a.series() == 10_000 ? (a.p99Ms() < P99_TARGET_MS && a.fixedErrors() == 0 ? "✅" : "❌")
              : "",
          rss, heap));
    }
    s.append(perKindMarkdown(o));
    return s.toString();
  }

  /**
   * Max throughput of each request kind alone, adapter against the baseline answering the same
   * bytes: per-round ratios (same round, back to back) and their median.
   */
  static String perKindMarkdown(ServingBench.Outcome o) {
    StringBuilder s = new StringBuilder();
    boolean any = o.measurements().stream().anyMatch(m -> !m.maxByKind().isEmpty());
    if (!any) {
      return "";
    }
    s.append("\nPer request kind (closed loop on that kind alone; the baseline returns the "
        + "adapter's own answer bytes for each path):\n\n");
    s.append("| series | kind | median body B | adapter max ok/s | bare max ok/s "
        + "| per-round ratios | ratio (median; target ≥ 0.7) |\n");
    s.append("|---:|---|---:|---:|---:|---|---:|\n");
    for (Summary a : o.summaries()) {
      if (!a.target().equals(ServingBench.ADAPTER)) {
        continue;
      }
      Summary b = o.summaries().stream().filter(x -> x.series() == a.series()
          && x.target().equals(ServingBench.BARE)).findFirst().orElse(null);
      for (RequestMix.Kind kind : RequestMix.Kind.values()) {
        if (!a.maxRpsByKind().containsKey(kind) || b == null) {
          continue;
        }
        List<Double> rounds = perRound(o.measurements(), a.series(), kind);
        double ratio = median(rounds);
        StringBuilder r = new StringBuilder();
        for (double x : rounds) {
          r.append(r.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.2f", x));
        }
        s.append(String.format(Locale.ROOT, "| %,d | %s | %d | %.0f | %.0f | %s | %.2f %s |%n",
            a.series(), kind.label(), a.bodyBytesByKind().getOrDefault(kind, 0),
            a.maxRpsByKind().get(kind), b.maxRpsByKind().getOrDefault(kind, Double.NaN), r,
            ratio, ratio >= THROUGHPUT_RATIO_TARGET ? "✅" : "❌"));
      }
    }
    return s.toString();
  }

  /** adapter/bare max throughput of one kind, per round, in round order. */
  static List<Double> perRound(List<Measurement> ms, int series, RequestMix.Kind kind) {
    List<Double> out = new java.util.ArrayList<>();
    for (Measurement a : ms) {
      if (a.series() != series || !a.target().equals(ServingBench.ADAPTER)
          || !a.maxByKind().containsKey(kind)) {
        continue;
      }
      for (Measurement b : ms) {
        if (b.series() == series && b.round() == a.round()
            && b.target().equals(ServingBench.BARE) && b.maxByKind().containsKey(kind)) {
          out.add(a.maxByKind().get(kind).okPerSecond() / b.maxByKind().get(kind).okPerSecond());
        }
      }
    }
    return out;
  }

  private static double median(List<Double> values) {
    double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    if (v.length == 0) {
      return Double.NaN;
    }
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  /** Median over rounds of adapter/bare for one series count. */
  static double roundRatio(List<Measurement> ms, int series,
      java.util.function.ToDoubleFunction<Measurement> f) {
    return medianOverRounds(ms, series, f, true);
  }

  /** Median over rounds of adapter − bare for one series count. */
  static double roundDelta(List<Measurement> ms, int series,
      java.util.function.ToDoubleFunction<Measurement> f) {
    return medianOverRounds(ms, series, f, false);
  }

  private static double medianOverRounds(List<Measurement> ms, int series,
      java.util.function.ToDoubleFunction<Measurement> f, boolean ratio) {
    List<Double> values = new java.util.ArrayList<>();
    for (Measurement a : ms) {
      if (a.series() != series || !a.target().equals(ServingBench.ADAPTER)) {
        continue;
      }
      for (Measurement b : ms) {
        if (b.series() == series && b.round() == a.round()
            && b.target().equals(ServingBench.BARE)) {
          double x = f.applyAsDouble(a);
          double y = f.applyAsDouble(b);
          values.add(ratio ? x / y : x - y);
        }
      }
    }
    return median(values);
  }

  static String csv(List<Measurement> ms) {
    StringBuilder s = new StringBuilder(
        "series,target,round,sent,ok,errors,seconds,ok_per_s,p50_ms,p99_ms,p999_ms,max_ms,"
            + "send_lag_p99_ms,max_ok_per_s,max_errors,rss_bytes,heap_after_gc_bytes,"
            + "max_pods_ok_per_s,max_object_ok_per_s,max_external_ok_per_s,max_by_kind_errors\n");
    for (Measurement m : ms) {
      var f = m.fixed();
      s.append(String.format(Locale.ROOT,
          "%d,%s,%d,%d,%d,%d,%.3f,%.1f,%.3f,%.3f,%.3f,%.3f,%.3f,%.1f,%d,%d,%d,%s,%s,%s,%d%n",
          m.series(), m.target(), m.round(), f.sent(), f.ok(), f.errors(), f.seconds(),
          f.throughput(), f.p50Ms(), f.p99Ms(), f.p999Ms(), f.maxMs(), f.sendLagP99Ms(),
          m.maxRps(), m.maxErrors(),
          m.memory().rssBytes(), m.memory().heapAfterGcBytes(),
          kindCell(m, RequestMix.Kind.PODS), kindCell(m, RequestMix.Kind.OBJECT),
          kindCell(m, RequestMix.Kind.EXTERNAL),
          m.maxByKind().values().stream().mapToLong(ServingBench.KindMax::errors).sum()));
    }
    return s.toString();
  }

  private static String kindCell(Measurement m, RequestMix.Kind kind) {
    ServingBench.KindMax k = m.maxByKind().get(kind);
    return k == null ? "" : String.format(Locale.ROOT, "%.1f", k.okPerSecond());
  }

  static void write(ServingBench.Config c, ServingBench.Outcome o, Path dir) throws IOException {
    ServingBench.writeString(dir.resolve("results.md"), markdown(c, o));
    ServingBench.writeString(dir.resolve("results.csv"), csv(o.measurements()));
    List<Summary> s = o.summaries();
    double[] n = ServingBench.seriesAxis(s);
    ServingBench.writeString(dir.resolve("throughput.svg"),
        new SvgPlot("Max throughput (closed loop, " + o.maxTool() + ")", "series", "ok req/s",
            true, false)
            .line("adapter", n, ServingBench.values(s, ServingBench.ADAPTER, Summary::maxRps))
            .line("bare Vert.x", n, ServingBench.values(s, ServingBench.BARE, Summary::maxRps))
            .render());
    ServingBench.writeString(dir.resolve("latency.svg"),
        new SvgPlot(String.format(Locale.ROOT, "Latency at %.0f req/s (open loop)", c.rate()),
            "series", "ms (log)", true, true)
            .line("adapter p99", n, ServingBench.values(s, ServingBench.ADAPTER, Summary::p99Ms))
            .line("bare p99", n, ServingBench.values(s, ServingBench.BARE, Summary::p99Ms))
            .line("adapter p50", n, ServingBench.values(s, ServingBench.ADAPTER, Summary::p50Ms))
            .line("bare p50", n, ServingBench.values(s, ServingBench.BARE, Summary::p50Ms))
            .render());
  }

  static String soakMarkdown(Soak.Config c, Soak.Outcome o) {
    StringBuilder s = new StringBuilder(String.format(Locale.ROOT,
        "Soak: %,d series, %.0f req/s open loop for %d s, sampled every %d s (heap after a forced "
            + "full GC, RSS from /proc). Slopes fitted over samples %d..%d (the first fifth is "
            + "warm-up).%n%n",
        c.series(), c.rate(), c.duration().toSeconds(), c.sample().toSeconds(),
        o.steadyFrom() + 1, o.samples().size()));
    s.append(String.format(Locale.ROOT,
        "- heap-after-GC slope: **%+.2f MiB/hour** (Theil–Sen %+.2f); RSS slope: **%+.2f "
            + "MiB/hour** (Theil–Sen %+.2f)%n",
        o.heapSlopeMiBPerHour(), o.heapTheilSenMiBPerHour(), o.rssSlopeMiBPerHour(),
        o.rssTheilSenMiBPerHour()));
    if (!o.samples().isEmpty()) {
      var first = o.samples().get(o.steadyFrom());
      var last = o.samples().get(o.samples().size() - 1);
      s.append(String.format(Locale.ROOT,
          "- heap %.1f → %.1f MiB, RSS %.1f → %.1f MiB (steady part)%n",
          first.memory().heapAfterGcBytes() / 1048576.0, last.memory().heapAfterGcBytes() / 1048576.0,
          first.memory().rssBytes() / 1048576.0, last.memory().rssBytes() / 1048576.0));
    }
    long errors = o.samples().stream().mapToLong(x -> x.window().errors()).sum();
    s.append(String.format(Locale.ROOT, "- errors over the soak: %d%n%n", errors));
    s.append("| minute | ok/s | p50 ms | p99 ms | p99.9 ms | errors | RSS MiB | heap MiB |\n");
    s.append("|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (Soak.Sample x : o.samples()) {
      s.append(String.format(Locale.ROOT, "| %.1f | %.0f | %.2f | %.2f | %.2f | %d | %.1f | %.1f |%n",
          x.minutes(), x.window().throughput(), x.window().p50Ms(), x.window().p99Ms(),
          x.window().p999Ms(), x.window().errors(), x.memory().rssBytes() / 1048576.0,
          x.memory().heapAfterGcBytes() / 1048576.0));
    }
    return s.toString();
  }

  static void writeSoak(Soak.Config c, Soak.Outcome o, Path dir) throws IOException {
    ServingBench.writeString(dir.resolve("soak.md"), soakMarkdown(c, o));
    double[] t = o.samples().stream().mapToDouble(Soak.Sample::minutes).toArray();
    ServingBench.writeString(dir.resolve("soak.svg"),
        new SvgPlot(String.format(Locale.ROOT, "Soak: %,d series at %.0f req/s", c.series(),
            c.rate()), "minutes", "MiB", false, false)
            .line("RSS", t, o.samples().stream()
                .mapToDouble(x -> x.memory().rssBytes() / 1048576.0).toArray())
            .line("heap after GC", t, o.samples().stream()
                .mapToDouble(x -> x.memory().heapAfterGcBytes() / 1048576.0).toArray())
            .render());
  }
}
