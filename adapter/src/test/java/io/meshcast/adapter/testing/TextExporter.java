package io.meshcast.adapter.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.DoubleSupplier;

/**
 * A minimal Prometheus exporter for tests: any number of targets ({@code /t/<name>}), each with
 * gauges and counters whose values are computed at scrape time (a counter at a constant rate grows
 * linearly, so {@code rate()} over it is known). Binds 127.0.0.1 on a free port.
 */
public final class TextExporter implements AutoCloseable {

  private final HttpServer server;
  private final Map<String, List<Line>> targets = new ConcurrentHashMap<>();
  private final long t0 = System.nanoTime();

  private record Line(String type, String name, String labels, DoubleSupplier value) {}

  private TextExporter(HttpServer server) {
    this.server = server;
  }

  public static TextExporter start() throws IOException {
    HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    TextExporter e = new TextExporter(s);
    s.createContext("/t/", x -> {
      String name = x.getRequestURI().getPath().substring(3);
      List<Line> lines = e.targets.get(name);
      byte[] body = e.render(lines == null ? List.of() : lines).getBytes(StandardCharsets.UTF_8);
      x.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4");
      x.sendResponseHeaders(lines == null ? 404 : 200, body.length);
      try (OutputStream o = x.getResponseBody()) {
        o.write(body);
      }
    });
    s.start();
    return e;
  }

  /** A counter growing at {@code perSecond} since the exporter started. */
  public TextExporter counter(String target, String name, String labels, double perSecond) {
    return add(target, new Line("counter", name, labels,
        () -> perSecond * (System.nanoTime() - t0) / 1e9));
  }

  public TextExporter gauge(String target, String name, String labels, double value) {
    return add(target, new Line("gauge", name, labels, () -> value));
  }

  /** A scrape target for {@code target} with the given target labels. */
  public ScrapeTarget target(String target, Map<String, String> labels) {
    return new ScrapeTarget("127.0.0.1:" + server.getAddress().getPort(), "/t/" + target, labels);
  }

  private TextExporter add(String target, Line l) {
    targets.computeIfAbsent(target, k -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(l);
    return this;
  }

  private String render(List<Line> lines) {
    StringBuilder b = new StringBuilder();
    List<String> typed = new ArrayList<>();
    List<Line> sorted = new ArrayList<>(lines);
    sorted.sort(java.util.Comparator.comparing(Line::name)); // a family's lines are contiguous
    for (Line l : sorted) {
      if (!typed.contains(l.name())) {
        typed.add(l.name());
        b.append("# TYPE ").append(l.name()).append(' ').append(l.type()).append('\n');
      }
      b.append(l.name()).append(l.labels().isEmpty() ? "" : "{" + l.labels() + "}").append(' ')
          .append(l.value().getAsDouble()).append('\n');
    }
    return b.toString();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
