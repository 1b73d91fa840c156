package io.meshcast.adapter.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Set;

/**
 * The {@code graph:} section of the configuration file, parsed by {@link ConfigLoader} with
 * the rest of the file and used at start (restart to change it). Every key is optional; a bad key or value fails the start naming it.
 *
 * @param enabled whether the mesh graph is built (one outbound query per refresh)
 * @param propagate whether a service's served {@code kuma_rps_forecast} includes its callers'
 *     demand (needs {@code enabled})
 * @param callRatio the call-ratio estimator's settings ({@code graph.callRatio.*})
 */
public record GraphConfig(boolean enabled, boolean propagate, CallRatioSettings callRatio) {

  private static final Set<String> KEYS = Set.of("enabled", "propagate", "callRatio");
  private static final Set<String> RATIO_KEYS =
      Set.of("alpha", "minSamples", "maxDispersion", "minCallerRps");

  /** Graph on, propagation on, {@link CallRatioSettings#defaults()}. */
  public static GraphConfig defaults() {
    return new GraphConfig(true, true, CallRatioSettings.defaults());
  }

  /** Parses a {@code graph:} mapping (null: the defaults). */
  public static GraphConfig parse(JsonNode n) {
    GraphConfig d = defaults();
    if (n == null || n.isNull()) {
      return d;
    }
    require(n.isObject(), "graph", "must be a mapping");
    unknown(n, "graph", KEYS);
    boolean enabled = bool(n, "enabled", d.enabled());
    boolean propagate = bool(n, "propagate", d.propagate());
    CallRatioSettings r = d.callRatio();
    JsonNode c = n.get("callRatio");
    if (c != null && !c.isNull()) {
      require(c.isObject(), "graph.callRatio", "must be a mapping");
      unknown(c, "graph.callRatio", RATIO_KEYS);
      try {
        r = new CallRatioSettings(
            number(c, "alpha", r.alpha()),
            (int) number(c, "minSamples", r.minSamples()),
            number(c, "maxDispersion", r.maxDispersion()),
            number(c, "minCallerRps", r.minCallerRps()));
      } catch (IllegalArgumentException e) {
        // CallRatio names its settings callRatio.*: say where they live in the file.
        throw new IllegalArgumentException("graph." + e.getMessage(), e);
      }
    }
    require(enabled || !propagate || !n.has("propagate"), "graph.propagate",
        "needs graph.enabled: true (propagation runs over the graph)");
    return new GraphConfig(enabled, enabled && propagate, r);
  }

  private static void unknown(JsonNode n, String at, Set<String> known) {
    for (Iterator<String> k = n.fieldNames(); k.hasNext(); ) {
      String key = k.next();
      require(known.contains(key), at + "." + key, "unknown key (known: "
          + known.stream().sorted().toList() + ")");
    }
  }

  private static boolean bool(JsonNode n, String key, boolean dflt) {
    JsonNode v = n.get(key);
    if (v == null || v.isNull()) {
      return dflt;
    }
    require(v.isBoolean(), "graph." + key, "must be true or false, was \"" + v.asText() + "\"");
    return v.asBoolean();
  }

  private static double number(JsonNode n, String key, double dflt) {
    JsonNode v = n.get(key);
    if (v == null || v.isNull()) {
      return dflt;
    }
    require(v.isNumber(), "graph.callRatio." + key, "must be a number, was \"" + v.asText()
        + "\"");
    return v.asDouble();
  }

  private static void require(boolean ok, String key, String problem) {
    if (!ok) {
      throw new IllegalArgumentException(key + ": " + problem);
    }
  }
}
