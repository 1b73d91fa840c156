package io.meshcast.loadtest.serving;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Max-throughput measurement with Debian's {@code wrk} (closed loop, C, far cheaper per request
 * than a JVM client, which matters when client and server share two cores). The request mix is
 * replayed by a generated Lua {@code request()} function cycling through the paths.
 */
final class Wrk {

  /** Requests per second (all responses), non-2xx/3xx responses and socket errors. */
  record Result(double requestsPerSecond, long requests, long non2xx, long socketErrors) {}

  private static final Path BINARY = Path.of("/usr/bin/wrk");
  private static final Pattern RPS = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
  private static final Pattern TOTAL = Pattern.compile("(\\d+) requests in");
  private static final Pattern NON2XX = Pattern.compile("Non-2xx or 3xx responses:\\s+(\\d+)");
  private static final Pattern SOCKET =
      Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");

  private Wrk() {}

  static boolean available() {
    return Files.isExecutable(BINARY);
  }

  /** Runs wrk against https://127.0.0.1:port for {@code duration}; bounded by a hard timeout. */
  static Result run(int port, List<String> paths, int threads, int connections, Duration duration,
      Path workDir) throws IOException, InterruptedException {
    Files.createDirectories(workDir);
    Path script = workDir.resolve("mix.lua");
    String list = paths.stream().map(p -> "  \"" + p.replace("\"", "") + "\"")
        .collect(Collectors.joining(",\n"));
    Files.writeString(script, String.join("\n",
        "local paths = {", list, "}",
        "local i = 0",
        "local headers = { [\"Accept\"] = \"" + LoadGenerator.ACCEPT + "\" }",
        "request = function()",
        "  i = i % #paths + 1",
        "  return wrk.format(\"GET\", paths[i], headers)",
        "end", ""), StandardCharsets.UTF_8);
    Path out = workDir.resolve("wrk.out");
    long seconds = Math.max(1, duration.toSeconds());
    Process p = new ProcessBuilder(BINARY.toString(), "-t" + threads, "-c" + connections,
        "-d" + seconds + "s", "--timeout", "5s", "-s", script.toString(),
        "https://127.0.0.1:" + port)
        .redirectErrorStream(true)
        .redirectOutput(out.toFile())
        .start();
    if (!p.waitFor(seconds + 30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException("wrk did not finish within " + (seconds + 30) + " s");
    }
    String text = Files.readString(out);
    if (p.exitValue() != 0) {
      throw new IOException("wrk exited with " + p.exitValue() + ": " + text);
    }
    return parse(text);
  }

  static Result parse(String text) throws IOException {
    Matcher rps = RPS.matcher(text);
    Matcher total = TOTAL.matcher(text);
    if (!rps.find() || !total.find()) {
      throw new IOException("cannot read wrk output: " + text);
    }
    Matcher non2xx = NON2XX.matcher(text);
    Matcher socket = SOCKET.matcher(text);
    long sock = 0;
    if (socket.find()) {
      for (int g = 1; g <= 4; g++) {
        sock += Long.parseLong(socket.group(g));
      }
    }
    return new Result(Double.parseDouble(rps.group(1)), Long.parseLong(total.group(1)),
        non2xx.find() ? Long.parseLong(non2xx.group(1)) : 0, sock);
  }
}
