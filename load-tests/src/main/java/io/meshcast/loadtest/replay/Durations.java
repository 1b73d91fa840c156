package io.meshcast.loadtest.replay;

import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;

/** Parses "90s", "2m", "6h", "1d", "250ms", a bare number of seconds, or ISO-8601 ("PT90S"). */
final class Durations implements ITypeConverter<Duration> {

  @Override
  public Duration convert(String value) {
    return parse(value);
  }

  static Duration parse(String value) {
    final String v = value.strip().toLowerCase(Locale.ROOT);
    try {
      if (v.startsWith("p")) {
        return Duration.parse(value.strip().toUpperCase(Locale.ROOT));
      }
      if (v.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
      }
      final char unit = v.charAt(v.length() - 1);
      if (Character.isDigit(unit)) {
        return Duration.ofSeconds(Long.parseLong(v));
      }
      final long n = Long.parseLong(v.substring(0, v.length() - 1));
      switch (unit) {
        case 's': return Duration.ofSeconds(n);
        case 'm': return Duration.ofMinutes(n);
        case 'h': return Duration.ofHours(n);
        case 'd': return Duration.ofDays(n);
        default: break;
      }
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("'" + value
          + "' is not a duration (use e.g. 90s, 2m, 6h, 1d, 250ms or PT90S)", e);
    }
    throw new IllegalArgumentException("'" + value
        + "' is not a duration (use e.g. 90s, 2m, 6h, 1d, 250ms or PT90S)");
  }
}
