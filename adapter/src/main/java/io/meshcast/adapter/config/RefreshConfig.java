package io.meshcast.adapter.config;

import java.time.Duration;

/**
 * Background refresh.
 *
 * @param interval time between refreshes; every metric definition is queried once per interval
 * @param historyPoints last N refreshed points kept per series in the snapshot (for forecasters)
 * @param bootstrapWindow how far back {@code query_range} reaches when models bootstrap at start
 * @param bootstrapStep resolution of the bootstrap range query
 */
public record RefreshConfig(
    Duration interval, int historyPoints, Duration bootstrapWindow, Duration bootstrapStep) {}
