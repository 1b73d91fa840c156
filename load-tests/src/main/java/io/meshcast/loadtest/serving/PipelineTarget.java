package io.meshcast.loadtest.serving;

import com.sun.management.GarbageCollectionNotificationInfo;
import io.meshcast.adapter.server.Adapter;
import io.meshcast.adapter.cli.ServeCommand;
import io.meshcast.adapter.predict.PredictiveLayer;
import io.meshcast.adapter.predict.SeriesReport;
import io.meshcast.adapter.predict.ServingDecision;
import io.meshcast.adapter.pipeline.MetricResult;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.internal.VertxInternal;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;
import picocli.CommandLine;

/**
 * The adapter as a pod runs it, for {@code serving-target --mode pipeline}: the real {@code serve}
 * composition ({@link ServeCommand#start(Vertx)}: Kuma pipeline, predictive layer with bootstrap,
 * API server, /debug, /metrics) with {@code --insecure-authn}, reading a {@link PipelineMesh} from
 * a {@link MeshPrometheus} in the same JVM. The Vert.x instance has a low blocked-thread threshold
 * ({@code stallMillis}, checked every {@code stallMillis / 4}) and every event-loop warning is
 * counted; GC pauses are counted from the JVM's GC notifications.
 */
final class PipelineTarget implements AutoCloseable {

  private final MeshPrometheus prometheus;
  private final Adapter.Running running;
  private final Vertx vertx;
  private final AtomicLong stalls = new AtomicLong();
  private final AtomicLong maxStallNanos = new AtomicLong();
  private final AtomicLong gcPauses = new AtomicLong();
  private final AtomicLong maxGcPauseMillis = new AtomicLong();
  private final AtomicLong gcPauseMillisOver20 = new AtomicLong();
  private final java.util.Map<String, Long> lastBlocked = new java.util.concurrent.ConcurrentHashMap<>();
  private final long startedNanos;
  private volatile long readyNanos;

  private PipelineTarget(MeshPrometheus prometheus, Adapter.Running running, Vertx vertx,
      long startedNanos) {
    this.startedNanos = startedNanos;
    this.prometheus = prometheus;
    this.running = running;
    this.vertx = vertx;
  }

  /**
   * Starts the mesh, the adapter, and waits until the models are bootstrapped and the first
   * derived snapshot is published (bounded by {@code startTimeout}).
   */
  static PipelineTarget start(PipelineMesh mesh, Duration refresh, int modelHistory,
      boolean podModels, long stallMillis, Path dir, Duration startTimeout) throws Exception {
    long t0 = System.nanoTime();
    MeshPrometheus prom = MeshPrometheus.start(mesh);
    Path config = dir.resolve("meshcast.yaml");
    long r = refresh.toSeconds();
    Files.writeString(config, """
        prometheus: {url: "%s", timeout: 60s}
        refresh: {interval: %ds, historyPoints: 240, bootstrapWindow: %ds, bootstrapStep: %ds}
        kuma: {regime: legacy, rateWindow: 2m, podLabels: [app]}
        kubernetes: {mode: none}
        metrics: {default: {maxAge: 5m}}
        forecast: {lead: 2m, step: %ds, historyPoints: %d, podModels: %s}
        debug: {access: localhost}
        """.formatted(prom.url(), r, r * modelHistory, r, r, modelHistory, podModels));
    VertxOptions options = new VertxOptions()
        .setMaxEventLoopExecuteTime(stallMillis)
        .setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS)
        .setBlockedThreadCheckInterval(Math.max(1, stallMillis / 4))
        .setBlockedThreadCheckIntervalUnit(TimeUnit.MILLISECONDS);
    Vertx vertx = Vertx.vertx(options);
    PipelineTarget[] self = new PipelineTarget[1];
    ((VertxInternal) vertx).blockedThreadChecker().setThreadBlockedHandler(e -> {
      if (self[0] != null) {
        self[0].blocked(e.thread().getName(), e.duration());
      }
    });
    ServeCommand serve = new ServeCommand();
    new CommandLine(serve).parseArgs("--config", config.toString(), "--secure-port", "0",
        "--bind-address", "127.0.0.1", "--insecure-authn");
    Adapter.Running running;
    try {
      running = serve.start(vertx).toCompletionStage().toCompletableFuture()
          .get(startTimeout.toSeconds(), TimeUnit.SECONDS);
    } catch (Exception e) {
      prom.close();
      throw e;
    }
    PipelineTarget t = new PipelineTarget(prom, running, vertx, t0);
    self[0] = t;
    t.watchGc();
    try {
      t.awaitServing(startTimeout);
    } catch (Exception e) {
      t.close(); // stops the adapter and its Vert.x, else their threads keep the JVM alive
      throw e;
    }
    return t;
  }

  int port() {
    return running.port();
  }

  /**
   * One blocked-thread warning. The checker warns at every check while a thread stays blocked, with
   * a growing duration; a duration smaller than the thread's previous one starts a new stall.
   */
  private void blocked(String thread, long durationNanos) {
    if (!thread.contains("eventloop")) {
      return; // worker threads may block by design
    }
    Long before = lastBlocked.put(thread, durationNanos);
    if (before == null || durationNanos <= before) {
      stalls.incrementAndGet();
      // Where it is stuck, once per stall (the checker's own stack trace is replaced by this).
      StringBuilder sb = new StringBuilder("STALL thread=" + thread + " blockedMs="
          + durationNanos / 1_000_000 + "\n");
      for (Thread t : Thread.getAllStackTraces().keySet()) {
        if (t.getName().equals(thread)) {
          StackTraceElement[] st = t.getStackTrace();
          for (int i = 0; i < Math.min(25, st.length); i++) {
            sb.append("    at ").append(st[i]).append('\n');
          }
        }
      }
      System.err.print(sb);
    }
    maxStallNanos.accumulateAndGet(durationNanos, Math::max);
  }

  private void watchGc() {
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      ((NotificationEmitter) gc).addNotificationListener((n, h) -> {
        if (!n.getType().equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
          return;
        }
        GarbageCollectionNotificationInfo info =
            GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
        if (info.getGcName().contains("Concurrent") || info.getGcName().endsWith("Cycles")) {
          // G1's concurrent cycle and Shenandoah's or ZGC's cycles run beside the application:
          // their pauses are reported by their "... Pauses" collector
          return;
        }
        long ms = info.getGcInfo().getDuration();
        gcPauses.incrementAndGet();
        maxGcPauseMillis.accumulateAndGet(ms, Math::max);
        if (ms > 20) {
          gcPauseMillisOver20.incrementAndGet();
        }
      }, null, null);
    }
  }

  private void awaitServing(Duration timeout) throws Exception {
    PredictiveLayer layer = running.layer();
    long deadline = System.nanoTime() + timeout.toNanos();
    layer.bootstrapped().toCompletionStage().toCompletableFuture()
        .get(timeout.toSeconds(), TimeUnit.SECONDS);
    while (System.nanoTime() < deadline) {
      if (!layer.derivedSnapshot().results().isEmpty() && !layer.reports().isEmpty()
          && !layer.lastProcessed().equals(java.time.Instant.EPOCH)) {
        readyNanos = System.nanoTime();
        return;
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("not serving within " + timeout + ": bootstrap "
        + layer.bootstrapState() + " (" + layer.bootstrapDetail() + ")");
  }

  /** Resets the stall and GC counters (after start-up, before a measured phase). */
  void resetCounters() {
    stalls.set(0);
    maxStallNanos.set(0);
    gcPauses.set(0);
    maxGcPauseMillis.set(0);
    gcPauseMillisOver20.set(0);
  }

  /** The STATS line: what the adapter holds and what it costs. */
  String stats() {
    PredictiveLayer layer = running.layer();
    long observed = 0;
    for (MetricResult m : layer.pipeline().snapshot().results().values()) {
      observed += m.series().size();
    }
    long derived = 0;
    for (MetricResult m : layer.derivedSnapshot().results().values()) {
      derived += m.series().size();
    }
    long models = 0;
    long shares = 0;
    long refits = 0;
    for (SeriesReport rep : layer.reports().values()) {
      if (rep.rule() == ServingDecision.Rule.SERVICE_SHARE) {
        shares++;
      } else {
        models++;
        refits += rep.refits();
      }
    }
    return String.format(Locale.ROOT, "STATS observedSeries=%d derivedSeries=%d models=%d "
            + "sharedPodSeries=%d refitsSoFar=%d forecastCpuMs=%d startSeconds=%.1f "
            + "eventLoopStalls=%d maxStallMs=%.1f gcPauses=%d gcPausesOver20ms=%d "
            + "maxGcPauseMs=%d lastProcessed=%s bootstrap=\"%s\" %s",
        observed, derived, models, shares, refits, forecastCpuMillis(),
        (readyNanos - startedNanos) / 1e9, stalls.get(), maxStallNanos.get() / 1e6,
        gcPauses.get(), gcPauseMillisOver20.get(), maxGcPauseMillis.get(),
        layer.lastProcessed(), layer.bootstrapDetail(), prometheus.counts());
  }

  /** CPU time of the forecast worker pool's threads (bootstrap fits, feeding, refits). */
  private static long forecastCpuMillis() {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    long sum = 0;
    for (ThreadInfo info : mx.getThreadInfo(mx.getAllThreadIds())) {
      if (info != null && info.getThreadName().startsWith("meshcast-forecast")) {
        long ns = mx.getThreadCpuTime(info.getThreadId());
        sum += Math.max(0, ns);
      }
    }
    return sum / 1_000_000;
  }

  @Override
  public void close() {
    running.stop().run();
    prometheus.close();
  }
}
