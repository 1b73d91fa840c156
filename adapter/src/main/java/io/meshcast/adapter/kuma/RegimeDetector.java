package io.meshcast.adapter.kuma;

import io.meshcast.adapter.source.MetricSource;
import io.meshcast.adapter.source.Sample;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Detects the Kuma regime from the labels on inbound HTTP series (kuma-metrics.md §0), with one
 * query:
 *
 * <ul>
 *   <li>prefix {@code self_inbound_*}: unified naming (C);
 *   <li>prefix {@code localhost_*} with {@code otel_scope_name} (set by the OTel exporter of
 *       kuma-dp's MeshMetric path, and absent from the legacy path): MeshMetric (B);
 *   <li>prefix {@code localhost_*} otherwise (legacy kuma-dp adds {@code kuma_io_mesh_traffic}):
 *       legacy (A).
 * </ul>
 *
 * A mesh in migration exposes several; the regime with the most series wins.
 */
public final class RegimeDetector {

  /** The query; exposed for tests and documentation. */
  public static final String QUERY =
      "count by (envoy_http_conn_manager_prefix, otel_scope_name, kuma_io_mesh_traffic) "
          + "(envoy_http_downstream_rq_total{envoy_http_conn_manager_prefix=~"
          + "\"localhost_.*|self_inbound_.*\"})";

  /** A detection: the winner and the series count per regime seen. */
  public record Detection(Optional<Regime> regime, Map<Regime, Long> seriesByRegime) {

    public Detection {
      seriesByRegime = Map.copyOf(seriesByRegime);
    }

    public String describe() {
      return regime.map(r -> "detected " + r.name().toLowerCase(java.util.Locale.ROOT)
              + " " + seriesByRegime)
          .orElse("no Kuma inbound HTTP series (envoy_http_downstream_rq_total with a "
              + "localhost_* or self_inbound_* prefix) found yet");
    }
  }

  private RegimeDetector() {}

  public static Future<Detection> detect(MetricSource source, Instant at) {
    return source.query(QUERY, at).map(RegimeDetector::classify);
  }

  static Detection classify(List<Sample> samples) {
    Map<Regime, Long> votes = new EnumMap<>(Regime.class);
    for (Sample s : samples) {
      String prefix = s.labels().getOrDefault("envoy_http_conn_manager_prefix", "");
      Regime r;
      if (prefix.startsWith("self_inbound_")) {
        r = Regime.UNIFIED;
      } else if (!s.labels().getOrDefault("otel_scope_name", "").isEmpty()) {
        r = Regime.MESHMETRIC;
      } else {
        r = Regime.LEGACY;
      }
      long n = Double.isFinite(s.value()) ? Math.round(s.value()) : 1;
      votes.merge(r, n, Long::sum);
    }
    Optional<Regime> winner = votes.entrySet().stream()
        .max(Map.Entry.comparingByValue())
        .map(Map.Entry::getKey);
    return new Detection(winner, votes);
  }
}
