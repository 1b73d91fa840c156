package io.meshcast.loadtest.replay;

import io.meshcast.loadtest.hpa.ScaleTarget;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/*
 * The Deployment's pods and what Prometheus records about them.
 *
 * Pods: scaling up creates pods at once (the ReplicaSet controller is instantaneous here); a pod
 * is Running but not Ready for `startup` seconds (scheduling, image pull, app start, readiness
 * probe) and then takes traffic. Scaling down deletes not-ready pods first, then the newest ready
 * ones (the ReplicaSet's deletion ranking), and they stop serving immediately.
 *
 * Traffic is balanced evenly over ready pods, so every ready pod's request counter grows by
 * D_s / R_s per second, D_s the requests dispatched to the service in second s (the QueueModel's
 * served count: the arrivals below saturation, the capacity above it). One cumulative value
 * F(t) = Σ D_s / R_s serves all pods: a pod's counter (envoy_http_downstream_rq_total of its Kuma
 * sidecar) at time τ is F(τ) − F(readyAt), or 0 while not ready — the sidecar is up and scraped
 * from creation, so a starting pod reports 0 rps, not "no metric".
 *
 * Saturation is visible where Kuma shows it (issue 11): the QueueModel's backlog is the callers'
 * sidecars' pending queue for the service (envoy_cluster_upstream_rq_pending_active of their
 * outbound cluster for it) and its drops are their pending overflow (_rq_pending_overflow, 503);
 * neither reaches the service's own counter, whose rate plateaus at capacity. The callers' two
 * series are scraped with the pods. No retries are simulated, so their retry counter is 0. Drops
 * while no pod is ready (Envoy: no healthy upstream) are not counted as overflow.
 *
 * Prometheus scrapes every pod every `scrapeInterval` seconds (at s ≡ 0 mod interval). The
 * adapter evaluates rate(counter[window]) per pod as (last − first) / (t_last − t_first) over the
 * scrapes inside (t − window, t] — Prometheus' rate() without its edge extrapolation, identical
 * for an evenly scraped counter — and needs two scrapes, so a pod younger than one interval has
 * no value yet.
 */
final class Cluster {

  static final class Pod {
    final String name;
    final long created;
    final long readyAt;
    double counterBase = Double.NaN; // F at readyAt

    Pod(String name, long created, long readyAt) {
      this.name = name;
      this.created = created;
      this.readyAt = readyAt;
    }
  }

  /**
   * What the metrics adapter answered at one refresh: per pod and summed served rate, and the
   * offered demand of the service as {@code kuma_demand_rps} computes it (served + callers'
   * rejected + deriv of their pending queue − retries, none here); NaN without pod rates.
   */
  record Snapshot(long time, Map<String, Double> ratesByPod, double totalRate,
      double demandRate) {
    Snapshot(long time, Map<String, Double> ratesByPod, double totalRate) {
      this(time, ratesByPod, totalRate, totalRate);
    }
  }

  private final long startupSeconds;
  private final int scrapeInterval;
  private final int rateWindow;
  private final List<Pod> pods = new ArrayList<>();
  private final ArrayDeque<Pod> starting = new ArrayDeque<>();
  private int ready;
  private int nextId;
  private double cumulativePerPod; // F(t)
  private final long[] scrapeTimes = new long[64];
  private final double[] scrapeF = new double[64];
  private final double[] scrapeOverflow = new double[64];
  private final double[] scrapePending = new double[64];
  private double overflow; // callers' pending overflow counter
  private double pending; // callers' pending queue gauge
  private int scrapes;

  Cluster(long startupSeconds, int scrapeInterval, int rateWindow) {
    if (startupSeconds < 0 || scrapeInterval <= 0 || rateWindow < 2 * scrapeInterval
        || rateWindow / scrapeInterval >= scrapeTimes.length) {
      throw new IllegalArgumentException("bad cluster config: startup=" + startupSeconds
          + " scrape=" + scrapeInterval + " window=" + rateWindow
          + " (the rate window must hold at least 2 scrapes)");
    }
    this.startupSeconds = startupSeconds;
    this.scrapeInterval = scrapeInterval;
    this.rateWindow = rateWindow;
  }

  /** Starts with n pods that are already ready (a warm service). */
  void startWarm(int n) {
    for (int i = 0; i < n; i++) {
      final Pod p = new Pod("pod-" + nextId++, -startupSeconds, 0);
      p.counterBase = 0;
      pods.add(p);
      ready++;
    }
  }

  /** Makes pods whose start-up delay has elapsed ready (call once per second, before traffic). */
  void tick(long now) {
    while (!starting.isEmpty() && starting.peekFirst().readyAt <= now) {
      final Pod p = starting.pollFirst();
      p.counterBase = cumulativePerPod;
      ready++;
    }
  }

  /**
   * Records one second of the QueueModel: what the pods served, and what the callers' sidecars
   * hold (backlog after the second) and rejected.
   */
  void count(QueueModel.Step step, double backlog) {
    if (ready > 0) {
      cumulativePerPod += step.served() / ready;
      overflow += step.dropped();
    }
    pending = backlog;
  }

  int readyCount() {
    return ready;
  }

  int podCount() {
    return pods.size();
  }

  /** Sets the Deployment's replicas. */
  void scaleTo(int replicas, long now) {
    while (pods.size() < replicas) {
      final Pod p = new Pod("pod-" + nextId++, now, now + startupSeconds);
      pods.add(p);
      if (startupSeconds == 0) {
        p.counterBase = cumulativePerPod;
        ready++;
      } else {
        starting.addLast(p);
      }
    }
    while (pods.size() > replicas) {
      Pod victim = null;
      for (int i = pods.size() - 1; i >= 0 && victim == null; i--) {
        if (Double.isNaN(pods.get(i).counterBase)) {
          victim = pods.get(i);
        }
      }
      if (victim == null) {
        victim = pods.get(pods.size() - 1);
        ready--;
      } else {
        starting.remove(victim);
      }
      pods.remove(victim);
    }
  }

  /** The scale subresource and pod list as the HPA sees them. */
  ScaleTarget scaleTarget() {
    final List<io.meshcast.adapter.hpa.Pod> view = new ArrayList<>(pods.size());
    for (Pod p : pods) {
      view.add(new io.meshcast.adapter.hpa.Pod(p.name, io.meshcast.adapter.hpa.Pod.Phase.RUNNING,
          !Double.isNaN(p.counterBase), false));
    }
    return new ScaleTarget(pods.size(), pods.size(), view);
  }

  /** Prometheus scrapes every pod now. */
  void scrape(long now) {
    final int slot = scrapes % scrapeTimes.length;
    scrapeTimes[slot] = now;
    scrapeF[slot] = cumulativePerPod;
    scrapeOverflow[slot] = overflow;
    scrapePending[slot] = Math.floor(pending); // a gauge of requests: an integer
    scrapes++;
  }

  /** The adapter's view now: rate(counter[window]) per existing pod, and their sum. */
  Snapshot query(long now) {
    return query(now, rateWindow);
  }

  /** The same with another rate window (a policy whose adapter queries a different range). */
  Snapshot query(long now, int rateWindow) {
    if (rateWindow < 2 * scrapeInterval || rateWindow / scrapeInterval >= scrapeTimes.length) {
      throw new IllegalArgumentException("rate window " + rateWindow + " s must hold 2 to "
          + (scrapeTimes.length - 1) + " scrapes of " + scrapeInterval + " s");
    }
    final Map<String, Double> rates = new LinkedHashMap<>();
    int windowFirst = scrapes;
    int windowLast = -1;
    for (int k = Math.max(0, scrapes - scrapeTimes.length); k < scrapes; k++) {
      final long t = scrapeTimes[k % scrapeTimes.length];
      if (t > now - rateWindow && t <= now) {
        windowFirst = Math.min(windowFirst, k);
        windowLast = k;
      }
    }
    double total = 0;
    for (Pod p : pods) {
      int first = windowFirst;
      while (first <= windowLast && scrapeTimes[first % scrapeTimes.length] < p.created) {
        first++;
      }
      if (first >= windowLast) {
        continue; // fewer than two samples: rate() returns nothing for this pod
      }
      final double rate = (counter(p, windowLast) - counter(p, first))
          / (scrapeTimes[windowLast % scrapeTimes.length] - scrapeTimes[first % scrapeTimes.length]);
      rates.put(p.name, rate);
      total += rate;
    }
    if (rates.isEmpty() || windowLast <= windowFirst) {
      return new Snapshot(now, rates, total, rates.isEmpty() ? Double.NaN : total);
    }
    final int a = windowFirst % scrapeTimes.length;
    final int b = windowLast % scrapeTimes.length;
    final double rejected = (scrapeOverflow[b] - scrapeOverflow[a])
        / (scrapeTimes[b] - scrapeTimes[a]);
    return new Snapshot(now, rates, total,
        Math.max(0, total + rejected + pendingSlope(windowFirst, windowLast)));
  }

  /** Prometheus' deriv(): the least-squares slope of the pending gauge over the window. */
  private double pendingSlope(int first, int last) {
    final int n = last - first + 1;
    double mt = 0;
    double mv = 0;
    for (int k = first; k <= last; k++) {
      mt += scrapeTimes[k % scrapeTimes.length];
      mv += scrapePending[k % scrapeTimes.length];
    }
    mt /= n;
    mv /= n;
    double cov = 0;
    double var = 0;
    for (int k = first; k <= last; k++) {
      final double dt = scrapeTimes[k % scrapeTimes.length] - mt;
      cov += dt * (scrapePending[k % scrapeTimes.length] - mv);
      var += dt * dt;
    }
    return var == 0 ? 0 : cov / var;
  }

  private double counter(Pod p, int scrapeIndex) {
    final long t = scrapeTimes[scrapeIndex % scrapeTimes.length];
    if (t < p.readyAt || Double.isNaN(p.counterBase)) {
      return 0;
    }
    return scrapeF[scrapeIndex % scrapeTimes.length] - p.counterBase;
  }
}
