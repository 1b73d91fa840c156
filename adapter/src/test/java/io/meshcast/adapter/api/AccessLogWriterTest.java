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
}
