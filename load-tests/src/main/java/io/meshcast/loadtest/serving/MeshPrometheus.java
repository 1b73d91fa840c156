package io.meshcast.loadtest.serving;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A PromQL endpoint on 127.0.0.1 serving a {@link PipelineMesh} to the real Kuma pipeline of a
 * {@code serving-target --mode pipeline}: instant queries grouped by pod get one row per pod,
 * others one row per service; range queries (model bootstrap) get the same rows as matrices over
 * the asked range. It does not evaluate PromQL: every signal gets the same shape of values (the
 * adapter's cost does not depend on them), the coverage companion gets no rows (the adapter then
 * serves windows unchecked and says so once in its log).
 *
 * <p>It runs on the JDK's HTTP server with its own two threads, not on Vert.x, so that rendering
 * answers (megabytes at 100k series) never runs on the adapter's event loops, and answers are
 * streamed in chunks rather than built whole, so its transient heap stays small.
 */
final class MeshPrometheus implements AutoCloseable {

  private final PipelineMesh mesh;
  private final HttpServer server;
  private final ExecutorService threads = Executors.newFixedThreadPool(2, r -> {
    Thread t = new Thread(r, "mesh-prometheus");
    t.setDaemon(true);
    return t;
  });
  private final AtomicLong instantQueries = new AtomicLong();
  private final AtomicLong serviceRangeQueries = new AtomicLong();
  private final AtomicLong podRangeQueries = new AtomicLong();

  private MeshPrometheus(PipelineMesh mesh) throws IOException {
    this.mesh = mesh;
    this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
    server.createContext("/api/v1/", this::handle);
    server.setExecutor(threads);
    server.start();
  }

  static MeshPrometheus start(PipelineMesh mesh) throws IOException {
    return new MeshPrometheus(mesh);
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Counts, for the target's STATS line: instant queries, service and pod range queries. */
  String counts() {
    return "promInstantQueries=" + instantQueries.get() + " promServiceRangeQueries="
        + serviceRangeQueries.get() + " promPodRangeQueries=" + podRangeQueries.get();
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      Map<String, String> p = params(ex);
      String query = p.getOrDefault("query", "");
      boolean range = ex.getRequestURI().getPath().endsWith("/query_range");
      boolean byPod = query.contains("pod");
      ex.getResponseHeaders().set("Content-Type", "application/json");
      ex.sendResponseHeaders(200, 0);
      try (OutputStream out = new java.io.BufferedOutputStream(ex.getResponseBody(), 1 << 16)) {
        if (query.contains("meshcast_part")) {
          instantQueries.incrementAndGet();
          write(out, "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}");
        } else if (range) {
          (byPod ? podRangeQueries : serviceRangeQueries).incrementAndGet();
          double start = Double.parseDouble(p.get("start"));
          double end = Double.parseDouble(p.get("end"));
          double step = Double.parseDouble(p.get("step"));
          rows(out, byPod, "matrix", (i, sb) -> {
            sb.append("\"values\":[");
            long points = (long) Math.floor((end - start) / step + 1e-9) + 1;
            for (long k = 0; k < points; k++) {
              double t = start + k * step;
              sb.append(k == 0 ? "" : ",").append('[').append(secs(t)).append(",\"")
                  .append(fmt(value(i, byPod, t))).append("\"]");
            }
            sb.append(']');
          });
        } else {
          instantQueries.incrementAndGet();
          double t = p.containsKey("time") ? Double.parseDouble(p.get("time"))
              : System.currentTimeMillis() / 1000.0;
          rows(out, byPod, "vector", (i, sb) -> sb.append("\"value\":[").append(secs(t))
              .append(",\"").append(fmt(value(i, byPod, t))).append("\"]"));
        }
      }
    } catch (RuntimeException e) {
      // The adapter sees a truncated answer and reports it; never kill the server thread.
      System.err.println("mesh-prometheus: " + e);
    }
  }

  /** Renders one row per pod or service, flushing every few hundred rows. */
  private void rows(OutputStream out, boolean byPod, String type,
      java.util.function.BiConsumer<Integer, StringBuilder> values) {
    write(out, "{\"status\":\"success\",\"data\":{\"resultType\":\"" + type + "\",\"result\":[");
    StringBuilder sb = new StringBuilder(1 << 16);
    int row = 0;
    for (int s = 0; s < mesh.services().size(); s++) {
      SyntheticMesh.Service svc = mesh.services().get(s);
      int n = byPod ? svc.pods() : 1;
      for (int k = 0; k < n; k++) {
        sb.append(row == 0 ? "" : ",").append("{\"metric\":{\"kuma_io_service\":\"")
            .append(PipelineMesh.kumaService(svc)).append('"');
        if (byPod) {
          sb.append(",\"namespace\":\"").append(svc.namespace()).append("\",\"pod\":\"")
              .append(PipelineMesh.pod(svc, k)).append("\",\"app\":\"").append(svc.name())
              .append('"');
        }
        sb.append("},");
        values.accept(byPod ? s * mesh.podsPerService() + k : s, sb);
        sb.append('}');
        row++;
        if (sb.length() > 60_000) {
          write(out, sb);
          sb.setLength(0);
        }
      }
    }
    sb.append("]}}");
    write(out, sb);
  }

  private double value(int i, boolean byPod, double t) {
    return byPod ? PipelineMesh.serviceValue(i / mesh.podsPerService(), t) / mesh.podsPerService()
        : PipelineMesh.serviceValue(i, t);
  }

  /** A value as Prometheus writes it: a decimal string (Java's form parses the same way). */
  private static String fmt(double v) {
    return Double.toString(v);
  }

  /** A timestamp in seconds with millisecond decimals, never in exponent form. */
  private static String secs(double t) {
    long ms = Math.round(t * 1000);
    long frac = ms % 1000;
    return (ms / 1000) + "." + (frac < 10 ? "00" : frac < 100 ? "0" : "") + frac;
  }

  private static void write(OutputStream out, CharSequence s) {
    try {
      out.write(s.toString().getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Map<String, String> params(HttpExchange ex) throws IOException {
    Map<String, String> out = new HashMap<>();
    parse(ex.getRequestURI().getRawQuery(), out);
    parse(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8), out);
    return out;
  }

  private static void parse(String form, Map<String, String> out) {
    if (form == null || form.isEmpty()) {
      return;
    }
    for (String kv : form.split("&")) {
      int eq = kv.indexOf('=');
      if (eq > 0) {
        out.put(URLDecoder.decode(kv.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
