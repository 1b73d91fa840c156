package io.meshcast.adapter.health;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The registry of liveness and readiness checks. {@code /livez} runs the liveness checks, {@code
 * /readyz} the liveness and readiness checks, {@code /healthz} all of them (as k8s.io/apiserver
 * does). A {@code ping} check that always passes is built in. Thread-safe.
 */
public final class Health {

  private final List<HealthCheck> liveness = new CopyOnWriteArrayList<>();
  private final List<HealthCheck> readiness = new CopyOnWriteArrayList<>();

  public Health() {
    liveness.add(HealthCheck.of("ping", HealthCheck.Result::ok));
  }

  /** Adds a check that fails liveness (the kubelet restarts the pod): use sparingly. */
  public Health addLiveness(HealthCheck check) {
    liveness.add(check);
    return this;
  }

  /** Adds a check that fails readiness (the pod leaves the Service endpoints). */
  public Health addReadiness(HealthCheck check) {
    readiness.add(check);
    return this;
  }

  List<HealthCheck> checksFor(String endpoint) {
    return switch (endpoint) {
      case "livez" -> List.copyOf(liveness);
      default -> {
        var all = new java.util.ArrayList<HealthCheck>(liveness);
        all.addAll(readiness);
        yield all;
      }
    };
  }
}
