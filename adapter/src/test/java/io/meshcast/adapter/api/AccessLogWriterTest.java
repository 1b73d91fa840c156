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
}
