package io.meshcast.adapter.predict;

import io.meshcast.adapter.shard.Ownership;
import io.meshcast.adapter.shard.ShardedModels;
import io.meshcast.forecast.FitTransfer;
import io.meshcast.forecast.SeriesForecaster;
import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * The models of one replica as the shard layer sees them ({@link ShardedModels}): exports the fits
 * of the series this replica owns, adopts the others' into the local forecasters (which keep them
 * current with this replica's own observations), and hands series taken over to a rebuild.
 *
 * <p>Called from the shard thread; the forecasters synchronise against the refreshes.
 */
final class FitExchange implements ShardedModels {

  private static final Logger LOG = Logger.getLogger(FitExchange.class.getName());

  /** The fit last adopted for a series (no bytes kept). */
  private record Adoption(String owner, long version) {}

  private final Supplier<ModelRegistry> registry;
  private final Ownership ownership;
  private final Consumer<Set<String>> rebuild;
  private final Map<String, Adoption> adopted = new ConcurrentHashMap<>();

  /**
   * @param registry the models in force (replaced when the model step changes)
   * @param rebuild refits the given series from history (the bootstrap path)
   */
  FitExchange(Supplier<ModelRegistry> registry, Ownership ownership,
      Consumer<Set<String>> rebuild) {
    this.registry = registry;
    this.ownership = ownership;
    this.rebuild = rebuild;
  }

  @Override
  public Map<String, Fit> ownedFits(Map<String, Fit> previous) {
    ModelRegistry r = registry.get();
    Map<String, Fit> out = new HashMap<>();
    for (String id : r.ids()) {
      SeriesForecaster f = r.forecaster(id);
      if (f == null || !ownership.owns(id)) {
        continue;
      }
      long version = f.status().refits();
      Fit before = previous.get(id);
      if (before != null && before.version() == version) {
        out.put(id, before);
      } else if (version > 0) {
        FitTransfer.export(f).ifPresent(b -> out.put(id, new Fit(version, b)));
      }
    }
    return out;
  }

  @Override
  public Adopted adopt(Map<String, PublishedFit> fits) {
    ModelRegistry r = registry.get();
    int done = 0;
    int unchanged = 0;
    int failed = 0;
    Set<String> retry = new HashSet<>();
    for (Map.Entry<String, PublishedFit> e : fits.entrySet()) {
      String id = e.getKey();
      PublishedFit p = e.getValue();
      if (ownership.owns(id)) {
        continue;
      }
      SeriesForecaster f = r.forecaster(id);
      if (f == null) {
        retry.add(id); // not refreshed here yet
        continue;
      }
      Adoption last = adopted.get(id);
      if (last != null && last.owner().equals(p.owner()) && last.version() == p.version()) {
        unchanged++;
        continue;
      }
      try {
        switch (FitTransfer.adopt(f, p.bytes())) {
          case ADOPTED -> {
            adopted.put(id, new Adoption(p.owner(), p.version()));
            done++;
          }
          case BEHIND -> retry.add(id);
          case STALE -> failed++; // older than all history here: wait for the owner's next fit
        }
      } catch (IOException ex) {
        failed++;
        LOG.warning("event=shard_fit_rejected series=" + id + " owner=" + p.owner()
            + " error=\"" + ex.getMessage() + "\"");
      }
    }
    return new Adopted(done, unchanged, failed, retry);
  }

  @Override
  public Set<String> ownershipChanged(Ownership before) {
    Set<String> gained = new HashSet<>();
    for (String id : registry.get().ids()) {
      if (ownership.owns(id) && !before.owns(id)) {
        gained.add(id);
      }
    }
    adopted.keySet().removeAll(gained);
    if (!gained.isEmpty()) {
      rebuild.accept(Set.copyOf(gained));
    }
    return gained;
  }

  /** The models in force. */
  ModelRegistry models() {
    return registry.get();
  }

  /** Whether a series' current model was adopted from another replica (for /debug, tests). */
  boolean adoptedFrom(String id, String owner) {
    Adoption a = adopted.get(id);
    return a != null && a.owner().equals(owner);
  }
}
