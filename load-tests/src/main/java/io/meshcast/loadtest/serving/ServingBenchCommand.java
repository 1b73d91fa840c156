package io.meshcast.loadtest.serving;

import io.meshcast.adapter.cli.DurationConverter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code serving-bench}: the adapter's HTTPS serving path against a bare Vert.x HTTPS endpoint
 * measured in the same run (see {@link ServingBench}), or with {@code --soak} a steady-load soak
 * of the adapter (see {@link Soak}). Writes Markdown, CSV and SVG into {@code --out}.
 */
@Command(
    name = "serving-bench",
    mixinStandardHelpOptions = true,
    description = {
      "Benchmark the metrics API server (ApiServer + in-memory provider + auth filter) over HTTPS "
          + "against a bare Vert.x HTTPS endpoint returning, for each request, the adapter's own "
          + "answer bytes for that path, measured in the same run; or --soak: steady load, heap "
          + "and RSS sampled.",
      "Everything binds 127.0.0.1; every phase is bounded in time and request count."
    })
public final class ServingBenchCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--series", split = ",", defaultValue = "1000,10000,100000",
      description = "Series counts to benchmark (default: ${DEFAULT-VALUE}).")
  List<Integer> series;

  @Option(names = "--rounds", defaultValue = "3",
      description = "Interleaved rounds per series count; medians are reported (default: "
          + "${DEFAULT-VALUE}).")
  int rounds;

  @Option(names = "--rate", defaultValue = "2000",
      description = "Open-loop request rate, req/s (default: ${DEFAULT-VALUE}).")
  double rate;

  @Option(names = "--warmup", defaultValue = "5s", converter = DurationConverter.class,
      description = "Warm-up before each measurement (default: ${DEFAULT-VALUE}).")
  Duration warmup;

  @Option(names = "--measure", defaultValue = "10s", converter = DurationConverter.class,
      description = "Length of each fixed-rate and max-throughput run (default: ${DEFAULT-VALUE}).")
  Duration measure;

  @Option(names = "--drain", defaultValue = "5s", converter = DurationConverter.class,
      description = "How long to wait for late answers after a fixed-rate run; missing ones are "
          + "errors (default: ${DEFAULT-VALUE}).")
  Duration drain;

  @Option(names = "--connections", defaultValue = "16",
      description = "Connections for the fixed-rate runs (default: ${DEFAULT-VALUE}).")
  int connections;

  @Option(names = "--max-connections", defaultValue = "32",
      description = "Connections for the max-throughput runs (default: ${DEFAULT-VALUE}).")
  int maxConnections;

  @Option(names = "--max-tool", defaultValue = "auto",
      description = "Max-throughput load generator: wrk, java or auto (wrk if /usr/bin/wrk "
          + "exists; default: ${DEFAULT-VALUE}).")
  String maxTool;

  @Option(names = "--wrk-threads", defaultValue = "1",
      description = "wrk threads (default: ${DEFAULT-VALUE}).")
  int wrkThreads;

  @Option(names = "--mix-size", defaultValue = "512",
      description = "Distinct requests in the cycled HPA request mix (default: ${DEFAULT-VALUE}).")
  int mixSize;

  @Option(names = "--target-heap", defaultValue = "1g",
      description = "-Xmx of both target JVMs (default: ${DEFAULT-VALUE}).")
  String targetHeap;

  @Option(names = "--target-gc", defaultValue = "G1", description = "Garbage collector of both"
      + " target JVMs: G1, Parallel, Serial, Z or Shenandoah (-XX:+Use<name>GC; default:"
      + " ${DEFAULT-VALUE}).")
  String targetGc;

  @Option(names = "--per-kind", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Also measure max throughput of each request kind alone (pods lists, "
          + "objects, externals) on both targets (default: ${DEFAULT-VALUE}; --no-per-kind to "
          + "skip).")
  boolean perKind;

  @Option(names = "--adapter-mode", defaultValue = "adapter", description = "adapter: the API "
      + "server over an in-memory table; pipeline: the real serve composition (Kuma pipeline, "
      + "forecasts with bootstrap) over a fake Prometheus, HPAs reading _forecast metrics "
      + "(default: ${DEFAULT-VALUE}).")
  String adapterMode;

  @Option(names = "--pods-per-service", defaultValue = "20",
      description = "Pods per service in pipeline mode (default: ${DEFAULT-VALUE}).")
  int podsPerService;

  @Option(names = "--jfr",
      description = "Record a JFR profile of the adapter target (adapter.jfr per series count).")
  boolean jfr;

  @Option(names = "--soak", description = "Soak mode: the adapter alone at --rate for --duration.")
  boolean soak;

  @Option(names = "--soak-series", defaultValue = "10000",
      description = "Series served during the soak (default: ${DEFAULT-VALUE}).")
  int soakSeries;

  @Option(names = "--duration", defaultValue = "2m", converter = DurationConverter.class,
      description = "Soak length (default: ${DEFAULT-VALUE}; e.g. 30m).")
  Duration duration;

  @Option(names = "--sample", defaultValue = "30s", converter = DurationConverter.class,
      description = "Soak sampling interval for heap and RSS (default: ${DEFAULT-VALUE}).")
  Duration sample;

  @Option(names = "--out", defaultValue = "load-tests/target/serving-bench",
      description = "Output directory (default: ${DEFAULT-VALUE}).")
  Path out;

  @Override
  public Integer call() throws Exception {
    if (!List.of("G1", "Parallel", "Serial", "Z", "Shenandoah").contains(targetGc)) {
      throw new ParameterException(spec.commandLine(), "--target-gc=" + targetGc + ": expected G1, Parallel, Serial, Z or Shenandoah");
    }
    List<String> jvm = List.of("-Xmx" + targetHeap, "-XX:+Use" + targetGc + "GC");
    try {
      if (soak) {
        Soak.Config c = new Soak.Config(soakSeries, rate, duration, sample, warmup, connections,
            jvm, out);
        Soak.Outcome o = Soak.run(c, System.out);
        BenchReport.writeSoak(c, o, out);
        System.out.println();
        System.out.print(BenchReport.soakMarkdown(c, o));
        System.out.println("\nwritten: " + out.resolve("soak.md") + ", soak.svg");
        return 0;
      }
      ServingBench.Config c = new ServingBench.Config(series, rounds, rate, warmup, measure, drain,
          connections, maxConnections, maxTool, wrkThreads, mixSize, jvm, jfr, out, perKind,
          adapterMode, podsPerService);
      ServingBench.Outcome o = new ServingBench(c, System.out).run();
      BenchReport.write(c, o, out);
      System.out.println();
      System.out.print(BenchReport.markdown(c, o));
      System.out.println("\nwritten: " + out.resolve("results.md")
          + ", results.csv, throughput.svg, latency.svg");
      return 0;
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }
}
