package io.meshcast.adapter.shard;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Optional;

/**
 * Rendezvous (highest random weight) hashing (Thaler &amp; Ravishankar 1998, "Using name-based
 * mappings to increase hit rates", IEEE/ACM Trans. Networking 6:1–14): a series belongs to the
 * replica with the highest {@code weight(replica, series)}. When a replica leaves only its own
 * series move, spread evenly over the others; when one joins it takes about 1/N from each. No ring
 * or virtual nodes to tune, at O(N) per look-up, which for a handful of replicas is a few hashes.
 */
final class Rendezvous {

  private Rendezvous() {}

  /** The owner of {@code key} among {@code members}; empty when there are none. */
  static Optional<String> owner(String key, Collection<String> members) {
    String best = null;
    long bestWeight = 0;
    for (String m : members) {
      long w = weight(m, key);
      // ties (astronomically rare) go to the smaller name, so every replica agrees
      if (best == null || Long.compareUnsigned(w, bestWeight) > 0
          || w == bestWeight && m.compareTo(best) < 0) {
        best = m;
        bestWeight = w;
      }
    }
    return Optional.ofNullable(best);
  }

  /** FNV-1a over "member NUL key", finished by the splitmix64 mixer for avalanche. */
  static long weight(String member, String key) {
    long h = 0xcbf29ce484222325L;
    for (byte b : member.getBytes(StandardCharsets.UTF_8)) {
      h = (h ^ (b & 0xff)) * 0x100000001b3L;
    }
    h = (h ^ 0) * 0x100000001b3L;
    for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
      h = (h ^ (b & 0xff)) * 0x100000001b3L;
    }
    h ^= h >>> 30;
    h *= 0xbf58476d1ce4e5b9L;
    h ^= h >>> 27;
    h *= 0x94d049bb133111ebL;
    return h ^ (h >>> 31);
  }
}
