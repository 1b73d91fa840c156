package io.meshcast.adapter.demo;

import io.meshcast.adapter.provider.GroupResource;
import io.meshcast.adapter.provider.ObjectReference;
import io.meshcast.adapter.provider.memory.InMemoryMetricsProvider;
import io.meshcast.adapter.provider.memory.InMemoryMetricsProvider.ExternalSeries;
import io.meshcast.adapter.provider.memory.InMemoryMetricsProvider.ObjectSeries;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A small synthetic Kuma mesh for {@code serve --demo}: namespace {@code demo} with the services
 * {@code frontend}, {@code backend} and {@code checkout}, each with a Deployment and a few pods,
 * and golden signals that follow a smooth daily-like wave (one "day" every 10 minutes) so the
 * numbers move while you watch.
 *
 * <p>Served as Object metrics on services, deployments and the namespace, as Pods metrics, and as
 * External metrics labelled {@code service}, {@code namespace} and {@code kuma_service}.
 */
public final class DemoMesh {

  static final String NAMESPACE = "demo";
  private static final double DAY_SECONDS = 600;

  private record Service(String name, int pods, double baseRps, double latencyMs) {}

  private static final List<Service> SERVICES =
      List.of(
          new Service("frontend", 3, 120, 35),
          new Service("backend", 2, 80, 60),
          new Service("checkout", 2, 20, 120));

  private final InMemoryMetricsProvider provider;
  private final Clock clock;

  public DemoMesh(InMemoryMetricsProvider provider, Clock clock) {
    this.provider = provider;
    this.clock = clock;
  }

  /** Computes the values for the current instant and publishes them. */
  public void refresh() {
    Instant now = clock.instant();
    double phase = 2 * Math.PI * (now.getEpochSecond() % (long) DAY_SECONDS) / DAY_SECONDS;
    double load = 1 + 0.5 * Math.sin(phase);
    List<ObjectSeries> objects = new ArrayList<>();
    List<ExternalSeries> externals = new ArrayList<>();
    double totalRps = 0;
    for (Service svc : SERVICES) {
      double rps = svc.baseRps * load;
      double p99 = svc.latencyMs * (1 + 0.3 * (load - 1));
      double errorRatio = 0.002 * load;
      double inflight = rps * p99 / 1000; // Little's law
      totalRps += rps;
      Map<String, Double> signals =
          Map.of(
              "kuma_rps", rps,
              "kuma_latency_p99_ms", p99,
              "kuma_error_ratio", errorRatio,
              "kuma_inflight", inflight);
      String kumaService = svc.name + "_" + NAMESPACE + "_svc_80";
      Map<String, String> appLabels = Map.of("app", svc.name);
      signals.forEach(
          (metric, value) -> {
            objects.add(series(metric, GroupResource.SERVICES,
                ObjectReference.service(NAMESPACE, svc.name), appLabels, value, now));
            objects.add(series(metric, GroupResource.DEPLOYMENTS,
                ObjectReference.deployment(NAMESPACE, svc.name), appLabels, value, now));
            externals.add(new ExternalSeries(metric, NAMESPACE,
                Map.of("service", svc.name, "namespace", NAMESPACE, "kuma_service", kumaService),
                value, now));
          });
      for (int i = 0; i < svc.pods; i++) {
        String pod = svc.name + "-7d9f8b6c5-" + (char) ('a' + i) + "x" + i;
        double share = rps / svc.pods * (1 + 0.05 * (i - (svc.pods - 1) / 2.0));
        Map<String, String> podLabels = Map.of("app", svc.name, "pod-template-hash", "7d9f8b6c5");
        objects.add(series("kuma_rps", GroupResource.PODS, ObjectReference.pod(NAMESPACE, pod),
            podLabels, share, now));
        objects.add(series("kuma_inflight", GroupResource.PODS,
            ObjectReference.pod(NAMESPACE, pod), podLabels, share * p99 / 1000, now));
        objects.add(series("kuma_latency_p99_ms", GroupResource.PODS,
            ObjectReference.pod(NAMESPACE, pod), podLabels, p99 * (1 + 0.02 * i), now));
      }
    }
    objects.add(series("kuma_rps", GroupResource.NAMESPACES, ObjectReference.namespace(NAMESPACE),
        Map.of(), totalRps, now));
    provider.publish(objects, externals);
  }

  private static ObjectSeries series(
      String metric,
      GroupResource resource,
      ObjectReference object,
      Map<String, String> objectLabels,
      double value,
      Instant now) {
    return new ObjectSeries(metric, resource, object, objectLabels, Map.of(), value, now);
  }
}
