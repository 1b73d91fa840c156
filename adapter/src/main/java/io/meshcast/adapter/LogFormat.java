package io.meshcast.adapter;

/**
 * One-line, key=value log records on stderr (java.util.logging, which Vert.x and, through
 * slf4j-jdk14, fabric8 also use): {@code 2026-11-21T10:00:00.000Z INFO  io.meshcast... event=...}.
 */
final class LogFormat {

  private LogFormat() {}

  static void install() {
    if (System.getProperty("java.util.logging.SimpleFormatter.format") == null
        && System.getProperty("java.util.logging.config.file") == null) {
      System.setProperty(
          "java.util.logging.SimpleFormatter.format",
          "%1$tY-%1$tm-%1$tdT%1$tH:%1$tM:%1$tS.%1$tLZ %4$-7s %3$s %5$s%6$s%n");
      System.setProperty("user.timezone", "UTC");
      java.util.TimeZone.setDefault(java.util.TimeZone.getTimeZone("UTC"));
    }
  }
}
