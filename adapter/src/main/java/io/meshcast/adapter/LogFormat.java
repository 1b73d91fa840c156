package io.meshcast.adapter;

/**
 * One logging API and one output: meshcast's own code logs through java.util.logging only (no
 * SLF4J calls; {@code LoggingApiTest} checks the sources). Third-party records end up in the same
 * JUL handlers: fabric8 logs through SLF4J, whose binding here is slf4j-jdk14 (SLF4J → JUL), and
 * Vert.x is told to use its JUL delegate directly. Every record is then one line on stderr from
 * the root ConsoleHandler: {@code 2026-11-21T10:00:00.000Z INFO  io.meshcast... event=...}.
 *
 * <p>JUL rather than SLF4J because it is what 27 of 31 classes already used, it needs no extra
 * runtime jar, and both third-party libraries can be routed into it; a user's own {@code
 * java.util.logging.config.file} still takes over the format and levels.
 */
final class LogFormat {

  /** Vert.x's switch for its logging back end (read once, when Vert.x first logs). */
  static final String VERTX_LOGGER = "vertx.logger-delegate-factory-class-name";
  /** Vert.x's back end that logs to JUL under the logger names Vert.x uses. */
  static final String VERTX_JUL = "io.vertx.core.logging.JULLogDelegateFactory";

  private LogFormat() {}

  static void install() {
    // Without it Vert.x picks SLF4J (on the classpath for fabric8), which lands in JUL anyway;
    // naming JUL keeps Vert.x there even if another SLF4J binding ever joins the classpath.
    if (System.getProperty(VERTX_LOGGER) == null) {
      System.setProperty(VERTX_LOGGER, VERTX_JUL);
    }
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
