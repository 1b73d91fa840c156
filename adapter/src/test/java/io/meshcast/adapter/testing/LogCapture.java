package io.meshcast.adapter.testing;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Collects the log lines of one class (java.util.logging, which slf4j-jdk14 also feeds) so a test
 * can wait for the event it tests, e.g. {@code event=tls_certificate_reload_failed}, instead of
 * sleeping and hoping the event happened. Thread-safe; close it to detach.
 */
public final class LogCapture implements AutoCloseable {

  private final Logger logger;
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final Handler handler = new Handler() {
    @Override
    public void publish(LogRecord r) {
      lines.add(r.getMessage());
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };

  private LogCapture(Class<?> source) {
    // Kept strongly reachable in this field: JUL holds loggers weakly.
    this.logger = Logger.getLogger(source.getName());
    handler.setLevel(Level.ALL);
    logger.addHandler(handler);
  }

  /** Starts capturing what {@code source} logs. */
  public static LogCapture of(Class<?> source) {
    return new LogCapture(source);
  }

  /** The lines captured so far. */
  public List<String> lines() {
    return List.copyOf(lines);
  }

  /** Waits until a captured line contains {@code text}; fails after {@code limit}. */
  public String await(String text, Duration limit) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (true) {
      for (String line : lines) {
        if (line != null && line.contains(text)) {
          return line;
        }
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no log line containing \"" + text + "\" within " + limit
            + "; captured: " + lines);
      }
      Thread.sleep(20);
    }
  }

  @Override
  public void close() {
    logger.removeHandler(handler);
  }
}
