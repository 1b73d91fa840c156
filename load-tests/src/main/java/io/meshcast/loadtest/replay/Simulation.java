package io.meshcast.loadtest.replay;

import io.meshcast.loadtest.hpa.HorizontalController;
import io.meshcast.loadtest.hpa.HpaSpec;
import io.meshcast.loadtest.hpa.ReconcileResult;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;

/*
 * The closed loop, one step per simulated second s (0-based from the trace start):
 *
 *   1. pods whose start-up delay has elapsed become Ready;
 *   2. A_s requests arrive and go through the QueueModel; what it serves is balanced over the
 *      Ready pods (their request counters), its backlog and drops are the callers' sidecars'
 *      pending queue and overflow for the service (Cluster);
 *   3. s ≡ 0 (mod scrape):            Prometheus scrapes every pod's request counter and the
 *                                      callers' queue and overflow;
 *   4. s ≡ 5 (mod refresh):           the metrics adapter re-queries Prometheus (its answers
 *                                      are served from this snapshot until the next refresh);
 *   5. s ≡ 10 (mod sync), s > 0:      the HPA reconciles on the adapter's latest answer and, if
 *                                      it rescales, pods are created / deleted at once.
 *
 * The phases make the observed signal lag the truth realistically: the rate window is centred
 * ~30 s back, plus up to one refresh and one sync interval. The run starts warm: the initial
 * replicas match the first minute's demand at the HPA target and are Ready.
 */
final class Simulation {

  static final int REFRESH_OFFSET = 5;
  static final int SYNC_OFFSET = 10;

  /** A clock the simulation sets each second; the HPA reads it. */
  static final class SimClock extends Clock {
    private final Instant origin;
    private long second;

    SimClock(Instant origin) {
      this.origin = origin;
    }

    void set(long s) {
      second = s;
    }

    @Override
    public Instant instant() {
      return origin.plusSeconds(second);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }

  private Simulation() {}

  static Timeline run(Demand demand, ReplayConfig cfg, AutoscalingPolicy policy, Instant origin) {
    final SimClock clock = new SimClock(origin);
    final HpaSpec spec = new HpaSpec(cfg.minReplicas(), cfg.maxReplicas(),
        List.of(policy.metric(cfg.targetRpsPerPod())), cfg.behavior());
    final HorizontalController hpa =
        new HorizontalController(spec, cfg.controller(), clock, policy.adjuster());
    final QueueModel queue = new QueueModel(cfg.capacityRps(), cfg.workersPerPod(),
        cfg.sloMillis() / 1000.0, cfg.maxQueueSeconds());
    final Cluster cluster = new Cluster(cfg.startupSeconds(), cfg.scrapeInterval(), cfg.rateWindow());
    final int seconds = demand.seconds();
    final Timeline timeline = new Timeline(seconds, cfg.warmupSeconds());
    cluster.startWarm(initialReplicas(demand, cfg));
    final int sync = cfg.syncSeconds();
    Cluster.Snapshot latest = null;
    for (long s = 0; s < seconds; s++) {
      clock.set(s);
      cluster.tick(s);
      final int arrivals = demand.arrivals[(int) s];
      final QueueModel.Step step = queue.step(arrivals, cluster.readyCount());
      cluster.count(step, queue.backlog());
      if (s % cfg.scrapeInterval() == 0) {
        cluster.scrape(s);
      }
      if (s % cfg.refreshInterval() == REFRESH_OFFSET % cfg.refreshInterval()) {
        latest = policy.rateWindowSeconds() > 0 ? cluster.query(s, policy.rateWindowSeconds())
            : cluster.query(s);
        policy.onRefresh(latest);
      }
      if (s > 0 && s % sync == SYNC_OFFSET % sync) {
        final ReconcileResult r =
            hpa.reconcile(cluster.scaleTarget(), List.of(policy.reading(s, latest)));
        if (r.rescale()) {
          cluster.scaleTo(r.desiredReplicas(), s);
          if (s >= cfg.warmupSeconds()) {
            timeline.scaleEvents++;
          }
        }
      }
      timeline.record(s, arrivals, demand.rate[(int) s], step, cluster.podCount(),
          cluster.readyCount());
    }
    return timeline;
  }

  private static int initialReplicas(Demand demand, ReplayConfig cfg) {
    double sum = 0;
    final int n = Math.min(60, demand.seconds());
    for (int s = 0; s < n; s++) {
      sum += demand.rate[s];
    }
    final int r = (int) Math.ceil(sum / n / cfg.targetRpsPerPod());
    return Math.max(cfg.minReplicas(), Math.min(cfg.maxReplicas(), r));
  }
}
