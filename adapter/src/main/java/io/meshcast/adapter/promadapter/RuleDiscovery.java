package io.meshcast.adapter.promadapter;

import io.meshcast.adapter.config.AdapterRule;
import io.meshcast.adapter.config.AdapterRules;
import io.meshcast.adapter.pipeline.MetricDefinition;
import io.meshcast.adapter.source.MetricSource;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;

/**
 * Discovers the series of prometheus-adapter rules ({@code /api/v1/series} with each distinct
 * {@code seriesQuery}, over the last relist interval) and keeps the resulting metric definitions.
 * Runs in the background (at start, then every relist interval); requests never wait for it. A
 * failed discovery keeps the previous definitions of the rules it concerns and is logged; a name
 * served by an earlier rule, a preset or a meshcast rule is left out with a logged note, once.
 * Thread-safe.
 */
public final class RuleDiscovery {

  private static final Logger LOG = Logger.getLogger(RuleDiscovery.class.getName());

  private final AdapterRules rules;
  private final Set<String> reserved;
  private final Map<String, List<Map<String, String>>> lastSeries = new HashMap<>();
  private final Set<String> logged = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private volatile List<MetricDefinition> definitions = List.of();
  private volatile Set<String> namespaceless = Set.of();
  private volatile Optional<String> lastError = Optional.empty();
  private volatile boolean discovered;

  /**
   * @param reserved names served by something else (presets, meshcast rules): never taken
   */
  public RuleDiscovery(AdapterRules rules, Set<String> reserved) {
    this.rules = rules;
    this.reserved = Set.copyOf(reserved);
  }

  public AdapterRules rules() {
    return rules;
  }

  /** The definitions of the last discovery (empty before the first). */
  public List<MetricDefinition> definitions() {
    return definitions;
  }

  /** External metrics of {@code namespaced: false} rules: served whatever the namespace asked. */
  public Set<String> namespacelessExternal() {
    return namespaceless;
  }

  /** Why the last discovery failed, if it did. */
  public Optional<String> lastError() {
    return lastError;
  }

  /** Whether a discovery has succeeded at least once. */
  public boolean discovered() {
    return discovered;
  }

  /** Lists every distinct series query once and rebuilds the definitions; never fails. */
  public Future<List<MetricDefinition>> refresh(MetricSource source, Instant now) {
    Set<String> queries = new LinkedHashSet<>();
    for (AdapterRule r : rules.rules()) {
      queries.add(r.seriesQuery());
    }
    Instant start = now.minus(rules.relistInterval());
    List<String> qs = new ArrayList<>(queries);
    List<Future<List<Map<String, String>>>> parts = new ArrayList<>();
    for (String q : qs) {
      parts.add(source.series(q, start, now));
    }
    return Future.join(parts).transform(ignored -> {
      List<String> errors = new ArrayList<>();
      synchronized (lastSeries) {
        for (int i = 0; i < qs.size(); i++) {
          Future<List<Map<String, String>>> f = parts.get(i);
          if (f.succeeded()) {
            lastSeries.put(qs.get(i), f.result());
          } else {
            errors.add("seriesQuery " + qs.get(i) + ": " + f.cause().getMessage());
          }
        }
        rebuild();
      }
      if (errors.isEmpty()) {
        discovered = true;
        if (lastError.isPresent()) {
          LOG.info("event=prometheus_adapter_discovery_recovered");
        }
        lastError = Optional.empty();
      } else {
        String msg = String.join("; ", errors);
        if (!lastError.equals(Optional.of(msg))) {
          LOG.warning("event=prometheus_adapter_discovery_failed detail=\"" + msg
              + "\" keeping=previous");
        }
        lastError = Optional.of(msg);
      }
      return Future.succeededFuture(definitions);
    });
  }

  private void rebuild() {
    Map<String, MetricDefinition> out = new LinkedHashMap<>();
    Set<String> without = new java.util.HashSet<>();
    for (AdapterRule r : rules.rules()) {
      List<Map<String, String>> series = lastSeries.get(r.seriesQuery());
      if (series == null) {
        continue;
      }
      for (MetricDefinition d : RuleQueries.definitions(r, series, this::noteOnce)) {
        if (reserved.contains(d.name())) {
          noteOnce(r.describe() + ": " + d.name() + " is already served by meshcast (preset or"
              + " rules[]); left out");
        } else if (out.containsKey(d.name())) {
          noteOnce(r.describe() + ": " + d.name() + " is already served by an earlier rule;"
              + " left out (prometheus-adapter expects rules to be mutually exclusive)");
        } else {
          out.put(d.name(), d);
          if (d.external() && !r.namespaced()) {
            without.add(d.name());
          }
        }
      }
    }
    definitions = List.copyOf(out.values());
    namespaceless = Set.copyOf(without);
  }

  private void noteOnce(String note) {
    if (logged.add(note)) {
      LOG.warning("event=prometheus_adapter_rule_note detail=\"" + note.replace("\"", "'")
          + "\"");
    }
  }
}
