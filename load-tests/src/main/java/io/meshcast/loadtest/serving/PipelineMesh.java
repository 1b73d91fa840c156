package io.meshcast.loadtest.serving;

import java.util.ArrayList;
import java.util.List;

/**
 * The mesh behind a {@code serving-target --mode pipeline}: services of {@code podsPerService}
 * pods each, named like {@link SyntheticMesh}'s (so {@link RequestMix} builds its requests), sized
 * so that the adapter's observed series, six golden signals per pod and per service, come to about
 * {@code series}.
 *
 * @param services the services, all complete
 * @param podsPerService pods of each service
 */
record PipelineMesh(List<SyntheticMesh.Service> services, int podsPerService) {

  static final int SIGNALS = 6;
  private static final int SERVICES_PER_NAMESPACE = 40;

  PipelineMesh {
    services = List.copyOf(services);
  }

  /** The mesh with about {@code series} observed series (at least one service). */
  static PipelineMesh of(int series, int podsPerService) {
    if (podsPerService < 1) {
      throw new IllegalArgumentException("--pods-per-service must be >= 1, got " + podsPerService);
    }
    int n = Math.max(1, Math.round(series / (float) (SIGNALS * (podsPerService + 1))));
    List<SyntheticMesh.Service> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(new SyntheticMesh.Service("mesh-" + (i / SERVICES_PER_NAMESPACE), "svc-" + i,
          podsPerService, true));
    }
    return new PipelineMesh(out, podsPerService);
  }

  int pods() {
    return services.size() * podsPerService;
  }

  /** Observed series per refresh: every signal at pod and at service level. */
  int observedSeries() {
    return SIGNALS * (pods() + services.size());
  }

  static String kumaService(SyntheticMesh.Service s) {
    return s.name() + "_" + s.namespace() + "_svc_80";
  }

  static String pod(SyntheticMesh.Service s, int p) {
    return s.name() + "-" + Integer.toHexString(0x7d9f8b6 + s.name().hashCode() % 4096) + "-x" + p;
  }

  /**
   * The service's request rate at {@code epochSeconds}: a level per service, an hourly cycle of
   * ±30 % and a small deterministic wobble, so models have something to learn.
   */
  static double serviceValue(int index, double epochSeconds) {
    double level = 10 + (index * 37L % 500);
    double cycle = 1 + 0.3 * Math.sin(2 * Math.PI * epochSeconds / 3600.0 + index);
    double wobble = 0.02 * Math.sin(epochSeconds / 7.0 + index * 1.3);
    return level * (cycle + wobble);
  }
}
