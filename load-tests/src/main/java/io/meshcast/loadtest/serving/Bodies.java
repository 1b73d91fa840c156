package io.meshcast.loadtest.serving;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The answers a serving target gives for the request mix, and their sizes per request kind. */
final class Bodies {

  private Bodies() {}

  /**
   * Fetches every distinct path once: all must answer 200 (a wrong mix would benchmark error
   * pages). The answers become the baseline's: it returns, for each path, these same bytes.
   */
  static Map<String, byte[]> probe(int port, List<String> mix) throws Exception {
    Map<String, byte[]> bodies = new LinkedHashMap<>();
    try (LoadGenerator gen = new LoadGenerator(port, 4)) {
      for (String path : mix) {
        if (bodies.containsKey(path)) {
          continue;
        }
        LoadGenerator.Response r = gen.get(path).toCompletionStage().toCompletableFuture()
            .get(30, java.util.concurrent.TimeUnit.SECONDS);
        if (r.status() != 200) {
          throw new IllegalStateException("probe " + path + " answered " + r.status() + ": "
              + r.body());
        }
        if (r.body().toString().contains("\"items\":[]")) {
          throw new IllegalStateException("probe " + path + " answered no items: " + r.body());
        }
        bodies.put(path, r.body().getBytes());
      }
    }
    return bodies;
  }

  /** Median answer size over all distinct paths. */
  static int medianBodyBytes(Map<String, byte[]> bodies) {
    int[] sizes = bodies.values().stream().mapToInt(b -> b.length).sorted().toArray();
    return sizes[sizes.length / 2];
  }

  /** Median answer size per request kind, over the distinct paths of that kind. */
  static Map<RequestMix.Kind, Integer> bodyBytesByKind(Map<String, byte[]> bodies) {
    Map<RequestMix.Kind, Integer> out = new EnumMap<>(RequestMix.Kind.class);
    for (RequestMix.Kind kind : RequestMix.Kind.values()) {
      int[] sizes = bodies.entrySet().stream()
          .filter(e -> RequestMix.Kind.of(e.getKey()) == kind)
          .mapToInt(e -> e.getValue().length).sorted().toArray();
      if (sizes.length > 0) {
        out.put(kind, sizes[sizes.length / 2]);
      }
    }
    return out;
  }
}
