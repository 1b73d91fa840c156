package io.meshcast.adapter.shard;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * This replica's Lease and the live replica set. Each replica holds one {@code
 * coordination.k8s.io/v1} Lease named {@code meshcast-shard-<identity>}, labelled with the
 * group, and renews it ({@link #renew}); {@link #refresh} lists the group's Leases.
 *
 * <p><b>Liveness without trusting clocks.</b> As client-go's leader election does, a Lease is
 * live while this replica has seen its {@code renewTime} change within its {@code
 * leaseDurationSeconds}, measured on this replica's own clock from when it saw the change: the
 * replicas' clocks may disagree, the local one only has to advance. A Lease first seen is live for
 * one duration (its holder may well be renewing). A deleted Lease (a replica that shut down
 * cleanly) leaves the set at the next refresh. This replica counts itself live while its last
 * successful renewal is younger than its lease duration.
 *
 * <p>Not thread-safe: called from the shard thread only. Blocking (Kubernetes API calls).
 */
final class LeaseMembership {

  static final String GROUP_LABEL = "meshcast.io/shard-group";
  static final String NAME_PREFIX = "meshcast-shard-";

  /** What this replica last saw of a Lease, and when (local clock). */
  private record Seen(String renewTime, Instant at, Duration duration, String holder) {}

  private final KubernetesClient client;
  private final String namespace;
  private final String identity;
  private final String group;
  private final Duration leaseDuration;
  private final Clock clock;
  private final Map<String, Seen> seen = new HashMap<>();
  /** Leases not renewed for this many durations are deleted by {@link #collectStale} */
  static final int STALE_AFTER_DURATIONS = 10;

  private Instant renewedAt;
  private List<String> live = List.of();
  private List<String> stale = List.of();

  LeaseMembership(KubernetesClient client, String namespace, String identity, String group,
      Duration leaseDuration, Clock clock) {
    this.client = client;
    this.namespace = namespace;
    this.identity = identity;
    this.group = group;
    this.leaseDuration = leaseDuration;
    this.clock = clock;
  }

  String leaseName() {
    return NAME_PREFIX + identity;
  }

  /**
   * Creates or renews this replica's Lease.
   *
   * @throws KubernetesClientException when the API server refuses or cannot be reached
   */
  void renew() {
    Instant now = clock.instant();
    ZonedDateTime time = ZonedDateTime.ofInstant(now, ZoneOffset.UTC);
    var leases = client.leases().inNamespace(namespace);
    Lease current = leases.withName(leaseName()).get();
    if (current == null) {
      leases.resource(new LeaseBuilder()
          .withNewMetadata().withName(leaseName()).withNamespace(namespace)
              .addToLabels(GROUP_LABEL, group).endMetadata()
          .withNewSpec().withHolderIdentity(identity)
              .withLeaseDurationSeconds((int) leaseDuration.toSeconds())
              .withAcquireTime(time).withRenewTime(time).withLeaseTransitions(0).endSpec()
          .build()).create();
    } else {
      // The resourceVersion read above makes this a compare-and-swap: a concurrent writer (a
      // second pod with the same name) fails the update instead of being overwritten silently.
      boolean taken = !identity.equals(current.getSpec().getHolderIdentity());
      leases.resource(new LeaseBuilder(current)
          .editMetadata().addToLabels(GROUP_LABEL, group).endMetadata()
          .editSpec().withHolderIdentity(identity)
              .withLeaseDurationSeconds((int) leaseDuration.toSeconds())
              .withRenewTime(time)
              .withAcquireTime(taken ? time : current.getSpec().getAcquireTime())
              .withLeaseTransitions(transitions(current) + (taken ? 1 : 0)).endSpec()
          .build()).update();
    }
    renewedAt = now;
  }

  private static int transitions(Lease l) {
    Integer t = l.getSpec().getLeaseTransitions();
    return t == null ? 0 : t;
  }

  /**
   * Lists the group's Leases and recomputes the live set.
   *
   * @return the live replicas, sorted
   * @throws KubernetesClientException when the API server refuses or cannot be reached
   */
  List<String> refresh() {
    Instant now = clock.instant();
    List<Lease> leases = client.leases().inNamespace(namespace)
        .withLabel(GROUP_LABEL, group).list().getItems();
    Map<String, Seen> next = new HashMap<>();
    TreeSet<String> members = new TreeSet<>();
    List<String> old = new java.util.ArrayList<>();
    for (Lease l : leases) {
      String name = l.getMetadata().getName();
      if (l.getSpec() == null || l.getSpec().getHolderIdentity() == null) {
        continue; // not one of ours in the making; nothing to own
      }
      String renew = String.valueOf(l.getSpec().getRenewTime());
      Integer seconds = l.getSpec().getLeaseDurationSeconds();
      Duration duration = seconds == null || seconds < 1 ? leaseDuration
          : Duration.ofSeconds(seconds);
      Seen before = seen.get(name);
      Seen s = before != null && before.renewTime().equals(renew)
          ? before : new Seen(renew, now, duration, l.getSpec().getHolderIdentity());
      next.put(name, s);
      if (!name.equals(leaseName()) && now.isBefore(s.at().plus(s.duration()))) {
        members.add(s.holder());
      } else if (!name.equals(leaseName())
          && !now.isBefore(s.at().plus(s.duration().multipliedBy(STALE_AFTER_DURATIONS)))) {
        old.add(name);
      }
    }
    seen.clear();
    seen.putAll(next);
    if (selfLive(now)) {
      members.add(identity);
    }
    live = List.copyOf(members);
    stale = List.copyOf(old);
    return live;
  }

  /**
   * Deletes the Leases of replicas gone for {@value #STALE_AFTER_DURATIONS} lease durations
   * (pods of a Deployment get new names; their Leases would otherwise pile up). A replica that
   * was only cut off creates its Lease again at its next renewal.
   */
  int collectStale() {
    for (String name : stale) {
      client.leases().inNamespace(namespace).withName(name).delete();
    }
    int n = stale.size();
    stale = List.of();
    return n;
  }

  /** The live replicas as of the last {@link #refresh}, sorted. */
  List<String> live() {
    return live;
  }

  /** Whether this replica renewed its Lease within the lease duration. */
  boolean selfLive(Instant now) {
    return renewedAt != null && now.isBefore(renewedAt.plus(leaseDuration));
  }

  /** Deletes this replica's Lease (clean shutdown: the others take over at once). */
  void release() {
    client.leases().inNamespace(namespace).withName(leaseName()).delete();
    renewedAt = null;
  }

  String identity() {
    return identity;
  }

  @Override
  public String toString() {
    return "LeaseMembership[" + namespace + "/" + leaseName() + ", live=" + live + "]";
  }
}
