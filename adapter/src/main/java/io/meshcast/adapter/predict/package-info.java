/**
 * Forecasts and anomaly scores over the metrics pipeline's snapshots, served as derived metrics.
 *
 * <p>Entry point: {@link io.meshcast.adapter.predict.PredictiveLayer#start} over a {@link
 * io.meshcast.adapter.predict.PipelineView} (the Kuma pipeline or the demo), then {@link
 * io.meshcast.adapter.predict.PredictiveLayer#provider} as the API's provider. Names are in
 * {@link io.meshcast.adapter.predict.DerivedNames}; settings in {@link
 * io.meshcast.adapter.config.PredictConfig}. Per series: a forecaster fed after every refresh,
 * bootstrapped from {@code query_range} history at start, refitted on the {@code
 * meshcast-forecast} worker pool; the safety rules are in {@code SeriesModel}, predicted
 * saturation in {@code Saturation}. The derived values are published through the pipeline's own
 * refresher over an in-memory source, so they get the same snapshots, indexes, history and
 * staleness policy as the base metrics.
 */
package io.meshcast.adapter.predict;

import io.meshcast.adapter.config.PredictConfig;
