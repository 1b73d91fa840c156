package io.meshcast.adapter.api;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;

/**
 * The answer caches of the custom and external metrics APIs and the clock their reuse is checked
 * against (the providers' policy clock: the composition root passes the same one).
 */
record AnswerCaches(Clock clock, AnswerCache custom, AnswerCache external) {

  /** Default bound: 16 MiB of encoded answers per group (~3,700 pods lists of 20 pods each). */
  static final long DEFAULT_MAX_BYTES = 16L << 20;

  static AnswerCaches create(Clock clock, long maxBytesPerGroup, PrometheusRegistry registry) {
    Counter results = Counter.builder()
        .name("meshcast_api_answer_cache_requests_total")
        .help("Metric requests answered through the answer cache, by API group and result: hit"
            + " (served encoded bytes), miss (built and kept), not_reusable (built, not kept)")
        .labelNames("group", "result")
        .register(registry);
    Counter invalidations = Counter.builder()
        .name("meshcast_api_answer_cache_invalidations_total")
        .help("Answer caches emptied because the answers' inputs changed (a new snapshot, serving"
            + " state, cluster view or bootstrap state), by API group")
        .labelNames("group")
        .register(registry);
    return new AnswerCaches(clock,
        new AnswerCache(maxBytesPerGroup, results, invalidations, "custom"),
        new AnswerCache(maxBytesPerGroup, results, invalidations, "external"));
  }
}
