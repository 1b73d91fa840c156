package io.meshcast.forecast;

/**
 * Severity bands of an anomaly score, as in Elastic ML: {@code >= 75} critical, {@code >= 50}
 * major, {@code >= 25} minor, {@code >= 3} warning, otherwise none.
 */
public enum Severity {
  NONE,
  WARNING,
  MINOR,
  MAJOR,
  CRITICAL;

  /** The band of a score in [0, 100]; NaN maps to {@link #NONE}. */
  public static Severity of(double score) {
    if (score >= 75) {
      return CRITICAL;
    }
    if (score >= 50) {
      return MAJOR;
    }
    if (score >= 25) {
      return MINOR;
    }
    if (score >= 3) {
      return WARNING;
    }
    return NONE;
  }
}
