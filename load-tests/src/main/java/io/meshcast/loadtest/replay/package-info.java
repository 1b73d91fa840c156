/**
 * Closed-loop autoscaling replay: a 1-second discrete-time simulation of one Kuma service driven
 * by a real request trace, scaled by the Kubernetes HPA algorithm ({@code loadtest.hpa}) on the
 * metric each compared policy serves.
 *
 * <p>Pieces, each documented in its class: {@link io.meshcast.loadtest.replay.Trace} (CSV, gap
 * policy), {@code Demand} (per-interval counts → per-second rate through the interval midpoints,
 * scaled to a peak, Poisson arrivals with a fixed seed), {@code QueueModel} (M/M/c Erlang-C tail
 * plus a fluid backlog with a bounded queue; the SLO), {@code Cluster} (pods with a start-up
 * delay, Prometheus scrapes and {@code rate()}), {@code Simulation} (the loop and its phases),
 * the policies ({@code ReactivePolicy}, {@code MeshcastPolicy} driving the adapter's own
 * {@code ForecastPath}, {@code PhpaPolicy}, {@code OraclePolicy}), {@code Timeline}
 * (per-minute scoring) and {@code Plot}. {@link io.meshcast.loadtest.replay.ReplayCommand} is the
 * CLI ({@code replay}).
 *
 * <p>{@code replay --mesh} replays a call tree instead of one service: {@code MeshConfig} (tiers,
 * edges, validation), {@code MeshSimulation} (the same loop per tier, callers passing on what
 * they serve), {@code MeshPolicy} (per-tier policies; meshcast-propagation drives the adapter's
 * {@code io.meshcast.adapter.graph.CallRatio} and {@code Propagation}), {@code MeshReplay} (rows,
 * goals, Markdown) and {@code MeshPlot}.
 */
package io.meshcast.loadtest.replay;
