package io.meshcast.adapter;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.spi.logging.LogDelegate;
import io.vertx.core.spi.logging.LogDelegateFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * One logging API (java.util.logging) for meshcast's code, and the third-party records routed
 * into the same JUL loggers, so one handler and one format (LogFormat) cover all of them.
 */
final class LoggingApiTest {

  @Test
  void mainSources_logThroughJulOnly() throws IOException {
    List<String> offenders;
    try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
      offenders = files.filter(f -> f.toString().endsWith(".java"))
          .filter(f -> read(f).contains("org.slf4j") || read(f).contains("System.Logger"))
          .map(Path::toString).toList();
    }
    assertThat(offenders).as("main sources naming another logging API").isEmpty();
  }

  @Test
  void fabric8sSlf4jRecords_reachTheJulLoggerOfTheSameName() {
    String name = "io.fabric8.meshcast.LoggingApiTest";
    try (Capture c = new Capture(name)) {
      org.slf4j.LoggerFactory.getLogger(name).warn("watch failed: {}", "410 Gone");
      assertThat(c.records).singleElement().satisfies(r -> {
        assertThat(r.getLevel()).isEqualTo(Level.WARNING);
        assertThat(r.getMessage()).isEqualTo("watch failed: 410 Gone");
      });
    }
  }

  @Test
  void vertxsBackEndChosenByLogFormat_logsToJul() throws Exception {
    String name = "io.vertx.meshcast.LoggingApiTest";
    LogDelegateFactory factory = (LogDelegateFactory) Class.forName(LogFormat.VERTX_JUL)
        .getDeclaredConstructor().newInstance();
    assertThat(factory.isAvailable()).isTrue();
    try (Capture c = new Capture(name)) {
      LogDelegate vertx = factory.createDelegate(name);
      vertx.error("event loop blocked");
      assertThat(c.records).singleElement().satisfies(r -> {
        assertThat(r.getLevel()).isEqualTo(Level.SEVERE);
        assertThat(r.getMessage()).isEqualTo("event loop blocked");
      });
    }
  }

  private static String read(Path f) {
    try {
      return Files.readString(f);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The records one JUL logger receives while open. */
  private static final class Capture extends Handler implements AutoCloseable {
    final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Logger logger; // held strongly: JUL keeps loggers weakly

    Capture(String name) {
      logger = Logger.getLogger(name);
      setLevel(Level.ALL);
      logger.addHandler(this);
    }

    @Override
    public void publish(LogRecord r) {
      records.add(r);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {
      logger.removeHandler(this);
    }
  }
}
