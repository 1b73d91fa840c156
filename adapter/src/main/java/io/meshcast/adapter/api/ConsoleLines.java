package io.meshcast.adapter.api;

import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The access log's fast path: lines formatted here and written to stderr in one write per batch,
 * used only while that prints exactly what JUL would. Through JUL every line cost a {@code
 * String.format} of the timestamp and a flushed write (the access-log writer thread used about a
 * fifth as many CPU samples as the event loop in the serving benchmark, and switching the log off
 * doubled pods-list throughput). JUL stays the source of truth: the path applies only while the
 * logger's records reach exactly one {@link ConsoleHandler} (no other handler, no filter, a level
 * that passes INFO) and that handler's own formatter, asked to format a probe record, returns
 * what {@link #line} returns for it; any other logging configuration (a user's {@code
 * java.util.logging.config.file}, another format, a handler a test adds) goes through JUL as
 * before.
 */
final class ConsoleLines {

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
  private static final String INFO = String.format("%-7s", Level.INFO.getLocalizedName());
  /** An instant with every field distinct, so a formatter that differs in any of them is seen. */
  private static final Instant PROBE_TIME = Instant.parse("2026-11-21T13:14:15.678Z");

  private ConsoleLines() {}

  /** One INFO line as the shipped JUL format prints it ({@code LogFormat}). */
  static StringBuilder line(StringBuilder b, long epochMillis, String logger, String message) {
    TIME.formatTo(Instant.ofEpochMilli(epochMillis), b);
    return b.append(' ').append(INFO).append(' ').append(logger).append(' ').append(message)
        .append(System.lineSeparator());
  }

  /**
   * Whether INFO records of {@code logger} would be printed by one console handler exactly as
   * {@link #line} prints them: walks up to the first logger with handlers (which must be the root
   * or not pass records on), through loggers without handlers or filters.
   */
  static boolean applies(Logger logger) {
    Logger l = logger;
    while (l != null && l.getHandlers().length == 0) {
      if (l.getFilter() != null || !l.getUseParentHandlers()) {
        return false;
      }
      l = l.getParent();
    }
    if (l == null || l.getFilter() != null || (l.getParent() != null && l.getUseParentHandlers())) {
      return false;
    }
    Handler[] handlers = l.getHandlers();
    if (handlers.length != 1 || handlers[0].getClass() != ConsoleHandler.class) {
      return false;
    }
    Handler h = handlers[0];
    Formatter f = h.getFormatter();
    if (h.getFilter() != null || f == null || !h.isLoggable(probe(logger.getName()))) {
      return false;
    }
    return f.format(probe(logger.getName())).equals(
        line(new StringBuilder(), PROBE_TIME.toEpochMilli(), logger.getName(), "probe").toString());
  }

  /**
   * Writes the batch with one call; a PrintStream write is atomic with respect to others, so a
   * batch never splits another record's line. {@code System.err} is the stream the console
   * handler was created with unless something replaced it since ({@code System.setErr}), which
   * meshcast never does.
   */
  static void write(PrintStream out, CharSequence batch) {
    out.print(batch);
    out.flush();
  }

  private static LogRecord probe(String logger) {
    LogRecord r = new LogRecord(Level.INFO, "probe");
    r.setLoggerName(logger);
    r.setInstant(PROBE_TIME);
    r.setSourceClassName(AccessLog.Writer.class.getName());
    r.setSourceMethodName("drain");
    return r;
  }
}
