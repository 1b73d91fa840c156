package io.meshcast.adapter.debug;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * Who may read {@code /debug}: nobody ({@code off}: the routes do not exist), only clients on the
 * loopback interface ({@code localhost}, the default: {@code kubectl port-forward} works, the
 * cluster network does not), or any caller the API's authentication and authorization accept
 * ({@code authenticated}: a SubjectAccessReview for the non-resource URL, verb get).
 */
public enum DebugAccess {
  OFF,
  LOCALHOST,
  AUTHENTICATED;

  /** Parses {@code off | localhost | authenticated}. */
  public static DebugAccess parse(String s, String key) {
    return switch (s.trim().toLowerCase(Locale.ROOT)) {
      case "off" -> OFF;
      case "localhost" -> LOCALHOST;
      case "authenticated" -> AUTHENTICATED;
      default -> throw new IllegalArgumentException(key + ": expected off, localhost or "
          + "authenticated, was \"" + s + "\"");
    };
  }

  /** {@code debug.access} from the adapter's YAML file, if set. */
  public static Optional<DebugAccess> load(Path file) {
    try {
      JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(file));
      JsonNode d = root == null ? null : root.get("debug");
      if (d == null || d.isNull()) {
        return Optional.empty();
      }
      for (java.util.Iterator<String> it = d.fieldNames(); it.hasNext(); ) {
        String k = it.next();
        if (!k.equals("access")) {
          throw new IllegalArgumentException("debug." + k + ": unknown key (known: access)");
        }
      }
      return d.has("access") ? Optional.of(parse(d.get("access").asText(), "debug.access"))
          : Optional.empty();
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }
}
