package io.meshcast.adapter.graph;

import io.meshcast.adapter.config.KumaConfig;
import io.meshcast.adapter.kuma.KumaQueries;
import io.meshcast.adapter.kuma.Regime;
import java.util.ArrayList;
import java.util.List;

/**
 * The graph's one query per refresh, for one regime. With {@code G} the caller's grouping labels
 * (the Kuma service tag, or in the unified regime the workload and the namespace), {@code O} the
 * outbound selector, {@code I} the inbound selector of the golden signals and {@code W} the rate
 * window, the parts (told apart by the {@value #PART} label) are:
 *
 * <pre>
 * attempts  sum by (G, envoy_cluster_name) (rate(envoy_cluster_upstream_rq_total{O}[W]))
 * retries   sum by (G, envoy_cluster_name) (rate(envoy_cluster_upstream_rq_retry{O}[W]))
 * errors    sum by (G, envoy_cluster_name) (rate(envoy_cluster_upstream_rq_xx(_total)?{O,class="5"}[W]))
 * p99       histogram_quantile(0.99, sum by (G, envoy_cluster_name, le) (rate(envoy_cluster_upstream_rq_time_bucket{O}[W])))
 * inbound   sum by (G) (rate(envoy_http_downstream_rq_total{I}[W]))
 * </pre>
 *
 * joined with {@code or} (the part label keeps them apart). {@code O} is {@code
 * envoy_cluster_name=~".*_m?svc_.*|kri_mzsvc_.*"}: the outbound clusters of mesh services in all
 * three namings (kuma-metrics.md §3.1), never {@code localhost_*}, {@code self_*} or system
 * clusters, nor external services ({@code kri_extsvc_*}), which have no replicas to scale.
 * Immutable.
 */
final class OutboundQuery {

  /** The label naming each row's part. */
  static final String PART = "meshcast_part";

  static final String CLUSTER = "envoy_cluster_name";

  static final String OUTBOUND = CLUSTER + "=~\".*_m?svc_.*|kri_mzsvc_.*\"";

  private final Regime regime;
  private final String namespaceLabel;
  private final String promql;

  OutboundQuery(Regime regime, KumaConfig config) {
    this.regime = regime;
    this.namespaceLabel = config.namespaceLabel().orElse(regime.namespaceLabel());
    String mesh = config.mesh().map(m -> ",mesh=\"" + m + "\"").orElse("");
    String o = OUTBOUND + mesh;
    String i = regime.inboundSelector() + mesh;
    String w = "[" + KumaQueries.promDuration(config.rateWindow().toSeconds()) + "]";
    String g = String.join(", ", callerLabels());
    String ge = g + ", " + CLUSTER;
    List<String> parts = new ArrayList<>();
    parts.add(part("sum by (" + ge + ") (rate(envoy_cluster_upstream_rq_total{" + o + "}" + w
        + "))", "attempts"));
    parts.add(part("sum by (" + ge + ") (rate(envoy_cluster_upstream_rq_retry{" + o + "}" + w
        + "))", "retries"));
    parts.add(part("sum by (" + ge + ") (rate({__name__=~\"envoy_cluster_upstream_rq_xx"
        + "(_total)?\"," + o + ",envoy_response_code_class=\"5\"}" + w + "))", "errors"));
    parts.add(part("histogram_quantile(0.99, sum by (" + ge + ", le) (rate("
        + "envoy_cluster_upstream_rq_time_bucket{" + o + "}" + w + ")))", "p99"));
    parts.add(part("sum by (" + g + ") (rate(envoy_http_downstream_rq_total{" + i + "}" + w
        + "))", "inbound"));
    this.promql = String.join(" or ", parts);
  }

  Regime regime() {
    return regime;
  }

  String promql() {
    return promql;
  }

  /** The caller's grouping labels. */
  List<String> callerLabels() {
    return regime == Regime.UNIFIED ? List.of(regime.serviceLabel(), namespaceLabel)
        : List.of(regime.serviceLabel());
  }

  /** The caller a row names. */
  java.util.Optional<ServiceRef> caller(java.util.Map<String, String> labels) {
    return ServiceRef.ofCaller(labels.get(regime.serviceLabel()), labels.get(namespaceLabel),
        regime == Regime.UNIFIED);
  }

  private static String part(String expr, String name) {
    return "label_replace(" + expr + ", \"" + PART + "\", \"" + name + "\", \"\", \"\")";
  }
}
