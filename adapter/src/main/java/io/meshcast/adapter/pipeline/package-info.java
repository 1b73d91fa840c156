/**
 * Background refresh: one query per {@link io.meshcast.adapter.pipeline.MetricDefinition} per
 * interval ({@link io.meshcast.adapter.pipeline.Refresher}), published as an immutable {@link
 * io.meshcast.adapter.pipeline.Snapshot} with bounded per-series {@link
 * io.meshcast.adapter.pipeline.History}; request-time staleness/empty/NaN {@link
 * io.meshcast.adapter.pipeline.Policies}; the pipeline's own counters.
 */
package io.meshcast.adapter.pipeline;
