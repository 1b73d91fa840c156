package io.meshcast.loadtest.replay;

import io.meshcast.loadtest.hpa.HorizontalController;
import io.meshcast.loadtest.hpa.HpaSpec;
import io.meshcast.loadtest.hpa.ReconcileResult;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/*
 * The closed loop of Simulation, for a call tree. One step per simulated second s, tiers in
 * topological order (callers first), each tier with its own pods (Cluster), queue (QueueModel),
 * HPA (HorizontalController) and policy:
 *
 *   1. per tier: pods whose start-up has elapsed become Ready; the tier's arrivals go through
 *      its QueueModel:
 *        entry tier: A_s from the trace (Demand, the same arrivals for every policy);
 *        other tiers: the calls its callers made this second,
 *          calls_{c→x}(s) = served_c(s) × ratio_{c→x}, whole calls, the fraction carried to the
          next second (a fixed mean fan-out: no noise is added per hop, so a tier's relative
          noise is the entry's Poisson noise)
 *      so a saturated caller, whose QueueModel serves at most its capacity and holds the rest in
 *      its backlog (up to max-queue, then drops), passes on less than its demand, and passes on
 *      the backlog when it has scaled — the held-back load lands at once;
 *   2. s ≡ 0 (mod scrape): Prometheus scrapes every pod of every tier, and the counters of every
 *      edge (the caller's outbound upstream_rq_total) and of every tier's served requests;
 *   3. s ≡ 5 (mod refresh): the adapter refreshes every tier (rate() per pod), then the policy's
 *      mesh step runs (propagation);
 *   4. s ≡ 10 (mod sync): every tier's HPA reconciles.
 *
 * A request's latency is judged per tier (each tier's own QueueModel and SLO); a downstream drop
 * does not fail the caller's request and calls are not retried (not modelled). The run starts
 * warm: each tier's replicas match the first minute's demand × gain at its HPA target.
 */
final class MeshSimulation {

  private MeshSimulation() {}

  /** The per-tier timelines of one run, in the mesh's report order. */
  record Result(String policy, Map<String, Timeline> tiers) {

    /** SLO-violation minutes summed over the tiers. */
    int violationMinutes() {
      return tiers.values().stream().mapToInt(Timeline::sloViolationMinutes).sum();
    }

    /** Minutes in which at least one tier violated its SLO (what a user of the entry sees). */
    int anyTierViolationMinutes() {
      Timeline first = tiers.values().iterator().next();
      int n = 0;
      for (int m = first.scoredFromMinute; m < first.minutes; m++) {
        final int minute = m;
        if (tiers.values().stream().anyMatch(tl -> tl.violated(minute))) {
          n++;
        }
      }
      return n;
    }

    double replicaHours() {
      return tiers.values().stream().mapToDouble(Timeline::replicaHours).sum();
    }

    long droppedRequests() {
      return tiers.values().stream().mapToLong(Timeline::droppedRequests).sum();
    }

    int scaleEvents() {
      return tiers.values().stream().mapToInt(tl -> tl.scaleEvents).sum();
    }
  }

  /** A counter Prometheus scrapes, and its rate() over a window, as in {@link Cluster}. */
  static final class RateCounter {
    private final long[] times = new long[64];
    private final double[] values = new double[64];
    private int scrapes;
    double value;

    void scrape(long now) {
      times[scrapes % times.length] = now;
      values[scrapes % times.length] = value;
      scrapes++;
    }

    /** (last − first) / (t_last − t_first) over the scrapes in (now − window, now]; NaN if < 2. */
    double rate(long now, int window) {
      int first = -1;
      int last = -1;
      for (int k = Math.max(0, scrapes - times.length); k < scrapes; k++) {
        final long t = times[k % times.length];
        if (t > now - window && t <= now) {
          first = first < 0 ? k : first;
          last = k;
        }
      }
      if (first < 0 || first == last) {
        return Double.NaN;
      }
      return (values[last % times.length] - values[first % times.length])
          / (times[last % times.length] - times[first % times.length]);
    }
  }

  private static final class TierState {
    final ReplayConfig cfg;
    final AutoscalingPolicy policy;
    final Cluster cluster;
    final QueueModel queue;
    final HorizontalController hpa;
    final Timeline timeline;
    final RateCounter served = new RateCounter();
    final double gain;
    int pending; // calls received this second from callers
    Cluster.Snapshot latest;

    TierState(ReplayConfig cfg, AutoscalingPolicy policy, Simulation.SimClock clock, int seconds,
        double gain) {
      this.cfg = cfg;
      this.policy = policy;
      this.gain = gain;
      HpaSpec spec = new HpaSpec(cfg.minReplicas(), cfg.maxReplicas(),
          List.of(policy.metric(cfg.targetRpsPerPod())), cfg.behavior());
      this.hpa = new HorizontalController(spec, cfg.controller(), clock, policy.adjuster());
      this.queue = new QueueModel(cfg.capacityRps(), cfg.workersPerPod(), cfg.sloMillis() / 1000.0,
          cfg.maxQueueSeconds());
      this.cluster = new Cluster(cfg.startupSeconds(), cfg.scrapeInterval(), cfg.rateWindow());
      this.timeline = new Timeline(seconds, cfg.warmupSeconds());
    }
  }

  private static final class EdgeState {
    final MeshConfig.Edge edge;
    final TierState from;
    final TierState to;
    final RateCounter calls = new RateCounter();
    double carry;

    EdgeState(MeshConfig.Edge edge, TierState from, TierState to) {
      this.edge = edge;
      this.from = from;
      this.to = to;
    }
  }

  /**
   * Runs one policy over the mesh.
   *
   * @param configs per tier: capacity, start-up, replicas bounds; the shared knobs (SLO, queue,
   *     intervals, HPA controller, warm-up, seed) must be equal across tiers
   */
  static Result run(Demand demand, MeshConfig mesh, Map<String, ReplayConfig> configs,
      MeshPolicy policy, Instant origin) {
    final Simulation.SimClock clock = new Simulation.SimClock(origin);
    final int seconds = demand.seconds();
    final Map<String, Double> gains = mesh.gains();
    final List<String> order = mesh.order();
    final Map<String, TierState> tiers = new LinkedHashMap<>();
    for (String t : order) {
      TierState ts = new TierState(configs.get(t), policy.tiers.get(t), clock, seconds,
          gains.get(t));
      ts.cluster.startWarm(initialReplicas(demand, ts.cfg, ts.gain));
      tiers.put(t, ts);
    }
    final ReplayConfig shared = configs.get(mesh.entry());
    final EdgeState[] edges = new EdgeState[mesh.edges().size()];
    for (int i = 0; i < edges.length; i++) {
      MeshConfig.Edge e = mesh.edges().get(i);
      edges[i] = new EdgeState(e, tiers.get(e.source()), tiers.get(e.destination()));
    }
    final TierState entry = tiers.get(mesh.entry());
    final int sync = shared.syncSeconds();
    final Map<String, Double> observed = new LinkedHashMap<>();
    final Map<String, Double> servedRate = new LinkedHashMap<>();
    final Map<MeshConfig.Edge, Double> edgeRate = new LinkedHashMap<>();
    for (long s = 0; s < seconds; s++) {
      clock.set(s);
      entry.pending = demand.arrivals[(int) s];
      for (TierState ts : tiers.values()) {
        ts.cluster.tick(s);
        final int arrivals = ts.pending;
        ts.pending = 0;
        final QueueModel.Step step = ts.queue.step(arrivals, ts.cluster.readyCount());
        ts.cluster.count(step, ts.queue.backlog());
        ts.served.value += step.served();
        for (EdgeState e : edges) {
          if (e.from == ts) {
            final double due = e.carry + step.served() * e.edge.ratio();
            final int calls = (int) Math.floor(due);
            e.carry = due - calls;
            e.calls.value += calls;
            e.to.pending += calls;
          }
        }
        ts.timeline.record(s, arrivals, demand.rate[(int) s] * ts.gain, step,
            ts.cluster.podCount(), ts.cluster.readyCount());
      }
      if (s % shared.scrapeInterval() == 0) {
        for (TierState ts : tiers.values()) {
          ts.cluster.scrape(s);
          ts.served.scrape(s);
        }
        for (EdgeState e : edges) {
          e.calls.scrape(s);
        }
      }
      if (s % shared.refreshInterval() == Simulation.REFRESH_OFFSET % shared.refreshInterval()) {
        for (Map.Entry<String, TierState> en : tiers.entrySet()) {
          final TierState ts = en.getValue();
          final int window = ts.policy.rateWindowSeconds() > 0 ? ts.policy.rateWindowSeconds()
              : ts.cfg.rateWindow();
          ts.latest = ts.cluster.query(s, window);
          ts.policy.onRefresh(ts.latest);
          observed.put(en.getKey(), ts.latest.ratesByPod().isEmpty() ? Double.NaN
              : ts.latest.totalRate());
          servedRate.put(en.getKey(), ts.served.rate(s, window));
        }
        for (EdgeState e : edges) {
          final int window = e.from.policy.rateWindowSeconds() > 0
              ? e.from.policy.rateWindowSeconds() : e.from.cfg.rateWindow();
          edgeRate.put(e.edge, e.calls.rate(s, window));
        }
        policy.afterRefresh(s, observed, servedRate, edgeRate);
      }
      if (s > 0 && s % sync == Simulation.SYNC_OFFSET % sync) {
        for (TierState ts : tiers.values()) {
          final ReconcileResult r = ts.hpa.reconcile(ts.cluster.scaleTarget(),
              List.of(ts.policy.reading(s, ts.latest)));
          if (r.rescale()) {
            ts.cluster.scaleTo(r.desiredReplicas(), s);
            if (s >= ts.cfg.warmupSeconds()) {
              ts.timeline.scaleEvents++;
            }
          }
        }
      }
    }
    final Map<String, Timeline> out = new LinkedHashMap<>();
    for (MeshConfig.Tier t : mesh.tiers()) {
      out.put(t.name(), tiers.get(t.name()).timeline);
    }
    return new Result(policy.name, out);
  }

  private static int initialReplicas(Demand demand, ReplayConfig cfg, double gain) {
    double sum = 0;
    final int n = Math.min(60, demand.seconds());
    for (int s = 0; s < n; s++) {
      sum += demand.rate[s] * gain;
    }
    final int r = (int) Math.ceil(sum / n / cfg.targetRpsPerPod());
    return Math.max(cfg.minReplicas(), Math.min(cfg.maxReplicas(), r));
  }
}
