package io.meshcast.loadtest.serving;

import java.io.IOException;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The serving benchmark: for each series count, the adapter and the bare Vert.x baseline run
 * side by side in their own JVMs and are measured in interleaved rounds (baseline first in odd
 * rounds, adapter first in even ones), so that machine noise hits both alike. Each measurement:
 * a warm-up, an open-loop run at the fixed rate (latency percentiles, errors), a closed-loop
 * max-throughput run on the mix, then the target's RSS and heap after a full GC; with {@code
 * perKind}, each round ends with each request kind alone on both targets in alternating short
 * slices ({@link #perKind}). The baseline answers each path with the bytes the
 * adapter answered for it, so both send the same body sizes per kind. Medians over rounds are
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
      Path outDir,
      boolean perKind,
      String adapterMode,
      int podsPerService) {

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
      if (!List.of("adapter", "pipeline").contains(adapterMode)) {
        throw new IllegalArgumentException("--adapter-mode must be adapter or pipeline, got "
            + adapterMode);
      }
      if (!List.of("auto", "wrk", "java").contains(maxTool)) {
        throw new IllegalArgumentException("--max-tool must be auto, wrk or java, got " + maxTool);
      }
      if (maxTool.equals("wrk") && !Wrk.available()) {
        throw new IllegalArgumentException("--max-tool wrk: /usr/bin/wrk is not installed");
      }
    }

    /** Without per-kind max-throughput runs (the mix only). */
    Config(List<Integer> seriesCounts, int rounds, double rate, Duration warmup,
        Duration measure, Duration drain, int connections, int maxConnections, String maxTool,
        int wrkThreads, int mixSize, List<String> targetJvmArgs, boolean jfr, Path outDir) {
      this(seriesCounts, rounds, rate, warmup, measure, drain, connections, maxConnections,
          maxTool, wrkThreads, mixSize, targetJvmArgs, jfr, outDir, false, "adapter", 20);
    }

    boolean pipeline() {
      return adapterMode.equals("pipeline");
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
      TargetProcess.Memory memory,
      Map<RequestMix.Kind, KindMax> maxByKind) {}

  /** Max throughput of one request kind alone (ok responses per second) and its errors. */
  record KindMax(double okPerSecond, long errors) {}

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
      double sendLagP99Ms,
      Map<RequestMix.Kind, Double> maxRpsByKind,
      Map<RequestMix.Kind, Integer> bodyBytesByKind) {}

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
      Map<String, byte[]> bodies = runSeries(series, ms);
      all.addAll(ms);
      summaries.add(summarize(series, ADAPTER, ms, bodies));
      summaries.add(summarize(series, BARE, ms, bodies));
    }
    return new Outcome(all, summaries, config.resolvedMaxTool());
  }

  private Map<String, byte[]> runSeries(int series, List<Measurement> out) throws Exception {
    // Pipeline mode: HPAs of a predictive set-up read the forecasts, served by the real serve
    // composition over a mesh of podsPerService pods per service.
    List<String> mix = config.pipeline()
        ? RequestMix.paths(PipelineMesh.of(series, config.podsPerService()).services(),
            config.mixSize(), 11, "_forecast")
        : RequestMix.paths(
            SyntheticMesh.generate(series, 7, 0, java.time.Instant.EPOCH).services(),
            config.mixSize(), 11);
    Path dir = config.outDir().resolve("n" + series);
    Files.createDirectories(dir);
    List<String> adapterJvm = new ArrayList<>(config.targetJvmArgs());
    List<String> adapterArgs = new ArrayList<>(List.of("--mode", config.adapterMode(),
        "--series", Integer.toString(series)));
    if (config.pipeline()) {
      adapterJvm.add("-Xlog:gc*:file=" + dir.resolve("adapter-gc.log"));
      adapterArgs.addAll(List.of("--pods-per-service", Integer.toString(config.podsPerService()),
          "--dir", dir.toString()));
    }
    if (config.jfr()) {
      adapterJvm.add("-XX:StartFlightRecording=filename=" + dir.resolve("adapter.jfr")
          + ",settings=profile");
    }
    log.printf("== %d series: starting the adapter target%n", series);
    try (TargetProcess adapter = TargetProcess.start(ADAPTER, adapterJvm, adapterArgs,
        dir.resolve("adapter.log"), java.time.Duration.ofMinutes(16))) {
      if (config.pipeline()) {
        String stats = adapter.ask("stats", "STATS ");
        log.printf("   adapter started: %s%n", stats);
        adapter.ask("reset", "RESET");
      }
      Map<String, byte[]> bodies = Bodies.probe(adapter.port(), mix);
      Path bodiesFile = dir.resolve("bare-bodies.json");
      JsonObject json = new JsonObject();
      bodies.forEach((path, body) -> json.put(path, new String(body, StandardCharsets.UTF_8)));
      writeString(bodiesFile, json.encode());
      StringBuilder sizes = new StringBuilder();
      Bodies.bodyBytesByKind(bodies).forEach((kind, bytes) ->
          sizes.append(", ").append(kind.label()).append(' ').append(bytes).append(" B"));
      log.printf("   mix of %d paths answers 200 (median body size%s); starting the baseline,"
          + " which answers each path with the adapter's bytes for it%n", mix.size(), sizes);
      try (TargetProcess bare = TargetProcess.start(BARE, config.targetJvmArgs(),
          List.of("--mode", BARE, "--bodies-file", bodiesFile.toString()),
          dir.resolve("bare.log"))) {
        for (int round = 1; round <= config.rounds(); round++) {
          List<TargetProcess> order = round % 2 == 1 ? List.of(bare, adapter) : List.of(adapter, bare);
          List<Measurement> inRound = new ArrayList<>();
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
            inRound.add(m);
          }
          if (config.perKind()) {
            Map<String, Map<RequestMix.Kind, KindMax>> byKind =
                perKind(round, bare, adapter, mix, dir);
            for (RequestMix.Kind kind : byKind.get(ADAPTER).keySet()) {
              KindMax a = byKind.get(ADAPTER).get(kind);
              KindMax b = byKind.get(BARE).get(kind);
              log.printf("   round %d %-8s max adapter %.0f ok/s, bare %.0f ok/s: ratio %.2f"
                  + " (%d errors)%n", round, kind.label(), a.okPerSecond(), b.okPerSecond(),
                  a.okPerSecond() / b.okPerSecond(), a.errors() + b.errors());
            }
            inRound = inRound.stream().map(m -> new Measurement(m.series, m.target, m.round,
                m.fixed, m.maxRps, m.maxErrors, m.memory, byKind.get(m.target))).toList();
          }
          out.addAll(inRound);
          if (config.pipeline()) {
            // Cumulative since start-up: stalls and GC pauses under the load of every round so far.
            log.printf("   round %d adapter %s%n", round, adapter.ask("stats", "STATS "));
          }
        }
      }
      return bodies;
    }
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
    KindMax all = maxThroughput(target, mix, config.measure(), dir.resolve("wrk-" + name));
    return new Measurement(series, name, round, fixed, all.okPerSecond(), all.errors(),
        target.memory(), Map.of());
  }

  /** Length of one slice of the paired per-kind measurement. */
  static final Duration KIND_SLICE = Duration.ofSeconds(2);

  /**
   * Max throughput of each request kind alone on both targets, paired in time: {@code
   * measure / KIND_SLICE} short closed-loop slices per target, alternating adapter and baseline
   * (which goes first alternates too), summed per target. On a shared machine whose load swings
   * within seconds, this pairs each adapter slice with a baseline slice under the same load,
   * where two back-to-back 10 s runs can differ several-fold from the load alone.
   */
  private Map<String, Map<RequestMix.Kind, KindMax>> perKind(int round, TargetProcess bare,
      TargetProcess adapter, List<String> mix, Path dir) throws Exception {
    int slices = (int) Math.max(1, config.measure().toMillis() / KIND_SLICE.toMillis());
    Map<RequestMix.Kind, KindMax> a = new EnumMap<>(RequestMix.Kind.class);
    Map<RequestMix.Kind, KindMax> b = new EnumMap<>(RequestMix.Kind.class);
    for (RequestMix.Kind kind : RequestMix.Kind.values()) {
      List<String> paths = RequestMix.ofKind(mix, kind);
      if (paths.isEmpty()) {
        continue;
      }
      double okA = 0;
      double okB = 0;
      long errA = 0;
      long errB = 0;
      for (int i = 0; i < slices; i++) {
        boolean adapterFirst = (round + i) % 2 == 0;
        for (TargetProcess t : adapterFirst ? List.of(adapter, bare) : List.of(bare, adapter)) {
          String name = t == adapter ? ADAPTER : BARE;
          KindMax k = maxThroughput(t, paths, KIND_SLICE,
              dir.resolve("wrk-" + name + "-" + kind.label()));
          if (t == adapter) {
            okA += k.okPerSecond();
            errA += k.errors();
          } else {
            okB += k.okPerSecond();
            errB += k.errors();
          }
        }
      }
      a.put(kind, new KindMax(okA / slices, errA));
      b.put(kind, new KindMax(okB / slices, errB));
    }
    return Map.of(ADAPTER, Map.copyOf(a), BARE, Map.copyOf(b));
  }

  /** Closed-loop max throughput on {@code paths}: ok responses per second and errors. */
  private KindMax maxThroughput(TargetProcess target, List<String> paths, Duration length,
      Path wrkDir) throws Exception {
    if (config.resolvedMaxTool().equals("wrk")) {
      Wrk.Result w = Wrk.run(target.port(), paths, config.wrkThreads(), config.maxConnections(),
          length, wrkDir);
      return new KindMax(w.requests() == 0 ? 0
          : w.requestsPerSecond() * Math.max(0, w.requests() - w.non2xx()) / w.requests(),
          w.non2xx() + w.socketErrors());
    }
    try (LoadGenerator gen = new LoadGenerator(target.port(), config.maxConnections())) {
      LoadGenerator.Result r =
          gen.closedLoop(paths, config.maxConnections(), length, 5_000_000);
      return new KindMax(r.throughput(), r.errors());
    }
  }

  private static Summary summarize(int series, String target, List<Measurement> ms,
      Map<String, byte[]> bodies) {
    List<Measurement> mine = ms.stream().filter(m -> m.target.equals(target)).toList();
    Map<RequestMix.Kind, Double> byKind = new EnumMap<>(RequestMix.Kind.class);
    for (RequestMix.Kind kind : RequestMix.Kind.values()) {
      List<Measurement> with = mine.stream().filter(m -> m.maxByKind.containsKey(kind)).toList();
      if (!with.isEmpty()) {
        byKind.put(kind, median(with, m -> m.maxByKind.get(kind).okPerSecond()));
      }
    }
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
        Bodies.medianBodyBytes(bodies),
        median(mine, m -> m.fixed.sendLagP99Ms()),
        Map.copyOf(byKind),
        Bodies.bodyBytesByKind(bodies));
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
