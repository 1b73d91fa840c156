package io.meshcast.adapter.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One upstream of the {@code delegate:} section (documented in docs/migration.md).
 *
 * @param group {@code custom.metrics.k8s.io} or {@code external.metrics.k8s.io}
 * @param url the upstream's base URL (https), e.g. {@code https://keda-operator-metrics-apiserver.keda:443}
 * @param caFile CA bundle that signed the upstream's serving certificate
 * @param certFile client certificate meshcast presents (with {@code keyFile})
 * @param keyFile its key
 * @param bearerTokenFile token sent as {@code Authorization: Bearer} (re-read when it changes)
 * @param insecureSkipVerify accept any serving certificate (development only)
 * @param timeout per forwarded request
 * @param failureThreshold consecutive failures that open the breaker
 * @param openFor how long the breaker stays open before one trial request
 * @param discoveryInterval how often the upstream's resource lists are re-read
 */
public record DelegateConfig(
    String group,
    URI url,
    Optional<Path> caFile,
    Optional<Path> certFile,
    Optional<Path> keyFile,
    Optional<Path> bearerTokenFile,
    boolean insecureSkipVerify,
    Duration timeout,
    int failureThreshold,
    Duration openFor,
    Duration discoveryInterval) {

  static final Set<String> GROUPS = Set.of("custom.metrics.k8s.io", "external.metrics.k8s.io");
  private static final Set<String> KEYS = Set.of("url", "caFile", "certFile", "keyFile",
      "bearerTokenFile", "insecureSkipVerify", "timeout", "failureThreshold", "openFor",
      "discoveryInterval");

  /** Parses a {@code delegate:} mapping of API group to upstream. */
  public static List<DelegateConfig> parse(JsonNode n) {
    List<DelegateConfig> out = new ArrayList<>();
    if (n == null || n.isNull()) {
      return out;
    }
    require(n.isObject(), "delegate", "must map an API group to an upstream");
    for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String g = e.getKey();
      String at = "delegate." + g;
      require(GROUPS.contains(g), at, "unknown API group (known: " + GROUPS + ")");
      JsonNode u = e.getValue();
      require(u != null && u.isObject(), at, "must be a mapping with at least url");
      for (Iterator<String> k = u.fieldNames(); k.hasNext(); ) {
        String key = k.next();
        require(KEYS.contains(key), at + "." + key, "unknown key (known: " + KEYS + ")");
      }
      require(u.hasNonNull("url"), at + ".url", "is required");
      URI url;
      try {
        url = new URI(u.get("url").asText());
      } catch (java.net.URISyntaxException x) {
        throw new IllegalArgumentException(at + ".url: invalid URL \"" + u.get("url").asText()
            + "\": " + x.getReason());
      }
      require(("https".equals(url.getScheme()) || "http".equals(url.getScheme()))
          && url.getHost() != null, at + ".url", "expected https://host[:port], was \"" + url
          + "\"");
      Optional<Path> cert = path(u, "certFile");
      Optional<Path> key = path(u, "keyFile");
      require(cert.isPresent() == key.isPresent(), at + ".certFile",
          "certFile and keyFile must be given together");
      int threshold = u.has("failureThreshold") ? u.get("failureThreshold").asInt(-1) : 5;
      require(threshold >= 1, at + ".failureThreshold", "must be an integer >= 1");
      out.add(new DelegateConfig(g, url, path(u, "caFile"), cert, key, path(u, "bearerTokenFile"),
          u.path("insecureSkipVerify").asBoolean(false),
          duration(u, "timeout", Duration.ofSeconds(5), at),
          threshold,
          duration(u, "openFor", Duration.ofSeconds(30), at),
          duration(u, "discoveryInterval", Duration.ofSeconds(30), at)));
    }
    return out;
  }

  private static Optional<Path> path(JsonNode u, String key) {
    return u.hasNonNull(key) ? Optional.of(Path.of(u.get(key).asText())) : Optional.empty();
  }

  private static Duration duration(JsonNode u, String key, Duration dflt, String at) {
    if (!u.hasNonNull(key)) {
      return dflt;
    }
    try {
      Duration d = Durations.parse(u.get(key).asText());
      require(d.toMillis() >= 1, at + "." + key, "must be positive");
      return d;
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(at + "." + key + ": " + e.getMessage(), e);
    }
  }

  private static void require(boolean ok, String key, String message) {
    if (!ok) {
      throw new IllegalArgumentException(key + ": " + message);
    }
  }
}
