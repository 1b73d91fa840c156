package io.meshcast.adapter.graph;

import io.meshcast.adapter.config.CallRatioSettings;
import io.meshcast.adapter.kuma.KumaPipeline;
import io.meshcast.adapter.kuma.Regime;
import io.meshcast.adapter.pipeline.Snapshot;
import io.meshcast.adapter.source.MetricSource;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.logging.Logger;

/**
 * Keeps the {@link MeshGraph} of a Kuma pipeline: every snapshot the pipeline publishes triggers
 * one {@link OutboundQuery} (so one extra query per refresh, whatever the number of services and
 * edges), whose rows are assembled on a worker thread and published as an immutable graph. A
 * refresh that finds the previous graph still being built is skipped (the next carries the same
 * data). A failed query keeps the last graph, marked stale with the reason; the failure and the
 * recovery are logged once each.
 *
 * <p>Requests read {@link #current()}: a volatile read, no I/O. Thread-safe.
 */
public final class GraphRefresher {

  private static final Logger LOG = Logger.getLogger(GraphRefresher.class.getName());

  private final Vertx vertx;
  private final Clock clock;
  private final Supplier<Optional<Regime>> regime;
  private final Supplier<io.meshcast.adapter.config.KumaConfig> config;
  private final Supplier<MetricSource> source;
  private final GraphAssembler assembler;
  private final Optional<GraphMetrics> metrics;
  private volatile MeshGraph current;
  private volatile boolean running;
  private volatile boolean closed;

  GraphRefresher(Vertx vertx, Clock clock, Supplier<Optional<Regime>> regime,
      Supplier<io.meshcast.adapter.config.KumaConfig> config, Supplier<MetricSource> source,
      CallRatioSettings settings, Optional<GraphMetrics> metrics) {
    this.vertx = vertx;
    this.metrics = metrics;
    this.clock = clock;
    this.regime = regime;
    this.config = config;
    this.source = source;
    this.assembler = new GraphAssembler(settings);
    this.current = MeshGraph.empty(clock.instant(), "not refreshed yet");
  }

  /**
   * Follows {@code pipeline}: a graph per published snapshot, with the given call-ratio settings;
   * its metrics go to {@code registry} (register once per registry).
   */
  public static GraphRefresher start(Vertx vertx, KumaPipeline pipeline, Clock clock,
      CallRatioSettings callRatio, PrometheusRegistry registry) {
    GraphRefresher g = new GraphRefresher(vertx, clock, pipeline::regime,
        () -> pipeline.config().kuma(), pipeline::source, callRatio,
        Optional.of(new GraphMetrics(registry)));
    pipeline.onSnapshot(g::onSnapshot);
    return g;
  }

  /** The latest graph (a stale or empty graph says why in {@link MeshGraph#error()}). */
  public MeshGraph current() {
    return current;
  }

  /** Builds the graph now (tests, tools); completes with the published graph. */
  public Future<MeshGraph> refreshNow() {
    return refresh();
  }

  /** Stops following the pipeline; a refresh in flight completes but does not publish. */
  public void close() {
    closed = true;
  }

  private void onSnapshot(Snapshot ignored) {
    if (!closed && !running) {
      refresh();
    }
  }

  private Future<MeshGraph> refresh() {
    Optional<Regime> r = regime.get();
    if (r.isEmpty()) {
      current = MeshGraph.empty(clock.instant(), "Kuma regime not detected yet");
      metrics.ifPresent(m -> m.refreshed("no_regime", current));
      return Future.succeededFuture(current);
    }
    running = true;
    OutboundQuery q = new OutboundQuery(r.get(), config.get());
    Instant at = clock.instant();
    return source.get().query(q.promql(), at)
        .compose(rows -> vertx.executeBlocking(() -> assembler.assemble(q, rows, at), false))
        .map(g -> {
          if (current.error().filter(e -> e.startsWith("outbound query failed")).isPresent()) {
            LOG.info("event=graph-recovered edges=" + g.edges().size());
          }
          return g;
        })
        .recover(e -> {
          String msg = "outbound query failed at " + at + ": " + e.getMessage();
          if (current.error().filter(x -> x.startsWith("outbound query failed")).isEmpty()) {
            LOG.warning("event=graph-refresh-failed error=\"" + e.getMessage()
                + "\" detail=\"/debug/graph keeps the last graph, marked stale\"");
          }
          return Future.succeededFuture(current.nodes().isEmpty() && current.edges().isEmpty()
              ? MeshGraph.empty(at, msg) : current.stale(msg));
        })
        .andThen(ar -> {
          if (ar.succeeded() && !closed) {
            current = ar.result();
            metrics.ifPresent(m -> m.refreshed(current.error().isPresent() ? "error" : "ok",
                current));
          }
          running = false;
        });
  }
}
