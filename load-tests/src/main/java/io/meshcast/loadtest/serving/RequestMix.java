package io.meshcast.loadtest.serving;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The requests real HPAs send through the aggregator (k8s-metrics-api.md §1.3, §1.4), over a
 * {@link SyntheticMesh}: a fixed, shuffled sequence of paths that the load generator cycles
 * through.
 *
 * <p>Weights: 40% {@code type: Pods} (wildcard name, {@code %2A} as the aggregator escapes it,
 * {@code labelSelector=app=<svc>}), 30% {@code type: Object} on a Service or a Deployment, 30%
 * {@code type: External} with a {@code service=<svc>} selector. Custom requests are split evenly
 * between v1beta1 and v1beta2. The services are drawn uniformly from the whole mesh, so the
 * lookups are spread over the table as many HPAs would spread them.
 */
final class RequestMix {

  private static final String CUSTOM = "/apis/custom.metrics.k8s.io/";
  private static final String EXTERNAL = "/apis/external.metrics.k8s.io/v1beta1/namespaces/";

  /** The request kinds of the mix, each with its own answer shape and size. */
  enum Kind {
    /** {@code type: Pods}: a list over the selected pods (the largest answers) */
    PODS,
    /** {@code type: Object}: one item */
    OBJECT,
    /** {@code type: External}: the items matching the selector */
    EXTERNAL;

    static Kind of(String path) {
      if (path.startsWith(EXTERNAL_PREFIX)) {
        return EXTERNAL;
      }
      return path.contains("/pods/%2A/") ? PODS : OBJECT;
    }

    String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private static final String EXTERNAL_PREFIX = "/apis/external.metrics.k8s.io/";

  private RequestMix() {}

  /** The paths of one kind, in mix order. */
  static List<String> ofKind(List<String> paths, Kind kind) {
    return paths.stream().filter(p -> Kind.of(p) == kind).toList();
  }

  /** {@code count} request paths (path plus query), deterministic for the seed. */
  static List<String> paths(List<SyntheticMesh.Service> services, int count, long seed) {
    return paths(services, count, seed, "");
  }

  /**
   * As above, with {@code suffix} appended to every metric name ({@code _forecast}: what HPAs of a
   * predictive set-up read).
   */
  static List<String> paths(List<SyntheticMesh.Service> services, int count, long seed,
      String suffix) {
    List<SyntheticMesh.Service> complete =
        services.stream().filter(SyntheticMesh.Service::complete).toList();
    if (complete.isEmpty()) {
      throw new IllegalArgumentException("the mesh has no complete service to query");
    }
    SplittableRandom r = new SplittableRandom(seed);
    List<String> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      SyntheticMesh.Service s = complete.get(r.nextInt(complete.size()));
      String version = r.nextBoolean() ? "v1beta1" : "v1beta2";
      int kind = r.nextInt(10);
      if (kind < 4) {
        String metric = r.nextBoolean() ? "kuma_rps" : "kuma_inflight";
        out.add(CUSTOM + version + "/namespaces/" + s.namespace() + "/pods/%2A/" + metric
            + suffix + "?labelSelector=app%3D" + s.name());
      } else if (kind < 7) {
        String object = r.nextBoolean() ? "services/" : "deployments.apps/";
        String metric = r.nextBoolean() ? "kuma_rps" : "kuma_latency_p99_ms";
        out.add(CUSTOM + version + "/namespaces/" + s.namespace() + "/" + object + s.name() + "/"
            + metric + suffix);
      } else {
        String metric = r.nextBoolean() ? "kuma_rps" : "kuma_error_ratio";
        out.add(EXTERNAL + s.namespace() + "/" + metric + suffix + "?labelSelector=service%3D"
            + s.name());
      }
    }
    return List.copyOf(out);
  }
}
