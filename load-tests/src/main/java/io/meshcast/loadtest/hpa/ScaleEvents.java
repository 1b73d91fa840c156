package io.meshcast.loadtest.hpa;

import io.meshcast.loadtest.hpa.HpaSpec.Behavior;
import io.meshcast.loadtest.hpa.HpaSpec.Policy;
import io.meshcast.loadtest.hpa.HpaSpec.PolicyType;
import io.meshcast.loadtest.hpa.HpaSpec.Rules;
import io.meshcast.loadtest.hpa.HpaSpec.SelectPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The scale-event history of one HPA with a behavior ({@code scaleUpEvents}, {@code
 * scaleDownEvents}) and the rate limits its policies derive from it (§5.7). Not thread-safe: the
 * {@link HorizontalController} that owns it is driven by one thread.
 */
final class ScaleEvents {

  private static final class ScaleEvent {
    int change;
    Instant time;
    boolean outdated;

    ScaleEvent(int change, Instant time) {
      this.change = change;
      this.time = time;
    }
  }

  private final List<ScaleEvent> scaleUpEvents = new ArrayList<>();
  private final List<ScaleEvent> scaleDownEvents = new ArrayList<>();

  int scaleUpLimit(Instant now, int current, Rules rules) {
    if (rules.selectPolicy() == SelectPolicy.DISABLED) {
      return current;
    }
    final boolean min = rules.selectPolicy() == SelectPolicy.MIN;
    int result = min ? Integer.MAX_VALUE : Integer.MIN_VALUE;
    for (Policy p : rules.policies()) {
      final int start = periodStart(now, current, p);
      final int proposed = p.type() == PolicyType.PODS
          ? start + p.value()
          // rounded up so that a small percentage still adds a pod
          : (int) Math.ceil(start * (1 + p.value() / 100.0));
      result = min ? Math.min(result, proposed) : Math.max(result, proposed);
    }
    return result;
  }

  int scaleDownLimit(Instant now, int current, Rules rules) {
    if (rules.selectPolicy() == SelectPolicy.DISABLED) {
      return current;
    }
    final boolean min = rules.selectPolicy() == SelectPolicy.MIN;
    int result = min ? Integer.MIN_VALUE : Integer.MAX_VALUE;
    for (Policy p : rules.policies()) {
      final int start = periodStart(now, current, p);
      final int proposed = p.type() == PolicyType.PODS
          ? start - p.value()
          : (int) (start * (1 - p.value() / 100.0)); // int32() truncates toward zero
      result = min ? Math.max(result, proposed) : Math.min(result, proposed);
    }
    return result;
  }

  /** Replicas at the start of the policy's period: current − added + removed within it. */
  private int periodStart(Instant now, int current, Policy p) {
    return current - changeInPeriod(now, p.periodSeconds(), scaleUpEvents)
        + changeInPeriod(now, p.periodSeconds(), scaleDownEvents);
  }

  private static int changeInPeriod(Instant now, int periodSeconds, List<ScaleEvent> events) {
    final Instant cutoff = now.minusSeconds(periodSeconds);
    int replicas = 0;
    for (ScaleEvent e : events) {
      if (e.time.isAfter(cutoff)) {
        replicas += e.change;
      }
    }
    return replicas;
  }

  /** {@code storeScaleEvent}: only recorded when a behavior is set. */
  void store(Behavior b, Instant now, int previous, int next) {
    if (b == null) {
      return;
    }
    final boolean up = next > previous;
    final List<ScaleEvent> events = up ? scaleUpEvents : scaleDownEvents;
    final Rules rules = up ? b.scaleUp() : b.scaleDown();
    int longest = 0;
    for (Policy p : rules.policies()) {
      longest = Math.max(longest, p.periodSeconds());
    }
    final Instant cutoff = now.minus(Duration.ofSeconds(longest));
    for (ScaleEvent e : events) {
      if (e.time.isBefore(cutoff)) {
        e.outdated = true;
      }
    }
    final int change = Math.abs(next - previous);
    for (ScaleEvent e : events) {
      if (e.outdated) {
        e.change = change;
        e.time = now;
        e.outdated = false;
        return;
      }
    }
    events.add(new ScaleEvent(change, now));
  }
}
