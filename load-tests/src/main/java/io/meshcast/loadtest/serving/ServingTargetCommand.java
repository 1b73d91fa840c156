package io.meshcast.loadtest.serving;

import io.meshcast.adapter.api.ApiServer;
import io.meshcast.adapter.tls.AuthTls;
import io.meshcast.adapter.auth.InsecureAuthn;
import io.meshcast.adapter.provider.CustomMetricsProvider;
import io.meshcast.adapter.provider.ExternalMetricsProvider;
import io.meshcast.adapter.provider.memory.InMemoryMetricsProvider;
import io.meshcast.adapter.tls.ServingCertificate;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemKeyCertOptions;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code serving-target}: the server under test, run by {@code serving-bench} in its own JVM so
 * that its RSS and heap are its own. Either the real {@link ApiServer} over a {@link
 * SyntheticMesh} behind the {@code --insecure-authn} filter (so the auth handler is on the
 * request path), or the bare baseline: a plain Vert.x HTTPS server with the same TLS settings
 * ({@link AuthTls#harden}) answering each request with bytes captured from the adapter for the
 * same path ({@code --bodies-file}: a JSON object path → body), so every request kind gets an
 * answer of the adapter's size; or, with {@code --body-file}, one fixed JSON body for all.
 *
 * <p>Protocol on stdin/stdout (one line each): it prints {@code READY port=<p>} once listening;
 * {@code mem} answers {@code MEM heapAfterGc=<bytes> heapCommitted=<bytes>} after a full GC;
 * {@code quit} or end of input stops the process, so it never outlives the harness.
 */
@Command(
    name = "serving-target",
    mixinStandardHelpOptions = true,
    description = "Server under test for serving-bench (started by it; binds 127.0.0.1 only).")
public final class ServingTargetCommand implements Callable<Integer> {

  @Option(names = "--mode", required = true, description = "adapter (in-memory table), pipeline "
      + "(the real serve composition over a fake Prometheus) or bare")
  String mode;

  @Option(names = "--pods-per-service", defaultValue = "20",
      description = "Pods of each service (pipeline mode).")
  int podsPerService;

  @Option(names = "--model-history", defaultValue = "2880",
      description = "forecast.historyPoints (pipeline mode).")
  int modelHistory;

  @Option(names = "--pod-models", description = "forecast.podModels: true (pipeline mode).")
  boolean podModels;

  @Option(names = "--stall-ms", defaultValue = "20", description = "Vert.x blocked-thread "
      + "threshold; event-loop stalls over it are counted (pipeline mode).")
  long stallMillis;

  @Option(names = "--dir", description = "Working directory for the generated config (pipeline).")
  Path dir;

  @Option(names = "--series", defaultValue = "10000", description = "Series served (adapter).")
  int series;

  @Option(names = "--seed", defaultValue = "7", description = "Mesh seed (adapter).")
  long seed;

  @Option(
      names = "--refresh-seconds",
      defaultValue = "10",
      description = "Republish fresh values this often, off the event loop (adapter; 0 = never).")
  int refreshSeconds;

  @Option(names = "--access-log", description = "Log every request (adapter; default off).")
  boolean accessLog;

  @Option(names = "--body-file", description = "JSON body the bare server returns for every "
      + "request (bare; or use --bodies-file).")
  Path bodyFile;

  @Option(names = "--bodies-file", description = "JSON object mapping each request path (with "
      + "its query) to the body the bare server returns for it; other paths answer 404 (bare).")
  Path bodiesFile;

  @Override
  public Integer call() throws Exception {
    PrintStream out = System.out;
    Vertx vertx = Vertx.vertx();
    ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "mesh-refresh");
      t.setDaemon(true);
      return t;
    });
    if (mode.equals("pipeline")) {
      vertx.close();
      return runPipeline(out);
    }
    Future<Integer> started = switch (mode) {
      case "adapter" -> startAdapter(vertx, refresher);
      case "bare" -> startBare(vertx);
      default -> Future.failedFuture(
          new IllegalArgumentException("--mode must be adapter, pipeline or bare, got " + mode));
    };
    int port;
    try {
      port = started.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      System.err.println("serving-target: cannot start: " + e.getMessage());
      vertx.close();
      return 1;
    }
    out.println("READY port=" + port);
    out.flush();
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
      for (String line; (line = in.readLine()) != null && !line.equals("quit"); ) {
        if (line.equals("mem")) {
          out.println(memoryLine());
          out.flush();
        }
      }
    }
    refresher.shutdownNow();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    return 0;
  }

  /**
   * Pipeline mode: {@link PipelineTarget}; also answers {@code stats} with its STATS line and
   * {@code reset} by zeroing its stall and GC counters.
   */
  private int runPipeline(PrintStream out) throws Exception {
    Path work = dir != null ? dir : Files.createTempDirectory("meshcast-pipeline-target");
    Files.createDirectories(work);
    PipelineMesh mesh = PipelineMesh.of(series, podsPerService);
    PipelineTarget target;
    try {
      target = PipelineTarget.start(mesh, Duration.ofSeconds(Math.max(1, refreshSeconds)),
          modelHistory, podModels, stallMillis, work, Duration.ofMinutes(15));
    } catch (Exception e) {
      System.err.println("serving-target: cannot start the pipeline: " + e);
      return 1;
    }
    try (target) {
      out.println("READY port=" + target.port());
      out.flush();
      try (BufferedReader in =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
        for (String line; (line = in.readLine()) != null && !line.equals("quit"); ) {
          switch (line) {
            case "mem" -> out.println(memoryLine());
            case "stats" -> out.println(target.stats());
            case "reset" -> {
              target.resetCounters();
              out.println("RESET");
            }
            default -> out.println("UNKNOWN " + line);
          }
          out.flush();
        }
      }
    }
    return 0;
  }

  private Future<Integer> startAdapter(Vertx vertx, ScheduledExecutorService refresher) {
    final CustomMetricsProvider custom;
    final ExternalMetricsProvider external;
    final Consumer<SyntheticMesh.Table> sink;
    InMemoryMetricsProvider p = new InMemoryMetricsProvider();
    custom = p;
    external = p;
    sink = t -> p.publish(t.objects(), t.externals());
    Clock clock = Clock.systemUTC();
    AtomicLong epoch = new AtomicLong();
    Runnable publish = () -> sink.accept(
        SyntheticMesh.generate(series, seed, epoch.getAndIncrement(), clock.instant()));
    publish.run();
    if (refreshSeconds > 0) {
      refresher.scheduleAtFixedRate(publish, refreshSeconds, refreshSeconds, TimeUnit.SECONDS);
    }
    ApiServer server = ApiServer.builder(vertx)
        .options(new ApiServer.Options("127.0.0.1", 0, Optional.empty(), Duration.ofSeconds(10),
            List.of("localhost"), accessLog))
        .customMetrics(custom)
        .externalMetrics(external)
        .registry(new PrometheusRegistry())
        .filter(InsecureAuthn.handler())
        .build();
    return server.start();
  }

  private Future<Integer> startBare(Vertx vertx) {
    if ((bodyFile == null) == (bodiesFile == null)) {
      return Future.failedFuture(new IllegalArgumentException(
          "--mode bare needs exactly one of --body-file and --bodies-file"));
    }
    return vertx
        .executeBlocking(() -> new Object[] {
            bodyFile != null ? Buffer.buffer(Files.readAllBytes(bodyFile)) : null,
            bodiesFile != null ? readBodies(bodiesFile) : null,
            ServingCertificate.selfSigned(List.of("localhost"), List.of("127.0.0.1"))})
        .compose(parts -> {
          Buffer body = (Buffer) parts[0];
          @SuppressWarnings("unchecked")
          Map<String, Buffer> bodies = (Map<String, Buffer>) parts[1];
          ServingCertificate cert = (ServingCertificate) parts[2];
          HttpServerOptions options = AuthTls.harden(new HttpServerOptions()
              .setHost("127.0.0.1")
              .setPort(0)
              .setKeyCertOptions(new PemKeyCertOptions()
                  .setCertValue(Buffer.buffer(cert.certChainPem()))
                  .setKeyValue(Buffer.buffer(cert.privateKeyPem())))
              .setIdleTimeout(60));
          return vertx.createHttpServer(options)
              .requestHandler(req -> {
                // one map lookup per request: the least a server must do to answer by path
                Buffer answer = bodies == null ? body : bodies.get(req.uri());
                if (answer == null) {
                  req.response().setStatusCode(404).end();
                } else {
                  req.response().putHeader("Content-Type", "application/json").end(answer);
                }
              })
              .listen();
        })
        .map(s -> s.actualPort());
  }

  private static Map<String, Buffer> readBodies(Path file) throws java.io.IOException {
    JsonObject json;
    try {
      json = new JsonObject(Files.readString(file));
    } catch (io.vertx.core.json.DecodeException e) {
      throw new IllegalArgumentException("--bodies-file " + file + " is not a JSON object: "
          + e.getMessage(), e);
    }
    Map<String, Buffer> out = new HashMap<>();
    for (String path : json.fieldNames()) {
      out.put(path, Buffer.buffer(json.getString(path)));
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("--bodies-file " + file + " maps no path");
    }
    return Map.copyOf(out);
  }

  /** Heap after an explicit full GC: what the process really retains. */
  private static String memoryLine() {
    System.gc();
    MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    return "MEM heapAfterGc=" + heap.getUsed() + " heapCommitted=" + heap.getCommitted();
  }
}
