package io.meshcast.adapter.demo;

import io.meshcast.adapter.kuma.GoldenSignal;
import java.util.List;

/**
 * The golden signals of the demo mesh as a pure function of trace time, so instant and range
 * queries agree. The frontend's request rate is the NASA trace (requests per minute, read as
 * requests per second times {@code scale}); backend and checkout receive fixed shares of it.
 * Latency follows a simple queueing shape: with per-pod utilisation {@code rho = rps_pod /
 * capacity}, {@code p50 = base * (1 + 0.5 rho / (1 - rho))}, p90 and p99 fixed multiples of it;
 * in-flight requests follow Little's law with mean latency about 1.2 x p50. Two kinds of scripted
 * events make anomalies visible early, only after the demo's start (so the bootstrap history is
 * clean) and at irregular times (a periodic incident would be learnt as seasonality): in each
 * 300-minute block a checkout incident (latency x5, 20 % errors, 6 minutes) and a frontend burst
 * (rate x2.5, 4 minutes), the first ones 40 and 20 minutes after the start.
 */
final class DemoTraffic {

  /** One demo service: share of the frontend rate, pods, base latency, per-pod capacity. */
  record Service(String name, double share, int pods, double baseLatencyMs, double capacityRps) {

    String kumaService() {
      return name + "_" + DemoMesh.NAMESPACE + "_svc_80";
    }

    String pod(int i) {
      return name + "-7d9f8c6b5-" + (char) ('a' + i) + "x" + i + "q";
    }
  }

  static final List<Service> SERVICES = List.of(
      new Service("frontend", 1.0, 2, 12, 60),
      new Service("backend", 0.6, 2, 25, 45),
      new Service("checkout", 0.1, 1, 60, 20));

  private final NasaTrace trace;
  private final double scale;
  private final double originMinute;

  DemoTraffic(NasaTrace trace, double scale, double originMinute) {
    this.trace = trace;
    this.scale = scale;
    this.originMinute = originMinute;
  }

  /** Value of a signal for a service (pod < 0) or one of its pods, at trace minute m. */
  double value(GoldenSignal signal, Service s, int pod, double m) {
    double serviceRps = trace.at(m) * scale * s.share() * burst(s, m);
    double rps = pod < 0 ? serviceRps : serviceRps / s.pods() * (1 + 0.08 * jitter(m, s, pod));
    double perPod = serviceRps / s.pods();
    double rho = Math.min(0.95, perPod / s.capacityRps());
    double p50 = s.baseLatencyMs() * (1 + 0.5 * rho / (1 - rho)) * incident(s, m, 5);
    double errors = Math.min(1, 0.002 + Math.max(0, rho - 0.8) * 0.5
        + (incident(s, m, 2) > 1 ? 0.2 : 0));
    return switch (signal) {
      case RPS, DEMAND -> rps; // the demo's services never saturate
      case ERROR_RATIO -> errors;
      case LATENCY_P50 -> p50;
      case LATENCY_P90 -> p50 * 1.8;
      case LATENCY_P99 -> p50 * 3.5;
      case INFLIGHT -> rps * p50 * 1.2 / 1000;
    };
  }

  private double burst(Service s, double m) {
    return s.name().equals("frontend") && inEvent(m, 20, 1, 4) ? 2.5 : 1;
  }

  private double incident(Service s, double m, double factor) {
    return s.name().equals("checkout") && inEvent(m, 40, 2, 6) ? factor : 1;
  }

  /** Whether minute m falls in the event of its 300-minute block (first block starts at first). */
  private boolean inEvent(double m, int first, int salt, int length) {
    double since = m - originMinute;
    if (since < 0) {
      return false;
    }
    long block = (long) Math.floor(since / 300);
    long start = block == 0 ? first : 10 + Math.floorMod(mix(block * 7919 + salt), 240);
    double in = since - block * 300;
    return in >= start && in < start + length;
  }

  private static long mix(long x) {
    x ^= x >>> 33;
    x *= 0xff51afd7ed558ccdL;
    x ^= x >>> 33;
    return x;
  }

  /** Deterministic noise in [-1, 1] per (minute, service, pod). */
  private static double jitter(double m, Service s, int pod) {
    long x = (long) Math.floor(m) * 0x9E3779B97F4A7C15L + s.name().hashCode() * 31L + pod;
    x ^= x >>> 33;
    x *= 0xff51afd7ed558ccdL;
    x ^= x >>> 33;
    return ((x >>> 11) / (double) (1L << 53)) * 2 - 1;
  }
}
