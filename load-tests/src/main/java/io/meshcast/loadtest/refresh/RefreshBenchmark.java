package io.meshcast.loadtest.refresh;

import io.meshcast.adapter.kuma.KumaPipeline;
import io.meshcast.adapter.provider.CustomMetricInfo;
import io.meshcast.adapter.provider.CustomMetricsProvider;
import io.meshcast.adapter.provider.GroupResource;
import io.meshcast.adapter.provider.LabelSelector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Measures the Prometheus refresh: queries per refresh as a function of HPAs, pods and series
 * (must be flat), and refresh wall time and retained heap for 1k and 10k series per query,
 * reported as ratios against a 10-series baseline measured in the same run.
 *
 * <p>The adapter is the real pipeline ({@link KumaPipeline}: WebClient, decoding on workers,
 * snapshot indexing, history); only Prometheus is replaced by {@link FakePrometheus} so that the
 * numbers are the adapter's own cost.
 */
public final class RefreshBenchmark {

  /** One row of the query-count table. */
  public record CountRow(int hpas, int pods, int seriesPerRefresh, double queriesPerRefresh) {}

  /** One row of the cost table. */
  public record CostRow(
      int historyPoints,
      int podSeriesPerQuery, int seriesPerRefresh, double medianRefreshMs, double p90RefreshMs,
      double retainedHeapMb, double requestMicrosP50, double requestMicrosP99) {}

  private final Vertx vertx;
  private final Path dir;

  public RefreshBenchmark(Vertx vertx, Path dir) {
    this.vertx = vertx;
    this.dir = dir;
  }

  /** Queries per refresh while {@code hpas} HPAs each read a metric between refreshes. */
  public CountRow queryCount(int hpas, int pods, int refreshes) throws Exception {
    int services = Math.max(1, pods / 10);
    FakePrometheus prom = await(FakePrometheus.start(vertx));
    prom.shape(pods, services);
    KumaPipeline p = await(KumaPipeline.start(vertx, config(prom, 240), Clock.systemUTC(),
        options()));
    try {
      CustomMetricsProvider provider = p.customMetricsProvider();
      long before = prom.queries();
      for (int r = 0; r < refreshes; r++) {
        await(p.refreshNow());
        for (int h = 0; h < hpas; h++) {
          hpaRead(provider, h % services, h);
        }
      }
      double perRefresh = (prom.queries() - before) / (double) refreshes;
      int series = 6 * pods + 6 * services;
      return new CountRow(hpas, pods, series, perRefresh);
    } finally {
      await(p.close());
      await(prom.close());
    }
  }

  /** Refresh wall time, retained heap and request latency with {@code pods} series per query. */
  public CostRow cost(int pods, int refreshes) throws Exception {
    return cost(pods, refreshes, refreshes);
  }

  /**
   * As {@link #cost(int, int)}, first filling every series' history to {@code historyPoints}
   * (steady state), then timing the last {@code refreshes} refreshes.
   */
  public CostRow cost(int pods, int refreshes, int historyPoints) throws Exception {
    int services = Math.max(1, pods / 10);
    FakePrometheus prom = await(FakePrometheus.start(vertx));
    prom.shape(pods, services);
    long heapBefore = usedHeapAfterGc();
    KumaPipeline p = await(KumaPipeline.start(vertx, config(prom, historyPoints),
        Clock.systemUTC(), options()));
    try {
      // Fill histories (FakePrometheus stamps each answer with the current second, so one point
      // per refresh needs refreshes at least a second apart in data time: stamp by counter).
      for (int w = 0; w < Math.max(3, historyPoints - refreshes); w++) {
        prom.advance();
        await(p.refreshNow());
      }
      double[] ms = new double[refreshes];
      for (int r = 0; r < refreshes; r++) {
        prom.advance();
        long t0 = System.nanoTime();
        await(p.refreshNow());
        ms[r] = (System.nanoTime() - t0) / 1e6;
      }
      long heapAfter = usedHeapAfterGc();
      CustomMetricsProvider provider = p.customMetricsProvider();
      int n = 2000;
      double[] us = new double[n];
      for (int i = 0; i < n; i++) {
        long t0 = System.nanoTime();
        hpaRead(provider, i % services, i);
        us[i] = (System.nanoTime() - t0) / 1e3;
      }
      Arrays.sort(ms);
      Arrays.sort(us);
      return new CostRow(historyPoints, pods, 6 * pods + 6 * services, ms[ms.length / 2],
          ms[(int) (ms.length * 0.9)], (heapAfter - heapBefore) / 1048576.0,
          us[n / 2], us[(int) (n * 0.99)]);
    } finally {
      await(p.close());
      await(prom.close());
    }
  }

  /** What one HPA does per sync: a pods/* read for its Deployment's selector, or a service. */
  private static void hpaRead(CustomMetricsProvider provider, int service, int h) {
    String ns = "ns-" + service % 20;
    if (h % 2 == 0) {
      provider.metricsBySelector(ns, LabelSelector.parse("app=svc-" + service),
          new CustomMetricInfo(GroupResource.PODS, true, "kuma_rps"), LabelSelector.everything());
    } else {
      provider.metricByName(ns, "svc-" + service,
          new CustomMetricInfo(GroupResource.SERVICES, true, "kuma_latency_p99_ms"),
          LabelSelector.everything());
    }
  }

  private Path config(FakePrometheus prom, int historyPoints) throws Exception {
    Path f = Files.createTempFile(dir, "refresh-", ".yaml");
    Files.writeString(f, """
        prometheus: {url: "http://127.0.0.1:%d", timeout: 30s}
        refresh: {interval: 1h, historyPoints: %d}
        kuma: {regime: legacy}
        kubernetes: {mode: none}
        metrics: {default: {maxAge: 1h}}
        """.formatted(prom.port(), historyPoints));
    return f;
  }

  private static KumaPipeline.Options options() {
    return new KumaPipeline.Options(new PrometheusRegistry(), Optional.empty(),
        Duration.ofHours(1));
  }

  private static long usedHeapAfterGc() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(100);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(5, TimeUnit.MINUTES);
  }

  /** The markdown section for load-tests/RESULTS.md. */
  public static String markdown(List<CountRow> counts, List<CostRow> costs) {
    StringBuilder sb = new StringBuilder();
    sb.append("| HPAs | pods | series per refresh | queries per refresh |\n")
        .append("|---:|---:|---:|---:|\n");
    for (CountRow r : counts) {
      sb.append(String.format(Locale.ROOT, "| %d | %d | %d | %.1f |%n", r.hpas(), r.pods(),
          r.seriesPerRefresh(), r.queriesPerRefresh()));
    }
    CostRow base = costs.get(0);
    sb.append("\n| pod series per query | series per refresh | history points | median refresh ms"
            + " | p90 ms | x baseline | retained heap MB | request p50 µs | request p99 µs |\n")
        .append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (CostRow r : costs) {
      sb.append(String.format(Locale.ROOT,
          "| %d | %d | %d | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f |%n",
          r.podSeriesPerQuery(), r.seriesPerRefresh(), r.historyPoints(), r.medianRefreshMs(),
          r.p90RefreshMs(),
          r.medianRefreshMs() / base.medianRefreshMs(), r.retainedHeapMb(),
          r.requestMicrosP50(), r.requestMicrosP99()));
    }
    return sb.toString();
  }

  /** Runs the standard grid. */
  public static String runAll(Vertx vertx, Path dir, int refreshes, int[] podsGrid, int[] hpaGrid,
      int[] costGrid, int historyPoints) throws Exception {
    RefreshBenchmark b = new RefreshBenchmark(vertx, dir);
    List<CountRow> counts = new ArrayList<>();
    for (int pods : podsGrid) {
      for (int hpas : hpaGrid) {
        counts.add(b.queryCount(hpas, pods, Math.min(refreshes, 5)));
      }
    }
    List<CostRow> costs = new ArrayList<>();
    for (int pods : costGrid) {
      costs.add(b.cost(pods, refreshes, historyPoints));
    }
    return markdown(counts, costs);
  }
}
