package io.meshcast.loadtest.serving;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * The serving benchmark: for each series count, the adapter and the bare Vert.x baseline run
 * side by side in their own JVMs and are measured in interleaved rounds (baseline first in odd
 * rounds, adapter first in even ones), so that machine noise hits both alike. Each measurement:
 * a warm-up, an open-loop run at the fixed rate (latency percentiles, errors), a closed-loop
 * max-throughput run, then the target's RSS and heap after a full GC. Medians over rounds are
 * reported, with adapter/baseline ratios.
 */
final class ServingBench {

  static final String ADAPTER = "adapter";
  static final String BARE = "bare";

  /** Parameters of one benchmark run; every phase is bounded in time. */
  record Config(
      List<Integer> seriesCounts,
      int rounds,
      double rate,
      Duration warmup,
      Duration measure,
      Duration drain,
      int connections,
      int maxConnections,
      String maxTool,
      int wrkThreads,
      int mixSize,
      List<String> targetJvmArgs,
      boolean jfr,
      Path outDir) {

    Config {
      seriesCounts = List.copyOf(seriesCounts);
      targetJvmArgs = List.copyOf(targetJvmArgs);
      if (seriesCounts.isEmpty()) {
        throw new IllegalArgumentException("--series needs at least one count");
      }
      if (rounds < 1) {
        throw new IllegalArgumentException("--rounds must be >= 1, got " + rounds);
      }
      if (!(rate > 0)) {
        throw new IllegalArgumentException("--rate must be positive, got " + rate);
      }
      if (connections < 1 || maxConnections < 1 || wrkThreads < 1 || mixSize < 1) {
        throw new IllegalArgumentException(
            "--connections, --max-connections, --wrk-threads and --mix-size must be >= 1");
      }
      if (measure.toSeconds() < 1 || warmup.isNegative() || drain.isNegative()) {
        throw new IllegalArgumentException("--measure must be at least 1s, got " + measure
            + "; --warmup and --drain must not be negative");
      }
      if (!List.of("auto", "wrk", "java").contains(maxTool)) {
        throw new IllegalArgumentException("--max-tool must be auto, wrk or java, got " + maxTool);
      }
      if (maxTool.equals("wrk") && !Wrk.available()) {
        throw new IllegalArgumentException("--max-tool wrk: /usr/bin/wrk is not installed");
      }
    }

    String resolvedMaxTool() {
      return maxTool.equals("auto") ? (Wrk.available() ? "wrk" : "java") : maxTool;
    }
  }

  /** One measurement of one target in one round. */
  record Measurement(
      int series,
      String target,
      int round,
      LoadGenerator.Result fixed,
      double maxRps,
      long maxErrors,
      TargetProcess.Memory memory) {}

  /** Medians over rounds for one (series, target); error counts are summed. */
  record Summary(
      int series,
      String target,
      double p50Ms,
      double p99Ms,
      double p999Ms,
      double achievedRps,
      long fixedErrors,
      double maxRps,
      long maxErrors,
      double rssMiB,
      double heapMiB,
      int bodyBytes,
      double sendLagP99Ms) {}

  /** Everything a run produced. */
  record Outcome(List<Measurement> measurements, List<Summary> summaries, String maxTool) {}

  private final Config config;
  private final PrintStream log;

  ServingBench(Config config, PrintStream log) {
    this.config = config;
    this.log = log;
  }

  Outcome run() throws Exception {
    Files.createDirectories(config.outDir());
    List<Measurement> all = new ArrayList<>();
    List<Summary> summaries = new ArrayList<>();
    for (int series : config.seriesCounts()) {
      List<Measurement> ms = new ArrayList<>();
      int bodyBytes = runSeries(series, ms);
      all.addAll(ms);
      summaries.add(summarize(series, ADAPTER, ms, bodyBytes));
      summaries.add(summarize(series, BARE, ms, bodyBytes));
    }
    return new Outcome(all, summaries, config.resolvedMaxTool());
  }

  private int runSeries(int series, List<Measurement> out) throws Exception {
    List<String> mix = RequestMix.paths(
        SyntheticMesh.generate(series, 7, 0, java.time.Instant.EPOCH).services(),
        config.mixSize(), 11);
    Path dir = config.outDir().resolve("n" + series);
    List<String> adapterJvm = new ArrayList<>(config.targetJvmArgs());
    if (config.jfr()) {
      adapterJvm.add("-XX:StartFlightRecording=filename=" + dir.resolve("adapter.jfr")
          + ",settings=profile");
    }
    log.printf("== %d series: starting the adapter target%n", series);
    try (TargetProcess adapter = TargetProcess.start(ADAPTER, adapterJvm,
        List.of("--mode", ADAPTER, "--series", Integer.toString(series)),
        dir.resolve("adapter.log"))) {
      byte[] body = probe(adapter.port(), mix);
      Path bodyFile = dir.resolve("bare-body.json");
      Files.write(bodyFile, body);
      log.printf("   mix of %d paths answers 200; typical body %d bytes; starting the baseline%n",
          mix.size(), body.length);
      try (TargetProcess bare = TargetProcess.start(BARE, config.targetJvmArgs(),
          List.of("--mode", BARE, "--body-file", bodyFile.toString()),
          dir.resolve("bare.log"))) {
        for (int round = 1; round <= config.rounds(); round++) {
          List<TargetProcess> order = round % 2 == 1 ? List.of(bare, adapter) : List.of(adapter, bare);
          for (TargetProcess t : order) {
            String name = t == adapter ? ADAPTER : BARE;
            Measurement m = measure(series, name, round, t, mix, dir);
            log.printf("   round %d %-7s fixed %.0f/s: p50 %.2f p99 %.2f p99.9 %.2f ms (send lag "
                    + "p99 %.2f), %.0f ok/s, %d errors | max %.0f/s (%d errors) | RSS %.0f MiB, "
                    + "heap %.1f MiB%n",
                round, name, config.rate(), m.fixed.p50Ms(), m.fixed.p99Ms(), m.fixed.p999Ms(),
                m.fixed.sendLagP99Ms(),
                m.fixed.throughput(), m.fixed.errors(), m.maxRps, m.maxErrors,
                m.memory.rssBytes() / 1048576.0, m.memory.heapAfterGcBytes() / 1048576.0);
            if (!m.fixed.firstError().isEmpty()) {
              log.printf("      first error: %s%n", m.fixed.firstError());
            }
            out.add(m);
          }
        }
      }
      return body.length;
    }
  }

  /**
   * Fetches every distinct path once: all must answer 200 (a wrong mix would benchmark error
   * pages), and the median-sized body becomes the baseline's fixed answer.
   */
  private static byte[] probe(int port, List<String> mix) throws Exception {
    List<byte[]> bodies = new ArrayList<>();
    try (LoadGenerator gen = new LoadGenerator(port, 4)) {
      Set<String> seen = new HashSet<>();
      for (String path : mix) {
        if (!seen.add(path)) {
          continue;
        }
        LoadGenerator.Response r = gen.get(path).toCompletionStage().toCompletableFuture()
            .get(30, java.util.concurrent.TimeUnit.SECONDS);
        if (r.status() != 200) {
          throw new IllegalStateException("probe " + path + " answered " + r.status() + ": "
              + r.body());
        }
        if (r.body().toString().contains("\"items\":[]")) {
          throw new IllegalStateException("probe " + path + " answered no items: " + r.body());
        }
        bodies.add(r.body().getBytes());
      }
    }
    bodies.sort(Comparator.comparingInt(b -> b.length));
    return bodies.get(bodies.size() / 2);
  }

  private Measurement measure(int series, String name, int round, TargetProcess target,
      List<String> mix, Path dir) throws Exception {
    try (LoadGenerator warm = new LoadGenerator(target.port(), config.connections())) {
      warm.closedLoop(mix, config.connections(), config.warmup(), 5_000_000);
    }
    LoadGenerator.Result fixed;
    // A fresh client per phase: closing it drops whatever a saturated target still owes.
    try (LoadGenerator gen = new LoadGenerator(target.port(), config.connections())) {
      fixed = gen.fixedRate(mix, config.rate(), config.measure(), config.drain());
    }
    double maxRps;
    long maxErrors;
    if (config.resolvedMaxTool().equals("wrk")) {
      Wrk.Result w = Wrk.run(target.port(), mix, config.wrkThreads(), config.maxConnections(),
          config.measure(), dir.resolve("wrk-" + name));
      long bad = w.non2xx() + w.socketErrors();
      maxRps = w.requests() == 0 ? 0
          : w.requestsPerSecond() * Math.max(0, w.requests() - w.non2xx()) / w.requests();
      maxErrors = bad;
    } else {
      try (LoadGenerator gen = new LoadGenerator(target.port(), config.maxConnections())) {
        LoadGenerator.Result r =
            gen.closedLoop(mix, config.maxConnections(), config.measure(), 5_000_000);
        maxRps = r.throughput();
        maxErrors = r.errors();
      }
    }
    return new Measurement(series, name, round, fixed, maxRps, maxErrors, target.memory());
  }

  private static Summary summarize(int series, String target, List<Measurement> ms,
      int bodyBytes) {
    List<Measurement> mine = ms.stream().filter(m -> m.target.equals(target)).toList();
    return new Summary(series, target,
        median(mine, m -> m.fixed.p50Ms()),
        median(mine, m -> m.fixed.p99Ms()),
        median(mine, m -> m.fixed.p999Ms()),
        median(mine, m -> m.fixed.throughput()),
        mine.stream().mapToLong(m -> m.fixed.errors()).sum(),
        median(mine, m -> m.maxRps),
        mine.stream().mapToLong(m -> m.maxErrors).sum(),
        median(mine, m -> m.memory.rssBytes() / 1048576.0),
        median(mine, m -> m.memory.heapAfterGcBytes() / 1048576.0),
        bodyBytes,
        median(mine, m -> m.fixed.sendLagP99Ms()));
  }

  static double median(List<Measurement> ms, ToDoubleFunction<Measurement> f) {
    double[] v = ms.stream().mapToDouble(f).sorted().toArray();
    if (v.length == 0) {
      return Double.NaN;
    }
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  static double[] values(List<Summary> s, String target, ToDoubleFunction<Summary> f) {
    return s.stream().filter(x -> x.target.equals(target)).mapToDouble(f).toArray();
  }

  static double[] seriesAxis(List<Summary> s) {
    return Arrays.stream(values(s, ADAPTER, Summary::series)).toArray();
  }

  static void writeString(Path p, String text) throws IOException {
    Files.createDirectories(p.toAbsolutePath().getParent());
    Files.writeString(p, text);
  }
}
