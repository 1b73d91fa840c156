package io.meshcast.adapter.config;

import java.util.Locale;

/**
 * Who may read {@code /debug}: nobody ({@code off}: the routes do not exist), only clients on the
 * loopback interface ({@code localhost}, the default: {@code kubectl port-forward} works, the
 * cluster network does not), or any caller the API's authentication and authorization accept
 * ({@code authenticated}: a SubjectAccessReview for the non-resource URL, verb get). Set by
 * {@code debug.access} in the configuration file ({@link AdapterConfig#debugAccess()}) or
 * {@code --debug-access}.
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
}
