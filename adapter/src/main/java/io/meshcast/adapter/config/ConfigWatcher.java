package io.meshcast.adapter.config;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Re-reads the configuration file when its content changes and hands valid new configs to a
 * listener. A file that fails validation leaves the current config in force; the failure is
 * logged and kept in {@link #lastError()} until a valid file appears.
 *
 * <p>Polls the content digest rather than using a {@code WatchService}: Kubernetes ConfigMap
 * volumes change by swapping a symlink, which inotify-based watchers on the file itself miss.
 * Reads happen on a worker thread. Thread-safe.
 */
public final class ConfigWatcher {

  private static final Logger LOG = Logger.getLogger(ConfigWatcher.class.getName());

  /** A rejected file: when and why. */
  public record Failure(Instant at, String message) {}

  private final Vertx vertx;
  private final Path file;
  private final Clock clock;
  private final Consumer<AdapterConfig> onChange;
  private final java.util.function.Function<Path, AdapterConfig> loader;
  private final long timerId;
  private volatile byte[] digest;
  private volatile Failure lastError;
  private volatile boolean checking;

  private ConfigWatcher(
      Vertx vertx, Path file, Clock clock, Duration every,
      java.util.function.Function<Path, AdapterConfig> loader, Consumer<AdapterConfig> onChange) {
    this.vertx = vertx;
    this.loader = loader;
    this.file = file;
    this.clock = clock;
    this.onChange = onChange;
    this.digest = digestOf(file);
    this.timerId = vertx.setPeriodic(every.toMillis(), id -> check());
  }

  /**
   * Starts watching {@code file}, whose current content is assumed to be already loaded.
   *
   * @param onChange called on a worker thread with each valid new config
   */
  public static ConfigWatcher start(
      Vertx vertx, Path file, Clock clock, Duration every, Consumer<AdapterConfig> onChange) {
    return new ConfigWatcher(vertx, file, clock, every, ConfigLoader::load, onChange);
  }

  /** The same, reading the file with {@code loader} (e.g. with a --prometheus-url override). */
  public static ConfigWatcher start(
      Vertx vertx, Path file, Clock clock, Duration every,
      java.util.function.Function<Path, AdapterConfig> loader, Consumer<AdapterConfig> onChange) {
    return new ConfigWatcher(vertx, file, clock, every, loader, onChange);
  }

  /** The last rejected file, until a valid one replaces it. */
  public Optional<Failure> lastError() {
    return Optional.ofNullable(lastError);
  }

  /** Checks the file now (also called by the timer). */
  public Future<Void> check() {
    if (checking) {
      return Future.succeededFuture();
    }
    checking = true;
    return vertx
        .<Void>executeBlocking(() -> {
          byte[] now = digestOf(file);
          if (now == null || Arrays.equals(now, digest)) {
            return null;
          }
          digest = now;
          try {
            AdapterConfig cfg = loader.apply(file);
            lastError = null;
            LOG.info("configuration " + file + " changed; applying it");
            onChange.accept(cfg);
          } catch (ConfigException e) {
            lastError = new Failure(clock.instant(), e.getMessage());
            LOG.log(Level.WARNING, "configuration " + file
                + " changed but is invalid; keeping the previous configuration: " + e.getMessage());
          }
          return null;
        })
        .eventually(() -> {
          checking = false;
          return Future.succeededFuture();
        });
  }

  public void close() {
    vertx.cancelTimer(timerId);
  }

  private static byte[] digestOf(Path file) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
    } catch (IOException e) {
      return null; // mid-swap or deleted: keep the current config, look again next tick
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
