/**
 * The HPA controller's replica arithmetic (k8s-metrics-api.md §5.4 and the scale-up limit of
 * §5.6), in one place for every caller: the {@code /debug} what-if page ({@link
 * io.meshcast.adapter.hpa.HpaCalculator}) and the load-tests' closed-loop controller replays
 * ({@link io.meshcast.adapter.hpa.ReplicaCalculator}). Pure functions of their arguments, no
 * state, no I/O; depends on nothing else in the adapter.
 */
package io.meshcast.adapter.hpa;
