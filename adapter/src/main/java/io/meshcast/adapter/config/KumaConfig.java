package io.meshcast.adapter.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * How Kuma data-plane metrics are read.
 *
 * @param regime naming regime, or {@link RegimeSetting#AUTO} to detect it from the labels present
 * @param rateWindow the {@code [W]} of every {@code rate()}; at least 4 scrape intervals
 * @param mesh when present, only series with {@code mesh="<mesh>"} are read
 * @param podLabel label carrying the pod name; empty means the regime's default
 * @param namespaceLabel label carrying the namespace; empty means the regime's default
 * @param podLabels extra labels kept on per-pod series, used to match {@code pods/*} label
 *     selectors when there is no cluster to ask
 * @param presets which built-in golden signals are served (all by default)
 */
public record KumaConfig(
    RegimeSetting regime,
    Duration rateWindow,
    Optional<String> mesh,
    Optional<String> podLabel,
    Optional<String> namespaceLabel,
    List<String> podLabels,
    Set<String> presets) {

  public KumaConfig {
    podLabels = List.copyOf(podLabels);
    presets = Set.copyOf(presets);
  }

  /** The configured regime: one of the three, or auto-detection. */
  public enum RegimeSetting {
    AUTO,
    LEGACY,
    MESHMETRIC,
    UNIFIED
  }
}
