package io.meshcast.loadtest.replay;

/*
 * Latency model of a Kuma service, one step per simulated second.
 *
 * Each ready pod runs k workers with a constant service time S = k / μ, so a pod serves up to
 * μ requests per second and the service's capacity with R ready pods is C = R μ per second
 * (c = R k servers). Two effects set the waiting time W of a request:
 *
 *  1. Sustained overload, as a fluid FIFO queue carried across seconds (requests beyond
 *     capacity wait; those that would wait longer than maxQueue are dropped, like an Envoy
 *     pending-request overflow / route timeout answering 503):
 *        B' = min(Q, max(0, B + A − C)),  Q = C × maxQueueSeconds,
 *        dropped = max(0, B + A − C − Q),  W_f = (B + B') / (2C)   (mean backlog ahead, FIFO)
 *  2. Random queueing below saturation, the M/M/c (Erlang-C) waiting-time tail at the second's
 *     realised arrival rate λ = A (capped at 0.99 C so a saturated second has a steep, finite
 *     tail and the model is continuous across ρ = 1):
 *        a = λ S,  ErlangB(0) = 1, ErlangB(n) = a B(n−1) / (n + a B(n−1)),
 *        ErlangC = c B(c) / (c − a (1 − B(c))),
 *        P(W_q > w) = ErlangC × exp(−(c/S − λ) w)
 *     (Kleinrock, Queueing Systems vol. 1, §3.5; Erlang-B recursion from Jagerman 1974).
 *
 * A request's latency is S + W_f + W_q. The fraction of this second's accepted requests that
 * miss the SLO is 1 when S + W_f ≥ SLO, else P(W_q > SLO − S − W_f). Minutes are judged on
 * these fractions (see Timeline). With no ready pod every arrival is dropped (Envoy: no healthy
 * upstream). Not modelled: per-request service-time variance beyond M/M/c, retries, graceful
 * termination, uneven load balancing.
 */
final class QueueModel {

  /** Outcome of one second. */
  record Step(double served, double dropped, double lateFraction) {}

  private final double capacityPerPod;
  private final int workersPerPod;
  private final double serviceSeconds;
  private final double sloSeconds;
  private final double maxQueueSeconds;
  private double backlog;

  QueueModel(double capacityPerPod, int workersPerPod, double sloSeconds, double maxQueueSeconds) {
    if (!(capacityPerPod > 0) || workersPerPod < 1 || !(sloSeconds > 0) || !(maxQueueSeconds >= 0)) {
      throw new IllegalArgumentException("bad queue model: capacity=" + capacityPerPod
          + " workers=" + workersPerPod + " slo=" + sloSeconds + " maxQueue=" + maxQueueSeconds);
    }
    this.capacityPerPod = capacityPerPod;
    this.workersPerPod = workersPerPod;
    this.serviceSeconds = workersPerPod / capacityPerPod;
    this.sloSeconds = sloSeconds;
    this.maxQueueSeconds = maxQueueSeconds;
  }

  double serviceSeconds() {
    return serviceSeconds;
  }

  double backlog() {
    return backlog;
  }

  Step step(int arrivals, int readyPods) {
    if (readyPods <= 0) {
      final double dropped = arrivals + backlog;
      backlog = 0;
      return new Step(0, dropped, 0);
    }
    final double capacity = readyPods * capacityPerPod;
    final double offered = backlog + arrivals;
    final double served = Math.min(offered, capacity);
    final double waiting = offered - served;
    final double limit = capacity * maxQueueSeconds;
    final double dropped = Math.max(0, waiting - limit);
    final double next = waiting - dropped;
    final double fluidWait = (backlog + next) / (2 * capacity);
    backlog = next;
    final double slack = sloSeconds - serviceSeconds - fluidWait;
    if (slack <= 0) {
      return new Step(served, dropped, arrivals > 0 ? 1.0 : 0.0);
    }
    if (arrivals == 0) {
      return new Step(served, dropped, 0);
    }
    final int c = readyPods * workersPerPod;
    final double lambda = Math.min(arrivals, 0.99 * capacity);
    return new Step(served, dropped, waitingTail(c, lambda, slack));
  }

  /** P(W_q > w) for M/M/c with c servers, arrival rate λ and service time S. */
  double waitingTail(int c, double lambda, double w) {
    final double a = lambda * serviceSeconds;
    double erlangB = 1.0;
    for (int n = 1; n <= c; n++) {
      erlangB = a * erlangB / (n + a * erlangB);
    }
    final double erlangC = c * erlangB / (c - a * (1 - erlangB));
    return Math.min(1.0, erlangC * Math.exp(-(c / serviceSeconds - lambda) * w));
  }
}
