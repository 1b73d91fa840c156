package io.meshcast.adapter.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses durations the way Kubernetes and Prometheus users write them: {@code 500ms}, {@code
 * 15s}, {@code 2m}, {@code 1h30m}, {@code 7d}, {@code 1w}; ISO-8601 ({@code PT15S}) is accepted
 * too. Shared by the configuration file and the command line.
 */
public final class Durations {

  private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h|d|w)");

  private Durations() {}

  /**
   * Parses a duration.
   *
   * @throws IllegalArgumentException naming the bad value
   */
  public static Duration parse(String value) {
    String s = value.trim();
    if (s.startsWith("P") || s.startsWith("p")) {
      try {
        return Duration.parse(s);
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException("invalid duration \"" + value + "\"");
      }
    }
    Matcher m = PART.matcher(s);
    Duration total = Duration.ZERO;
    int end = 0;
    while (m.find() && m.start() == end) {
      long n = Long.parseLong(m.group(1));
      total =
          total.plus(
              switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                case "d" -> Duration.ofDays(n);
                default -> Duration.ofDays(7 * n);
              });
      end = m.end();
    }
    if (end == 0 || end != s.length()) {
      throw new IllegalArgumentException(
          "invalid duration \"" + value + "\": expected e.g. 500ms, 15s, 2m, 1h30m, 7d");
    }
    return total;
  }
}
