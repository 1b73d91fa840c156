/**
 * The mesh as a graph (issue 15): who calls whom, from the callers' outbound Envoy clusters. One
 * batched query per refresh ({@link io.meshcast.adapter.graph.OutboundQuery}) is parsed into a
 * {@link io.meshcast.adapter.graph.MeshGraph} of services and caller → callee edges with rate,
 * error ratio, caller-side p99 and the call ratio, built in the background by {@link
 * io.meshcast.adapter.graph.GraphRefresher} and held in memory for {@code /debug/graph}.
 */
package io.meshcast.adapter.graph;
