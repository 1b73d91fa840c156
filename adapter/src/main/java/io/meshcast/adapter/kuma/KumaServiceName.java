package io.meshcast.adapter.kuma;

import java.util.Optional;

/**
 * A parsed {@code kuma.io/service} tag {@code <service>_<namespace>_svc_<port>} (kuma-metrics.md
 * §5.1). Kubernetes names cannot contain {@code _}, so splitting on it is unambiguous. Serviceless
 * pods have {@code <workload>_<namespace>_svc} (no port).
 */
public record KumaServiceName(String service, String namespace, Optional<Integer> port) {

  /** Parses a tag; empty for names that do not follow the Kubernetes convention (Universal). */
  public static Optional<KumaServiceName> parse(String tag) {
    String[] parts = tag.split("_", -1);
    if (parts.length < 3 || !parts[2].equals("svc") || parts[0].isEmpty()
        || parts[1].isEmpty() || parts.length > 4) {
      return Optional.empty();
    }
    if (parts.length == 3) {
      return Optional.of(new KumaServiceName(parts[0], parts[1], Optional.empty()));
    }
    try {
      return Optional.of(
          new KumaServiceName(parts[0], parts[1], Optional.of(Integer.parseInt(parts[3]))));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** The tag form. */
  public String tag() {
    return service + "_" + namespace + "_svc" + port.map(p -> "_" + p).orElse("");
  }
}
