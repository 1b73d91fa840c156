package io.meshcast.loadtest.serving;

import io.meshcast.adapter.provider.GroupResource;
import io.meshcast.adapter.provider.ObjectReference;
import io.meshcast.adapter.provider.memory.InMemoryMetricsProvider.ExternalSeries;
import io.meshcast.adapter.provider.memory.InMemoryMetricsProvider.ObjectSeries;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A synthetic Kuma mesh of exactly {@code seriesCount} series, shaped like what the adapter serves
 * for a real mesh: services spread over namespaces, each with a Deployment and 2..6 pods; golden
 * signals as Pods metrics (selected by the {@code app} label), Object metrics on the Service and
 * the Deployment, and External metrics labelled {@code service}, {@code namespace} and {@code
 * kuma_service}.
 *
 * <p>Per service with {@code p} pods: {@code 3p} pod series, 4 service, 4 deployment and 4
 * external series. Generation is deterministic for a seed; values change with {@code epoch} so a
 * periodic republish allocates a fresh table as a real source refresh does.
 */
final class SyntheticMesh {

  static final List<String> POD_METRICS = List.of("kuma_rps", "kuma_inflight", "kuma_latency_p99_ms");
  static final List<String> SERVICE_METRICS =
      List.of("kuma_rps", "kuma_latency_p99_ms", "kuma_error_ratio", "kuma_inflight");
  private static final int SERVICES_PER_NAMESPACE = 40;

  /** One service of the mesh; {@code complete} is false for the last one if it was trimmed. */
  record Service(String namespace, String name, int pods, boolean complete) {}

  /** The generated table plus the services it describes. */
  record Table(List<ObjectSeries> objects, List<ExternalSeries> externals, List<Service> services) {
    int size() {
      return objects.size() + externals.size();
    }
  }

  private SyntheticMesh() {}

  /** Generates exactly {@code seriesCount} series (at least one full service's worth). */
  static Table generate(int seriesCount, long seed, long epoch, Instant now) {
    if (seriesCount < 24) {
      throw new IllegalArgumentException("--series must be at least 24, got " + seriesCount);
    }
    SplittableRandom shape = new SplittableRandom(seed);
    SplittableRandom values = new SplittableRandom(seed * 31 + epoch);
    List<ObjectSeries> objects = new ArrayList<>(seriesCount);
    List<ExternalSeries> externals = new ArrayList<>(seriesCount / 6);
    List<Service> services = new ArrayList<>();
    int total = 0;
    for (int i = 0; total < seriesCount; i++) {
      String ns = "mesh-" + (i / SERVICES_PER_NAMESPACE);
      String svc = "svc-" + i;
      int pods = 2 + shape.nextInt(5);
      int budget = seriesCount - total;
      int wanted = 3 * pods + 12;
      boolean complete = wanted <= budget;
      String kumaService = svc + "_" + ns + "_svc_80";
      Map<String, String> appLabels = Map.of("app", svc);
      List<Runnable> adds = new ArrayList<>(wanted);
      double rps = 10 + 500 * values.nextDouble();
      for (String metric : SERVICE_METRICS) {
        double v = signal(metric, rps, values);
        adds.add(() -> objects.add(new ObjectSeries(metric, GroupResource.SERVICES,
            ObjectReference.service(ns, svc), appLabels, Map.of(), v, now)));
        adds.add(() -> objects.add(new ObjectSeries(metric, GroupResource.DEPLOYMENTS,
            ObjectReference.deployment(ns, svc), appLabels, Map.of(), v, now)));
        adds.add(() -> externals.add(new ExternalSeries(metric, ns,
            Map.of("service", svc, "namespace", ns, "kuma_service", kumaService), v, now)));
      }
      String hash = Integer.toHexString(0x7d9f8b6 + i);
      Map<String, String> podLabels = Map.of("app", svc, "pod-template-hash", hash);
      for (int p = 0; p < pods; p++) {
        String pod = svc + "-" + hash + "-x" + p;
        for (String metric : POD_METRICS) {
          double v = signal(metric, rps / pods, values);
          adds.add(() -> objects.add(new ObjectSeries(metric, GroupResource.PODS,
              ObjectReference.pod(ns, pod), podLabels, Map.of(), v, now)));
        }
      }
      int n = Math.min(adds.size(), budget);
      for (int k = 0; k < n; k++) {
        adds.get(k).run();
      }
      total += n;
      services.add(new Service(ns, svc, pods, complete));
    }
    return new Table(objects, externals, List.copyOf(services));
  }

  private static double signal(String metric, double rps, SplittableRandom r) {
    return switch (metric) {
      case "kuma_rps" -> rps;
      case "kuma_latency_p99_ms" -> 20 + 200 * r.nextDouble();
      case "kuma_error_ratio" -> 0.01 * r.nextDouble();
      default -> rps * 0.05 * (1 + r.nextDouble()); // in-flight, Little's law-ish
    };
  }
}
