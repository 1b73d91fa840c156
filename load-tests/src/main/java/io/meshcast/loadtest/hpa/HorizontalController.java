package io.meshcast.loadtest.hpa;

import io.meshcast.adapter.hpa.ReplicaCalculator;
import io.meshcast.adapter.hpa.ReplicaCalculator.Proposal;
import io.meshcast.adapter.hpa.ReplicaCalculator.Tolerances;
import io.meshcast.loadtest.hpa.HpaSpec.Behavior;
import io.meshcast.loadtest.hpa.HpaSpec.Metric;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One HPA's controller state and its {@code reconcileAutoscaler} (§5.2–5.7).
 *
 * <p>The caller plays the rest of Kubernetes: every {@link ControllerConfig#syncPeriod()} it
 * passes the scale target as it is now and one {@link MetricReading} per spec metric, and applies
 * {@link ReconcileResult#desiredReplicas()} to the workload when {@link ReconcileResult#rescale()}.
 * The controller keeps the recommendation history and (with a behavior) the scale-event history,
 * stamped with the injected clock. Not thread-safe: one simulation thread drives it.
 */
public final class HorizontalController {

  /**
   * A hook between {@code computeReplicasForMetrics} and normalisation, for controllers that
   * post-process the HPA's proposal (the predictive-horizontal-pod-autoscaler takes the maximum
   * of the proposal and its own prediction there). Returns the proposal to normalise.
   */
  @FunctionalInterface
  public interface ProposalAdjuster {
    int adjust(Instant now, int metricProposal, int currentReplicas);

    /** The plain HPA: the proposal unchanged. */
    static ProposalAdjuster none() {
      return (now, proposal, current) -> proposal;
    }
  }

  private record Recommendation(int replicas, Instant time) {}

  private final HpaSpec spec;
  private final ControllerConfig config;
  private final Clock clock;
  private final ProposalAdjuster adjuster;
  private final Tolerances tolerances;
  /** scaleDown window: the behavior's, else the controller flag (maybeInitScaleDownStabilizationWindow). */
  private final int scaleDownWindowSeconds;
  private List<Recommendation> recommendations; // null until recordInitialRecommendation
  private final ScaleEvents scaleEvents = new ScaleEvents();

  public HorizontalController(HpaSpec spec, ControllerConfig config, Clock clock) {
    this(spec, config, clock, ProposalAdjuster.none());
  }

  public HorizontalController(
      HpaSpec spec, ControllerConfig config, Clock clock, ProposalAdjuster adjuster) {
    this.spec = Objects.requireNonNull(spec, "spec");
    this.config = Objects.requireNonNull(config, "config");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.adjuster = Objects.requireNonNull(adjuster, "adjuster");
    final Behavior b = spec.behavior();
    this.tolerances = new Tolerances(
        b != null && b.scaleDown().tolerance() != null ? b.scaleDown().tolerance() : config.tolerance(),
        b != null && b.scaleUp().tolerance() != null ? b.scaleUp().tolerance() : config.tolerance());
    this.scaleDownWindowSeconds =
        b != null && b.scaleDown().stabilizationWindowSeconds() != null
            ? b.scaleDown().stabilizationWindowSeconds()
            : (int) config.downscaleStabilization().toSeconds();
  }

  /** The HPA spec this controller enforces. */
  public HpaSpec spec() {
    return spec;
  }

  /**
   * One {@code reconcileAutoscaler} pass at {@code clock.instant()}.
   *
   * @param scale the scale subresource and the pods its selector matches
   * @param readings one reading per {@code spec.metrics()} entry, in order
   */
  public ReconcileResult reconcile(ScaleTarget scale, List<MetricReading> readings) {
    if (readings.size() != spec.metrics().size()) {
      throw new IllegalArgumentException("expected " + spec.metrics().size()
          + " metric readings, got " + readings.size());
    }
    final Instant now = clock.instant();
    final int current = scale.specReplicas();
    final int minReplicas = spec.minReplicas();
    if (recommendations == null) { // recordInitialRecommendation
      recommendations = new ArrayList<>();
      recommendations.add(new Recommendation(current, now));
    }
    final List<String> errors = new ArrayList<>();
    final int desired;
    final int metricReplicas;
    String reason;
    if (current == 0 && minReplicas != 0) {
      return new ReconcileResult(current, 0, false, 0, "ScalingDisabled", errors);
    } else if (current > spec.maxReplicas()) {
      desired = spec.maxReplicas();
      metricReplicas = 0;
      reason = "TooManyReplicas";
    } else if (current < minReplicas) {
      desired = minReplicas;
      metricReplicas = 0;
      reason = "TooFewReplicas";
    } else {
      metricReplicas = computeReplicasForMetrics(scale, readings, errors);
      if (metricReplicas == -1) {
        return new ReconcileResult(current, current, false, -1, "FailedGetMetrics", errors);
      }
      final int proposal = adjuster.adjust(now, Math.max(0, metricReplicas), current);
      final int[] normalized = spec.behavior() == null
          ? normalizeLegacy(now, current, proposal, minReplicas)
          : normalizeWithBehaviors(now, current, proposal, minReplicas);
      desired = normalized[0];
      reason = LIMIT_REASONS[normalized[1]];
    }
    final boolean rescale = desired != current;
    if (rescale) {
      scaleEvents.store(spec.behavior(), now, current, desired);
    }
    return new ReconcileResult(current, desired, rescale, metricReplicas, reason, errors);
  }

  // --- §5.3 -------------------------------------------------------------------------------------

  private int computeReplicasForMetrics(
      ScaleTarget scale, List<MetricReading> readings, List<String> errors) {
    int replicas = 0;
    int invalid = 0;
    for (int i = 0; i < readings.size(); i++) {
      final Proposal p = computeReplicasForMetric(spec.metrics().get(i), readings.get(i), scale);
      if (!p.valid()) {
        invalid++;
        errors.add(spec.metrics().get(i).name() + ": " + p.error());
        continue;
      }
      if (replicas == 0 || p.replicas() > replicas) {
        replicas = p.replicas();
      }
    }
    if (invalid >= readings.size() || (invalid > 0 && replicas < scale.specReplicas())) {
      return -1;
    }
    return replicas;
  }

  private Proposal computeReplicasForMetric(Metric m, MetricReading reading, ScaleTarget scale) {
    if (reading instanceof MetricReading.Failed f) {
      return Proposal.invalid(f.error());
    }
    switch (m.type()) {
      case PODS -> {
        if (!(reading instanceof MetricReading.PodValues pv)) {
          return mismatch(m, reading);
        }
        if (pv.milliByPod().isEmpty()) {
          return Proposal.invalid("no metrics returned from custom metrics API");
        }
        return ReplicaCalculator.podsMetric(
            pv.milliByPod(), scale.pods(), scale.specReplicas(), m.targetMilli(), tolerances);
      }
      case OBJECT -> {
        if (!(reading instanceof MetricReading.ObjectValue ov)) {
          return mismatch(m, reading);
        }
        return targetFormula(m, ov.milli(), scale);
      }
      case EXTERNAL -> {
        if (!(reading instanceof MetricReading.ExternalValues ev)) {
          return mismatch(m, reading);
        }
        if (ev.milli().isEmpty()) {
          return Proposal.invalid("no metrics returned from external metrics API");
        }
        return targetFormula(m, ReplicaCalculator.saturatedSum(ev.milli()), scale);
      }
      default -> throw new IllegalStateException("unknown metric type " + m.type());
    }
  }

  private Proposal targetFormula(Metric m, long usage, ScaleTarget scale) {
    return m.targetType() == HpaSpec.TargetType.VALUE
        ? ReplicaCalculator.valueMetric(
            usage, scale.pods(), scale.specReplicas(), m.targetMilli(), tolerances)
        : ReplicaCalculator.averageValueMetric(
            usage, scale.statusReplicas(), m.targetMilli(), tolerances);
  }

  private static Proposal mismatch(Metric m, MetricReading r) {
    throw new IllegalArgumentException("metric " + m.name() + " of type " + m.type()
        + " got a reading of type " + r.getClass().getSimpleName());
  }

  // --- §5.6 legacy normalisation ----------------------------------------------------------------

  private static final String[] LIMIT_REASONS = {
    "DesiredWithinRange", "TooFewReplicas", "TooManyReplicas", "ScaleUpLimit", "ScaleDownLimit",
    "ScaleDownStabilized"
  };
  private static final int WITHIN = 0;
  private static final int TOO_FEW = 1;
  private static final int TOO_MANY = 2;
  private static final int SCALE_UP_LIMIT = 3;
  private static final int SCALE_DOWN_LIMIT = 4;
  private static final int STABILIZED = 5;

  /** Returns {desired, reason index}. */
  private int[] normalizeLegacy(Instant now, int current, int prenormalized, int minReplicas) {
    final Instant cutoff = now.minus(config.downscaleStabilization());
    int stabilized = prenormalized;
    int oldIndex = -1;
    for (int i = 0; i < recommendations.size(); i++) {
      final Recommendation rec = recommendations.get(i);
      if (rec.time().isBefore(cutoff)) {
        oldIndex = i; // the last aged-out slot is the one reused, as in Go's loop
      } else if (rec.replicas() > stabilized) {
        stabilized = rec.replicas();
      }
    }
    record(oldIndex, new Recommendation(prenormalized, now));
    final int scaleUpLimit = ReplicaCalculator.scaleUpLimit(current);
    final int maxAllowed;
    final int maxReason;
    if (spec.maxReplicas() > scaleUpLimit) {
      maxAllowed = scaleUpLimit;
      maxReason = SCALE_UP_LIMIT;
    } else {
      maxAllowed = spec.maxReplicas();
      maxReason = TOO_MANY;
    }
    if (stabilized < minReplicas) {
      return new int[] {minReplicas, TOO_FEW};
    }
    if (stabilized > maxAllowed) {
      return new int[] {maxAllowed, maxReason};
    }
    return new int[] {stabilized, stabilized != prenormalized ? STABILIZED : WITHIN};
  }

  // --- §5.7 behavior-based normalisation --------------------------------------------------------

  private int[] normalizeWithBehaviors(Instant now, int current, int prenormalized, int minReplicas) {
    final Behavior b = spec.behavior();
    final int stabilized = stabilizeWithBehaviors(now, current, prenormalized);
    final int reasonIfUnlimited = stabilized != prenormalized ? STABILIZED : WITHIN;
    if (stabilized > current) {
      int limit = scaleEvents.scaleUpLimit(now, current, b.scaleUp());
      if (limit < current) {
        limit = current; // no further scale-up until old scale-up events age out
      }
      final int maxAllowed;
      final int reason;
      if (spec.maxReplicas() > limit) {
        maxAllowed = limit;
        reason = SCALE_UP_LIMIT;
      } else {
        maxAllowed = spec.maxReplicas();
        reason = TOO_MANY;
      }
      if (maxAllowed < stabilized) {
        return new int[] {maxAllowed, reason};
      }
    } else if (stabilized < current) {
      int limit = scaleEvents.scaleDownLimit(now, current, b.scaleDown());
      if (limit > current) {
        limit = current;
      }
      final int minAllowed;
      final int reason;
      if (minReplicas < limit) {
        minAllowed = limit;
        reason = SCALE_DOWN_LIMIT;
      } else {
        minAllowed = minReplicas;
        reason = TOO_FEW;
      }
      if (minAllowed > stabilized) {
        return new int[] {minAllowed, reason};
      }
    }
    return new int[] {stabilized, reasonIfUnlimited};
  }

  private int stabilizeWithBehaviors(Instant now, int current, int desired) {
    final Instant upCutoff =
        now.minusSeconds(spec.behavior().scaleUp().stabilizationWindowSeconds());
    final Instant downCutoff = now.minusSeconds(scaleDownWindowSeconds);
    int up = desired;
    int down = desired;
    int oldIndex = -1;
    for (int i = 0; i < recommendations.size(); i++) {
      final Recommendation rec = recommendations.get(i);
      if (rec.time().isAfter(upCutoff)) {
        up = Math.min(rec.replicas(), up);
      }
      if (rec.time().isAfter(downCutoff)) {
        down = Math.max(rec.replicas(), down);
      }
      if (rec.time().isBefore(upCutoff) && rec.time().isBefore(downCutoff)) {
        oldIndex = i;
      }
    }
    int r = current;
    if (r < up) {
      r = up;
    }
    if (r > down) {
      r = down;
    }
    record(oldIndex, new Recommendation(desired, now));
    return r;
  }

  private void record(int oldIndex, Recommendation rec) {
    if (oldIndex >= 0) {
      recommendations.set(oldIndex, rec);
    } else {
      recommendations.add(rec);
    }
  }
}
