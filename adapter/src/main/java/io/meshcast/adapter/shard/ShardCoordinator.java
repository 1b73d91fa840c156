package io.meshcast.adapter.shard;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.meshcast.adapter.config.ShardingConfig;
import io.meshcast.adapter.shard.ShardedModels.Fit;
import io.meshcast.adapter.shard.ShardedModels.PublishedFit;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Runs sharding for one replica on one named thread ({@code meshcast-shard}): every {@code
 * renewPeriod} it renews this replica's Lease and re-reads the live set ({@link #heartbeat});
 * every {@code syncPeriod} it publishes the fits of the series it owns and adopts the others'
 * ({@link #sync}). It is the {@link Ownership} the models consult.
 *
 * <p><b>Ownership.</b> Rendezvous hashing of the series id over the live replicas. While this
 * replica cannot see the replica set (its last successful read is older than a lease duration,
 * e.g. the API server is unreachable) it owns every series: fitting a series twice costs CPU,
 * fitting it nowhere serves stale forecasts.
 *
 * <p><b>Failure.</b> A replica that dies stops renewing; a lease duration later the others drop
 * it at their next heartbeat, so its series have a new owner within one lease duration plus one
 * renew period, and that owner rebuilds them from history ({@link ShardedModels#ownershipChanged}).
 * A replica that shuts down cleanly deletes its Lease and ConfigMaps ({@link #close}): the others
 * take over at their next heartbeat.
 *
 * <p>Thread-safe: {@link #owns} reads an immutable view; everything else runs on the shard
 * thread (or the caller's, in tests that drive {@link #heartbeat} and {@link #sync} by hand).
 */
public final class ShardCoordinator implements Ownership {

  private static final Logger LOG = Logger.getLogger(ShardCoordinator.class.getName());
  /** every this many syncs all chunks are rewritten, repairing deleted or lost ConfigMaps */
  static final int REWRITE_EVERY_SYNCS = 20;

  /**
   * Resolved settings.
   *
   * @param namespace where Leases and fit ConfigMaps live
   * @param identity this replica's name (the pod name)
   */
  public record Settings(String namespace, String identity, String group, Duration leaseDuration,
      Duration renewPeriod, Duration syncPeriod) {

    /**
     * Resolves the identity (config, else {@code POD_NAME}) and the namespace (config, else
     * {@code POD_NAMESPACE}, else the client's namespace).
     *
     * @throws IllegalArgumentException naming the missing setting and how to provide it
     */
    public static Settings resolve(ShardingConfig c, Map<String, String> env,
        Optional<String> clientNamespace) {
      String identity = c.identity().or(() -> nonEmpty(env.get("POD_NAME")))
          .orElseThrow(() -> new IllegalArgumentException("sharding.identity: not set and the"
              + " POD_NAME environment variable is empty; set POD_NAME from the downward API"
              + " (valueFrom.fieldRef.fieldPath: metadata.name), see manifests/deployment.yaml"));
      String ns = c.namespace().or(() -> nonEmpty(env.get("POD_NAMESPACE")))
          .or(() -> clientNamespace.flatMap(ShardCoordinator::nonEmpty))
          .orElseThrow(() -> new IllegalArgumentException("sharding.namespace: not set, and"
              + " neither POD_NAMESPACE nor the Kubernetes client names a namespace"));
      return new Settings(ns, identity, c.group(), c.leaseDuration(), c.renewPeriod(),
          c.syncPeriod());
    }
  }

  /** The replica set as of the last heartbeat; {@code standalone}: owns everything. */
  private record View(List<String> members, boolean standalone) {}

  /**
   * The coordinator's state, for /metrics ({@link ShardMetrics}) and logs.
   *
   * @param lastSeen when the replica set was last read successfully
   * @param takenOver series gained from replicas that left, since start
   * @param adopted fits adopted from other replicas, since start
   * @param publishedFits fitted series this replica owns and published at the last sync
   * @param publishedBytes raw bytes of fit chunks written, since start
   * @param pendingFits fits waiting for this replica to catch up or to see their series
   * @param heartbeatFailures heartbeats with a failed renewal or listing, since start
   */
  public record Status(String identity, List<String> members, boolean standalone,
      Instant lastSeen, Optional<String> lastError, long takenOver, long adopted,
      int publishedFits, long publishedBytes, int pendingFits, long heartbeatFailures) {}

  private final Settings settings;
  private final Clock clock;
  private final LeaseMembership membership;
  private final FitStore store;
  private final ScheduledExecutorService thread;
  private volatile View view = new View(List.of(), true);
  private volatile ShardedModels models;
  private volatile Instant lastSeen = Instant.EPOCH;
  private volatile Optional<String> lastError = Optional.empty();
  private volatile long takenOver;
  private volatile long adopted;
  private volatile int publishedFits;
  private volatile long heartbeatFailures;
  private Map<String, Fit> published = Map.of();
  private final Map<String, PublishedFit> pending = new HashMap<>();
  private long syncs;
  private volatile boolean closed;

  /** A coordinator that has not touched the API server yet; {@link #start} does. */
  public ShardCoordinator(KubernetesClient client, Settings settings, Clock clock) {
    this.settings = settings;
    this.clock = clock;
    this.membership = new LeaseMembership(client, settings.namespace(), settings.identity(),
        settings.group(), settings.leaseDuration(), clock);
    this.store = new FitStore(client, settings.namespace(), settings.identity(),
        settings.group());
    this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "meshcast-shard-" + settings.identity());
      t.setDaemon(true);
      return t;
    });
  }

  /** The models whose fits are published and adopted; set before the first {@link #sync}. */
  public void attach(ShardedModels m) {
    this.models = m;
  }

  /**
   * Takes this replica's Lease and reads the replica set (on the shard thread), then schedules
   * the heartbeats and syncs. Fails when the first Lease cannot be written (RBAC, namespace).
   */
  public CompletableFuture<List<String>> start() {
    return CompletableFuture.supplyAsync(() -> {
      try {
        membership.renew();
        lastSeen = clock.instant();
        View before = view;
        view = new View(membership.refresh(), false);
        LOG.info("event=shard_started identity=" + settings.identity() + " namespace="
            + settings.namespace() + " lease=" + membership.leaseName() + " members="
            + view.members());
        notifyModels(before);
        return view.members();
      } catch (KubernetesClientException e) {
        throw new IllegalStateException("sharding: cannot hold Lease " + settings.namespace()
            + "/" + membership.leaseName() + ": " + e.getMessage()
            + " (the adapter's Role needs get/list/watch/create/update/delete on"
            + " coordination.k8s.io leases and configmaps; see manifests/rbac.yaml)", e);
      }
    }, thread).thenApply(members -> {
      long renew = settings.renewPeriod().toMillis();
      long sync = settings.syncPeriod().toMillis();
      thread.scheduleWithFixedDelay(guarded("shard_heartbeat_failed", this::heartbeat), renew, renew, TimeUnit.MILLISECONDS);
      thread.scheduleWithFixedDelay(guarded("shard_sync_failed", this::sync), sync, sync, TimeUnit.MILLISECONDS);
      return members;
    }).whenComplete((members, e) -> {
      if (e != null) {
        thread.shutdown(); // nothing to renew: the start failed
      }
    });
  }

  @Override
  public boolean owns(String seriesId) {
    View v = view;
    return v.standalone() || Rendezvous.owner(seriesId, v.members())
        .map(settings.identity()::equals).orElse(true);
  }

  /** The live replicas as of the last heartbeat, sorted. */
  public List<String> members() {
    return view.members();
  }

  public String identity() {
    return settings.identity();
  }

  public Status status() {
    synchronized (pending) {
      return new Status(settings.identity(), view.members(), view.standalone(), lastSeen,
          lastError, takenOver, adopted, publishedFits, store.bytesPublished(), pending.size(),
          heartbeatFailures);
    }
  }

  /**
   * Renews the Lease and re-reads the replica set; tells the models when it changed. Run every
   * {@code renewPeriod} by {@link #start}; public for callers that drive time themselves (tests).
   */
  public void heartbeat() {
    Instant now = clock.instant();
    KubernetesClientException failure = null;
    try {
      membership.renew();
    } catch (KubernetesClientException e) {
      failure = e;
    }
    View before = view;
    try {
      List<String> members = membership.refresh();
      lastSeen = now;
      view = new View(members, false);
    } catch (KubernetesClientException e) {
      failure = failure == null ? e : failure;
      if (!now.isBefore(lastSeen.plus(settings.leaseDuration())) && !before.standalone()) {
        view = new View(before.members(), true);
        LOG.warning("event=shard_standalone detail=\"replica set unreadable for a lease"
            + " duration; fitting every series here until it is readable\"");
      }
    }
    lastError = Optional.ofNullable(failure).map(Throwable::getMessage);
    if (failure != null) {
      heartbeatFailures++;
      LOG.warning("event=shard_heartbeat_failed error=\"" + failure.getMessage() + "\"");
    }
    if (!view.equals(before)) {
      LOG.info("event=shard_members members=" + view.members() + " standalone="
          + view.standalone());
      notifyModels(before);
    }
  }

  private void notifyModels(View before) {
    ShardedModels m = models;
    if (m == null) {
      return;
    }
    Ownership previous = id -> before.standalone() || Rendezvous.owner(id, before.members())
        .map(settings.identity()::equals).orElse(true);
    Set<String> gained = m.ownershipChanged(previous);
    if (!gained.isEmpty()) {
      takenOver += gained.size();
      LOG.info("event=shard_takeover series=" + gained.size() + " members=" + view.members());
    }
  }

  /**
   * Publishes this replica's fits, adopts the others', and collects dead replicas' fits. Run
   * every {@code syncPeriod} by {@link #start}; public for callers that drive it themselves.
   */
  public void sync() {
    ShardedModels m = models;
    if (m == null) {
      return;
    }
    View v = view;
    syncs++;
    published = m.ownedFits(published);
    publishedFits = published.size();
    store.publish(published, syncs % REWRITE_EVERY_SYNCS == 0);
    Map<String, PublishedFit> changed = store.readChanged(v.members(), false);
    synchronized (pending) {
      pending.putAll(changed);
      pending.values().removeIf(f -> !v.members().contains(f.owner()));
      ShardedModels.Adopted a = m.adopt(pending);
      adopted += a.adopted();
      pending.keySet().retainAll(a.retry());
      if (a.adopted() > 0 || a.failed() > 0) {
        LOG.fine("event=shard_adopted adopted=" + a.adopted() + " failed=" + a.failed()
            + " retry=" + a.retry().size());
      }
    }
    if (!v.members().isEmpty() && v.members().get(0).equals(settings.identity())) {
      // one replica (the first by name) cleans up after crashed ones
      store.collect(v.members());
      membership.collectStale();
    }
  }

  /** Runs a scheduled step unless closed; a failure is logged and the schedule goes on. */
  private Runnable guarded(String event, Runnable step) {
    return () -> {
      if (closed) {
        return;
      }
      try {
        step.run();
      } catch (RuntimeException e) {
        lastError = Optional.of(String.valueOf(e.getMessage()));
        LOG.warning("event=" + event + " error=\"" + e + "\"");
      }
    };
  }

  /**
   * Stops, then deletes this replica's Lease and fit ConfigMaps so the others take over at
   * their next heartbeat instead of a lease duration later.
   */
  public CompletableFuture<Void> close() {
    closed = true;
    CompletableFuture<Void> done = CompletableFuture.runAsync(() -> {
      try {
        membership.release();
        store.deleteOwn();
      } catch (KubernetesClientException e) {
        LOG.warning("event=shard_release_failed error=\"" + e.getMessage()
            + "\" detail=\"the others take over when the Lease expires\"");
      }
    }, thread);
    return done.whenComplete((v, e) -> thread.shutdown());
  }

  /** Stops renewing without releasing anything: what a crash looks like to the others (tests). */
  void abandon() {
    closed = true;
    thread.shutdownNow();
  }

  private static Optional<String> nonEmpty(String s) {
    return s == null || s.isBlank() ? Optional.empty() : Optional.of(s.trim());
  }
}
