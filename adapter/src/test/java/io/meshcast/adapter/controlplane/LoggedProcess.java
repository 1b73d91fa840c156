package io.meshcast.adapter.controlplane;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A child process of the control-plane scenario whose stdout and stderr go to one log file, so a
 * failure can show what it said. {@link #close()} asks it to stop (SIGTERM), then kills it.
 */
final class LoggedProcess implements AutoCloseable {

  private final String name;
  private final Process process;
  private final Path log;

  private LoggedProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  static LoggedProcess start(String name, Path log, Map<String, String> env, List<String> command)
      throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    pb.environment().putAll(env);
    return new LoggedProcess(name, pb.start(), log);
  }

  String name() {
    return name;
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** Fails with the log tail when the process has exited (it should run until closed). */
  void requireAlive() {
    if (!process.isAlive()) {
      throw new IllegalStateException(name + " exited with code " + process.exitValue() + ":\n"
          + tail(40));
    }
  }

  /** The last {@code lines} lines of the log. */
  String tail(int lines) {
    try {
      List<String> all = read().lines().toList();
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  /** Whether the log contains {@code text} (e.g. a line the scenario waits for). */
  boolean logContains(String text) {
    try {
      return read().contains(text);
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Distinct log lines matching {@code filter}, digits masked so that lines differing only in
   * timestamps or counts collapse, each with how often it occurred.
   */
  String distinctLines(java.util.function.Predicate<String> filter, int max) {
    java.util.Map<String, Integer> seen = new java.util.LinkedHashMap<>();
    java.util.Map<String, String> example = new java.util.HashMap<>();
    try {
      read().lines().filter(filter).forEach(l -> {
        String key = l.replaceAll("[0-9]+", "#");
        seen.merge(key, 1, Integer::sum);
        example.putIfAbsent(key, l);
      });
    } catch (IOException e) {
      return " (no log: " + e + ")";
    }
    StringBuilder sb = new StringBuilder();
    seen.entrySet().stream().limit(max).forEach(e -> sb.append("\n    ").append(e.getValue())
        .append("x ").append(example.get(e.getKey())));
    return seen.isEmpty() ? " none" : sb.toString();
  }

  private String read() throws IOException {
    // Decoded leniently: a stray byte in a log must not hide the rest of it.
    return new String(Files.readAllBytes(log), StandardCharsets.UTF_8);
  }

  /** SIGTERM, 15 s to exit, then SIGKILL; prints how long the graceful part took. */
  @Override
  public void close() {
    if (!process.isAlive()) {
      return;
    }
    long t0 = System.nanoTime();
    process.destroy();
    try {
      if (process.waitFor(15, TimeUnit.SECONDS)) {
        System.out.printf(java.util.Locale.ROOT, "controlplane: %s exited %.1f s after SIGTERM%n",
            name, (System.nanoTime() - t0) / 1e9);
      } else {
        System.out.println("controlplane: " + name + " still running 15 s after SIGTERM, killed");
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
