package io.meshcast.adapter.graph;

import io.meshcast.adapter.kuma.KumaServiceName;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A node's identity: Kubernetes namespace and Service name (the workload in the unified regime).
 * The namespace is empty for Universal (non-Kubernetes) names. Immutable.
 */
public record ServiceRef(String namespace, String service) {

  /** Split clusters of a traffic split end in {@code -<16 hex>} (kuma-metrics.md §3.1). */
  private static final Pattern SPLIT = Pattern.compile("-[0-9a-f]{16}$");

  /** {@code namespace/service}, the id used in JSON. */
  public String id() {
    return namespace + "/" + service;
  }

  /**
   * The destination an outbound cluster name points at, in every regime's naming (§3.1):
   * {@code <svc>_<ns>_svc_<port>} (kuma.io/service), {@code <mesh>_<svc>_<ns>_<zone>_msvc_<port>}
   * (MeshService, non-unified), {@code kri_msvc|mzsvc_<mesh>_<zone>_<ns>_<svc>_<section>}
   * (unified). A traffic split's {@code -<16 hex>} suffix is dropped, so split clusters add up to
   * one edge. Empty for anything else (external services, system clusters, Universal tags).
   */
  static Optional<ServiceRef> ofCluster(String cluster) {
    String name = SPLIT.matcher(cluster).replaceFirst("");
    String[] p = name.split("_", -1);
    if (name.startsWith("kri_")) {
      if (p.length == 7 && (p[1].equals("msvc") || p[1].equals("mzsvc")) && !p[5].isEmpty()) {
        return Optional.of(new ServiceRef(p[4], p[5]));
      }
      return Optional.empty();
    }
    if (p.length == 6 && p[4].equals("msvc") && !p[1].isEmpty()) {
      return Optional.of(new ServiceRef(p[2], p[1]));
    }
    return KumaServiceName.parse(name).filter(n -> n.port().isPresent())
        .map(n -> new ServiceRef(n.namespace(), n.service()));
  }

  /**
   * The caller a row's grouping labels name: the {@code kuma.io/service} tag parsed as {@code
   * <svc>_<ns>_svc[_<port>]} (an unparsable Universal tag is kept whole, namespace empty), or in
   * the unified regime the workload and the namespace label.
   */
  static Optional<ServiceRef> ofCaller(String key, String namespace, boolean unified) {
    if (key == null || key.isEmpty()) {
      return Optional.empty();
    }
    if (unified) {
      return Optional.of(new ServiceRef(namespace == null ? "" : namespace, key));
    }
    return Optional.of(KumaServiceName.parse(key)
        .map(n -> new ServiceRef(n.namespace(), n.service()))
        .orElse(new ServiceRef("", key)));
  }
}
