package io.meshcast.adapter.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/** Access-log lines are written by the log's own thread, not by the caller (issue 14). */
final class AccessLogWriterTest {

  @Test
  void lines_areWrittenInOrder_byTheWriterThread() throws Exception {
    Logger log = Logger.getLogger("io.meshcast.adapter.access");
    List<String> seen = new CopyOnWriteArrayList<>();
    List<String> threads = new CopyOnWriteArrayList<>();
    Handler h = new Handler() {
      @Override
      public void publish(LogRecord r) {
        if (r.getMessage().startsWith("test-line-")) {
          seen.add(r.getMessage());
          threads.add(Thread.currentThread().getName());
        }
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    log.addHandler(h);
    try {
      for (int i = 0; i < 3; i++) {
        AccessLog.Writer.INSTANCE.offer("test-line-" + i);
      }
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (seen.size() < 3 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(seen).containsExactly("test-line-0", "test-line-1", "test-line-2");
      assertThat(threads).containsOnly("meshcast-access-log");
    } finally {
      log.removeHandler(h);
    }
  }

  @Test
  void line_isTheFormatItReplaced_withTheDurationRoundedHalfUpToTheMicrosecond() {
    java.util.Random r = new java.util.Random(14);
    List<Long> nanos = new java.util.ArrayList<>(List.of(0L, 1L, 499L, 500L, 999L, 1_000L,
        1_234_499L, 1_234_500L, 9_999_500L, 99_999_999L, 1_000_000_000L, 12_345_678_901L));
    for (int i = 0; i < 10_000; i++) {
      nanos.add((long) (Math.pow(10, 3 + 7 * r.nextDouble())));
    }
    for (long n : nanos) {
      String expected = String.format(java.util.Locale.ROOT,
          "method=%s path=\"%s\" code=%d duration_ms=%.3f user=\"%s\" remote=%s",
          "GET", "/apis/x?y=1", 200, n / 1e6, "alice", "127.0.0.1:4242");
      assertThat(AccessLog.line("GET", "/apis/x?y=1", 200, n, "alice", "127.0.0.1:4242"))
          .as("%d ns", n).isEqualTo(expected);
    }
  }

  /** LogFormat's default JUL pattern (io.meshcast.adapter.LogFormat), as SimpleFormatter uses it. */
  private static final String SHIPPED =
      "%1$tY-%1$tm-%1$tdT%1$tH:%1$tM:%1$tS.%1$tLZ %4$-7s %3$s %5$s%6$s%n";

  /** A formatter that does what SimpleFormatter does with {@code pattern}. */
  private static java.util.logging.Formatter formatter(String pattern) {
    return new java.util.logging.Formatter() {
      @Override
      public String format(LogRecord r) {
        return String.format(pattern,
            java.time.ZonedDateTime.ofInstant(r.getInstant(), java.time.ZoneOffset.UTC),
            r.getSourceClassName() + " " + r.getSourceMethodName(), r.getLoggerName(),
            r.getLevel().getLocalizedName(), formatMessage(r), "");
      }
    };
  }

  @Test
  void consoleLine_isWhatTheShippedPatternPrints() {
    java.util.Random r = new java.util.Random(21);
    java.util.logging.Formatter jul = formatter(SHIPPED);
    for (int i = 0; i < 10_000; i++) {
      long millis = i == 0 ? 0 : (long) (r.nextDouble() * 4_102_444_800_000L); // up to 2100
      LogRecord rec = new LogRecord(java.util.logging.Level.INFO, "method=GET path=\"/x\" i=" + i);
      rec.setLoggerName("io.meshcast.adapter.access");
      rec.setInstant(java.time.Instant.ofEpochMilli(millis));
      assertThat(ConsoleLines.line(new StringBuilder(), millis, rec.getLoggerName(),
          rec.getMessage()).toString()).as("%d ms", millis).isEqualTo(jul.format(rec));
    }
  }

  @Test
  void consolePath_appliesOnlyToOneConsoleHandlerPrintingTheSameLines() {
    // A private tree: "t.console" holds the handler and passes nothing further up.
    Logger top = Logger.getLogger("io.meshcast.test.console");
    Logger access = Logger.getLogger("io.meshcast.test.console.access");
    java.util.logging.ConsoleHandler console = new java.util.logging.ConsoleHandler();
    console.setFormatter(formatter(SHIPPED));
    top.setUseParentHandlers(false);
    top.addHandler(console);
    try {
      assertThat(ConsoleLines.applies(access)).as("shipped set-up").isTrue();

      console.setFormatter(formatter("%4$s %3$s %5$s%n"));
      assertThat(ConsoleLines.applies(access)).as("another format").isFalse();
      console.setFormatter(formatter(SHIPPED));

      console.setLevel(java.util.logging.Level.WARNING);
      assertThat(ConsoleLines.applies(access)).as("handler drops INFO").isFalse();
      console.setLevel(java.util.logging.Level.INFO);

      Handler extra = new java.util.logging.StreamHandler();
      access.addHandler(extra);
      assertThat(ConsoleLines.applies(access)).as("a handler of its own").isFalse();
      access.removeHandler(extra);

      top.setUseParentHandlers(true);
      assertThat(ConsoleLines.applies(access)).as("records also go further up").isFalse();
      top.setUseParentHandlers(false);

      access.setFilter(rec -> true);
      assertThat(ConsoleLines.applies(access)).as("a filter").isFalse();
      access.setFilter(null);

      assertThat(ConsoleLines.applies(access)).as("restored").isTrue();
    } finally {
      top.removeHandler(console);
      top.setUseParentHandlers(true);
    }
  }
}
