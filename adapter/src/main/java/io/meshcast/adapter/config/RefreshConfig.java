package io.meshcast.adapter.config;

import java.time.Duration;

/**
 * Background refresh.
 *
 * @param interval time between refreshes; every metric definition is queried once per interval
 * @param historyPoints last N refreshed points kept per series in the snapshot (for forecasters)
 * @param bootstrapWindow how far back {@code query_range} reaches when models bootstrap at start
 * @param bootstrapStep resolution of the bootstrap range query
 * @param minWindowCoverage a windowed value whose rate window is covered by samples less than
 *     this share is partial: computed over the covered span, flagged, not fed to the models
 * @param minWindowSamples a partial value needs at least this many samples in every series summed
 *     into it; with fewer the staleness policy applies (last complete value up to {@code maxAge})
 * @param minQuantileObservations a latency quantile over fewer requests in the window is partial
 * @param minServedCoverage a partial value covering less than this share of the window is not
 *     served (too few samples for a steady rate: scrape-time jitter dominates); the staleness
 *     policy applies instead
 */
public record RefreshConfig(
    Duration interval, int historyPoints, Duration bootstrapWindow, Duration bootstrapStep,
    double minWindowCoverage, int minWindowSamples, double minQuantileObservations,
    double minServedCoverage) {}
