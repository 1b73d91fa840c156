/**
 * The {@link io.meshcast.adapter.source.MetricSource} seam: instant and range PromQL queries
 * returning futures of immutable samples, failing with a typed {@link
 * io.meshcast.adapter.source.SourceException}. Called by the background refresh only.
 */
package io.meshcast.adapter.source;
