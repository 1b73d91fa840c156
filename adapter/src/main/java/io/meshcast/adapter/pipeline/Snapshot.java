package io.meshcast.adapter.pipeline;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the providers know, published atomically after each refresh. Immutable; readers hold
 * a reference for the duration of one request and never see a half-updated state.
 *
 * @param publishedAt when this snapshot was published
 * @param results by {@link MetricDefinition#key()}
 */
public record Snapshot(Instant publishedAt, Map<String, MetricResult> results) {

  public Snapshot {
    results = Map.copyOf(results);
  }

  public static Snapshot empty(Instant at) {
    return new Snapshot(at, Map.of());
  }

  public Optional<MetricResult> result(String name, Level level) {
    return Optional.ofNullable(results.get(MetricDefinition.key(name, level)));
  }
}
