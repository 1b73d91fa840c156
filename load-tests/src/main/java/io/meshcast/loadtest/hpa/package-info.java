/**
 * A faithful, single-HPA reimplementation of the Kubernetes HorizontalPodAutoscaler controller
 * ({@code pkg/controller/podautoscaler}: {@code horizontal.go} and {@code replica_calculator.go}),
 * written from {@code k8s-metrics-api.md} §5, for the closed-loop replay simulator.
 *
 * <p>What is reproduced: {@code reconcileAutoscaler} (min/max short-circuits, scaling disabled at
 * zero replicas), {@code computeReplicasForMetrics} (maximum over valid metrics, -1 when all are
 * invalid or some are invalid and the rest would scale down), the per-metric formulas for Pods
 * ({@code AverageValue}), Object and External ({@code Value} and {@code AverageValue}) in int64
 * milli-units with Go's integer division and the same IEEE-754 ratios, the missing / unready /
 * ignored pod rules of {@code groupPods} for non-CPU metrics, tolerances per direction, the
 * legacy normalisation ({@code behavior == nil}: 5 min downscale stabilisation, scale-up limit
 * {@code max(2 × current, 4)}) and the behaviour-based normalisation (stabilisation windows,
 * {@code Pods}/{@code Percent} rate-limit policies with {@code Min}/{@code Max}/{@code Disabled}
 * selection, scale-event history with slot reuse). Timestamp comparisons keep Go's strictness
 * ({@code Before}/{@code After}), which matters in a simulator whose sync period is exactly 15 s.
 *
 * <p>What is not: conditions and events beyond the limiting reason, Resource (CPU/memory)
 * metrics and their readiness rules, selector validation, API-server errors on the scale
 * subresource. Time comes from an injected {@link java.time.Clock}.
 *
 * <p>The per-metric formulas themselves are the adapter's {@link
 * io.meshcast.adapter.hpa.ReplicaCalculator}, which the {@code /debug} what-if page uses too: one
 * implementation of the HPA arithmetic, driven here by the controller loop around it.
 */
package io.meshcast.loadtest.hpa;
