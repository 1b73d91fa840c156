package io.meshcast.adapter.api;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.meshcast.adapter.provider.Answer;
import io.meshcast.adapter.provider.AnswerGeneration;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import java.time.Instant;
import java.util.Objects;

/**
 * Encoded answers of one API group (custom or external), reused while nothing they depend on has
 * changed: keyed by the request target (path and query: resource, object or selector, metric,
 * metric selector, API version), each entry holds the provider's {@link AnswerGeneration} it was
 * built from and the last instant the staleness policies would still decide the same ({@link
 * io.meshcast.adapter.provider.Answer#reusableUntil()}). An entry is served only while both hold;
 * after either, the answer is built again. A value served as fresh is therefore never served
 * past the instant it would turn stale, and a new snapshot empties the cache.
 *
 * <p>Generations are kept {@linkplain AnswerGeneration#weakly() weakly}: the cache never keeps a
 * replaced snapshot alive.
 *
 * <p>Bounded by the bytes it holds (Caffeine, size-weighted; 0 disables it); thread-safe, never
 * blocks. The
 * cache does not decide what is reusable: providers answer {@code once} for anything that
 * involved a counted policy decision, so a hit skips no side effect.
 */
final class AnswerCache {

  /** One encoded answer. */
  record Entry(AnswerGeneration generation, Answer<byte[]> answer, String route) {}

  private final boolean enabled;
  private final Cache<String, Entry> entries;
  private final CounterDataPoint hits;
  private final CounterDataPoint misses;
  private final CounterDataPoint notReusable;
  private final CounterDataPoint invalidations;
  private volatile AnswerGeneration current;

  AnswerCache(long maxBytes, Counter results, Counter invalidated, String group) {
    this.enabled = maxBytes > 0;
    this.entries = Caffeine.newBuilder()
        .maximumWeight(maxBytes)
        .<String, Entry>weigher((k, e) -> 2 * k.length() + e.answer().value().length + 64)
        .build();
    this.hits = results.labelValues(group, "hit");
    this.misses = results.labelValues(group, "miss");
    this.notReusable = results.labelValues(group, "not_reusable");
    this.invalidations = invalidated.labelValues(group);
  }

  /**
   * The answer cached for {@code key} if it was built from {@code generation} and is still
   * reusable at {@code now}; null otherwise (a miss: the caller builds and {@link #put}s). Seeing
   * a new generation empties the cache.
   */
  Entry get(String key, AnswerGeneration generation, Instant now) {
    if (!enabled || generation == null) {
      return null;
    }
    if (!generation.equals(current)) {
      current = generation.weakly();
      entries.invalidateAll();
      invalidations.inc();
      return null;
    }
    Entry e = entries.getIfPresent(key);
    if (e == null || !e.generation().equals(generation) || !e.answer().reusableAt(now)) {
      return null;
    }
    hits.inc();
    return e;
  }

  /**
   * Keeps an answer built after {@link #get} missed, if {@code generation} (read before building
   * it) is still the one last seen and the answer is reusable at {@code now}.
   */
  void put(String key, AnswerGeneration generation, Answer<byte[]> answer, Instant now,
      String route) {
    if (!enabled) {
      return;
    }
    if (generation == null || !answer.reusableAt(now)) {
      notReusable.inc();
      return;
    }
    misses.inc();
    if (generation.equals(current)) {
      entries.put(key, new Entry(generation.weakly(), answer, Objects.requireNonNull(route)));
    }
  }

  /** Entries held now (tests). */
  long size() {
    entries.cleanUp();
    return entries.estimatedSize();
  }
}
