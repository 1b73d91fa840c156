package io.meshcast.adapter.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class ConfigWatcherTest {

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  @Test
  void changedFile_valid_isApplied_invalid_isReportedAndIgnored(@TempDir Path dir)
      throws Exception {
    Path f = dir.resolve("c.yaml");
    Files.writeString(f, "prometheus: {url: \"http://a:9090\"}\n");
    List<AdapterConfig> applied = new CopyOnWriteArrayList<>();
    ConfigWatcher w = ConfigWatcher.start(vertx, f, Clock.systemUTC(), Duration.ofHours(1),
        applied::add);

    check(w);
    assertThat(applied).isEmpty(); // unchanged content

    Files.writeString(f, "prometheus: {url: \"http://b:9090\"}\n");
    check(w);
    assertThat(applied).singleElement()
        .satisfies(c -> assertThat(c.prometheus().url().getHost()).isEqualTo("b"));
    assertThat(w.lastError()).isEmpty();

    Files.writeString(f, "prometheus: {url: \"http://c:9090\", timeout: soon}\n");
    check(w);
    assertThat(applied).hasSize(1);
    assertThat(w.lastError()).get().extracting(ConfigWatcher.Failure::message).asString()
        .contains("prometheus.timeout").contains("soon");

    Files.writeString(f, "prometheus: {url: \"http://d:9090\"}\n");
    check(w);
    assertThat(applied).hasSize(2);
    assertThat(w.lastError()).isEmpty();
    w.close();
  }

  private static void check(ConfigWatcher w) throws Exception {
    w.check().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
