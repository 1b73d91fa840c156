package io.meshcast.adapter.kuma;

/**
 * The three ways Kuma data-plane metrics are named and labelled in Prometheus (kuma-metrics.md
 * §0). They differ in where identity labels live and how the inbound listener is named.
 */
public enum Regime {
  /**
   * A: legacy {@code Mesh.spec.metrics} scraped through {@code kuma_sd}; identity labels ({@code
   * kuma_io_service}, {@code pod}, {@code namespace}) are target labels; inbound prefix {@code
   * localhost_<port>}; kuma-dp adds {@code kuma_io_mesh_traffic="true"}.
   */
  LEGACY("kuma_io_service", "pod", "namespace", "localhost_.*"),
  /**
   * B: MeshMetric, non-unified naming; identity labels are on every sample ({@code
   * k8s_kuma_io_name}, {@code k8s_kuma_io_namespace}); the shipped relabel does not produce
   * {@code pod}/{@code namespace}; inbound prefix {@code localhost_<port>}.
   */
  MESHMETRIC("kuma_io_service", "k8s_kuma_io_name", "k8s_kuma_io_namespace", "localhost_.*"),
  /**
   * C: MeshMetric with unified naming (always on in 3.0): only {@code mesh}, {@code zone}, {@code
   * kuma_proxy_role}, {@code kuma_workload} on samples; {@code pod}/{@code namespace} come from the
   * scrape config; inbound prefix {@code self_inbound_dp_<section>}.
   */
  UNIFIED("kuma_workload", "pod", "namespace", "self_inbound_dp_.*");

  private final String serviceLabel;
  private final String podLabel;
  private final String namespaceLabel;
  private final String inboundPrefixRegex;

  Regime(String serviceLabel, String podLabel, String namespaceLabel, String inboundPrefixRegex) {
    this.serviceLabel = serviceLabel;
    this.podLabel = podLabel;
    this.namespaceLabel = namespaceLabel;
    this.inboundPrefixRegex = inboundPrefixRegex;
  }

  /** The label that identifies a Kuma service: the tag in A/B, the workload in C. */
  public String serviceLabel() {
    return serviceLabel;
  }

  /** Default label carrying the pod name. */
  public String podLabel() {
    return podLabel;
  }

  /** Default label carrying the namespace. */
  public String namespaceLabel() {
    return namespaceLabel;
  }

  /** The inbound selector {@code I} of kuma-metrics.md §7. */
  public String inboundSelector() {
    return "envoy_http_conn_manager_prefix=~\"" + inboundPrefixRegex + "\"";
  }
}
