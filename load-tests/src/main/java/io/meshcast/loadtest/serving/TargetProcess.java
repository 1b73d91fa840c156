package io.meshcast.loadtest.serving;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A {@code serving-target} in a child JVM: started with the harness's own classpath, spoken to
 * over stdin/stdout, its stderr kept in a log file. Memory is read from outside ({@code
 * /proc/<pid>/status} VmRSS) and from inside (heap after a forced full GC).
 */
final class TargetProcess implements AutoCloseable {

  /** Memory of the target: resident set and heap retained after a full GC, in bytes. */
  record Memory(long rssBytes, long heapAfterGcBytes, long heapCommittedBytes) {}

  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

  private final Process process;
  private final Writer stdin;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final int port;
  private final String name;

  private TargetProcess(String name, Process process, Duration startTimeout)
      throws IOException, InterruptedException {
    this.name = name;
    this.process = process;
    this.stdin = process.outputWriter(StandardCharsets.UTF_8);
    Thread reader = new Thread(this::pump, name + "-stdout");
    reader.setDaemon(true);
    reader.start();
    String ready = await("READY ", startTimeout);
    this.port = Integer.parseInt(ready.substring(ready.indexOf("port=") + 5).trim());
  }

  /** Starts {@code serving-target} with the given JVM flags and command arguments. */
  static TargetProcess start(String name, List<String> jvmArgs, List<String> args, Path log)
      throws IOException, InterruptedException {
    return start(name, jvmArgs, args, log, START_TIMEOUT);
  }

  /** As above, waiting up to {@code startTimeout} for READY (a pipeline target bootstraps). */
  static TargetProcess start(String name, List<String> jvmArgs, List<String> args, Path log,
      Duration startTimeout) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmArgs);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("io.meshcast.loadtest.Main");
    cmd.add("serving-target");
    cmd.addAll(args);
    Files.createDirectories(log.getParent());
    Process p = new ProcessBuilder(cmd)
        .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .start();
    try {
      return new TargetProcess(name, p, startTimeout);
    } catch (IOException | RuntimeException | InterruptedException e) {
      p.destroyForcibly();
      throw e;
    }
  }

  int port() {
    return port;
  }

  long pid() {
    return process.pid();
  }

  /** Forces a full GC in the target and reads its heap and RSS. */
  Memory memory() throws IOException, InterruptedException {
    stdin.write("mem\n");
    stdin.flush();
    String line = await("MEM ", Duration.ofSeconds(30));
    long heap = field(line, "heapAfterGc=");
    long committed = field(line, "heapCommitted=");
    return new Memory(rssBytes(process.pid()), heap, committed);
  }

  /** Sends a command line and returns the answer line starting with {@code prefix}. */
  String ask(String command, String prefix) throws IOException, InterruptedException {
    stdin.write(command + "\n");
    stdin.flush();
    return await(prefix, Duration.ofSeconds(30));
  }

  /** VmRSS of a process, from /proc (Linux). */
  static long rssBytes(long pid) throws IOException {
    for (String l : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
      if (l.startsWith("VmRSS:")) {
        String kb = l.substring(6).trim().split("\\s+")[0];
        return Long.parseLong(kb) * 1024;
      }
    }
    throw new IOException("no VmRSS in /proc/" + pid + "/status");
  }

  private static long field(String line, String key) {
    int i = line.indexOf(key) + key.length();
    int end = line.indexOf(' ', i);
    return Long.parseLong(end < 0 ? line.substring(i) : line.substring(i, end));
  }

  private String await(String prefix, Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      String line = lines.poll(Math.max(0, left), TimeUnit.NANOSECONDS);
      if (line == null) {
        throw new IOException(name + ": no '" + prefix.trim() + "' line within " + timeout
            + (process.isAlive() ? "" : " (exited with " + process.exitValue() + ")"));
      }
      if (line.startsWith(prefix)) {
        return line;
      }
    }
  }

  private void pump() {
    try (BufferedReader r = process.inputReader(StandardCharsets.UTF_8)) {
      for (String l; (l = r.readLine()) != null; ) {
        lines.add(l);
      }
    } catch (IOException e) {
      // the process is gone; await() reports it
    }
  }

  @Override
  public void close() throws InterruptedException {
    try {
      stdin.write("quit\n");
      stdin.close();
    } catch (IOException e) {
      // already gone
    }
    if (!process.waitFor(15, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }
}
