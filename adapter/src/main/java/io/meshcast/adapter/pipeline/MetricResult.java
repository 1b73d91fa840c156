package io.meshcast.adapter.pipeline;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The state of one metric definition in a snapshot: the series of its last successful query
 * (indexed by object) and the outcome of the latest attempt.
 *
 * @param definition what was queried
 * @param refreshedAt when the last successful query completed; empty before the first success
 * @param series every identified series of the last successful query
 * @param lastError message of the latest attempt if it failed (cleared on success)
 * @param unidentified result rows of the last success whose labels named no object
 */
public record MetricResult(
    MetricDefinition definition,
    Optional<Instant> refreshedAt,
    List<SeriesValue> series,
    Optional<String> lastError,
    int unidentified,
    Indexes indexes) {

  public MetricResult {
    Objects.requireNonNull(definition, "definition");
    Objects.requireNonNull(refreshedAt, "refreshedAt");
    series = List.copyOf(series);
    Objects.requireNonNull(lastError, "lastError");
  }

  /** A result that has never succeeded. */
  static MetricResult pending(MetricDefinition d, Optional<String> error) {
    return new MetricResult(d, Optional.empty(), List.of(), error, 0, Indexes.EMPTY);
  }

  static MetricResult of(
      MetricDefinition d, Instant at, List<SeriesValue> series, int unidentified) {
    return new MetricResult(
        d, Optional.of(at), series, Optional.empty(), unidentified, Indexes.build(series));
  }

  MetricResult withError(String error) {
    return new MetricResult(definition, refreshedAt, series, Optional.of(error), unidentified,
        indexes);
  }

  /** Series naming pod {@code namespace/name}. */
  public List<SeriesValue> byPod(String namespace, String name) {
    return indexes.byPod.getOrDefault(namespace + "/" + name, List.of());
  }

  /** Series naming Service {@code namespace/name}. */
  public List<SeriesValue> byService(String namespace, String name) {
    return indexes.byService.getOrDefault(namespace + "/" + name, List.of());
  }

  /** Series naming Deployment {@code namespace/name} directly (custom rules). */
  public List<SeriesValue> byDeployment(String namespace, String name) {
    return indexes.byDeployment.getOrDefault(namespace + "/" + name, List.of());
  }

  /** Series in {@code namespace} (every series for the empty namespace). */
  public List<SeriesValue> inNamespace(String namespace) {
    return namespace.isEmpty() ? series
        : indexes.byNamespace.getOrDefault(namespace, List.of());
  }

  /** Lookup tables built once per refresh, so requests are map lookups. */
  public static final class Indexes {
    static final Indexes EMPTY = new Indexes(Map.of(), Map.of(), Map.of(), Map.of());

    private final Map<String, List<SeriesValue>> byPod;
    private final Map<String, List<SeriesValue>> byService;
    private final Map<String, List<SeriesValue>> byDeployment;
    private final Map<String, List<SeriesValue>> byNamespace;

    private Indexes(
        Map<String, List<SeriesValue>> byPod,
        Map<String, List<SeriesValue>> byService,
        Map<String, List<SeriesValue>> byDeployment,
        Map<String, List<SeriesValue>> byNamespace) {
      this.byPod = byPod;
      this.byService = byService;
      this.byDeployment = byDeployment;
      this.byNamespace = byNamespace;
    }

    static Indexes build(List<SeriesValue> series) {
      Map<String, List<SeriesValue>> pod = new HashMap<>();
      Map<String, List<SeriesValue>> svc = new HashMap<>();
      Map<String, List<SeriesValue>> dep = new HashMap<>();
      Map<String, List<SeriesValue>> ns = new HashMap<>();
      for (SeriesValue s : series) {
        SeriesIdentity id = s.identity();
        add(pod, id.namespace(), id.pod(), s);
        add(svc, id.namespace(), id.service(), s);
        add(dep, id.namespace(), id.deployment(), s);
        ns.computeIfAbsent(id.namespace(), k -> new ArrayList<>()).add(s);
      }
      return new Indexes(freeze(pod), freeze(svc), freeze(dep), freeze(ns));
    }

    private static void add(
        Map<String, List<SeriesValue>> m, String ns, String name, SeriesValue s) {
      if (!name.isEmpty()) {
        m.computeIfAbsent(ns + "/" + name, k -> new ArrayList<>(1)).add(s);
      }
    }

    private static Map<String, List<SeriesValue>> freeze(Map<String, List<SeriesValue>> m) {
      m.replaceAll((k, v) -> List.copyOf(v));
      return Map.copyOf(m);
    }
  }
}
