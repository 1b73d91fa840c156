package io.meshcast.adapter.debug;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.meshcast.adapter.cli.RunningAdapter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/**
 * A plain-HTTP proxy on 127.0.0.1 (free port) in front of a running adapter's {@code /debug}
 * pages that answers {@code /debug/graph} from {@code debug/graph-fixture.json} (the demo mesh
 * has no outbound traffic, so its own graph is empty or absent); every other request goes to
 * the adapter unchanged. Lets the page's service map be
 * tested in a real browser against the real cards.
 */
final class GraphFixtureProxy implements AutoCloseable {

  private final HttpServer server;

  GraphFixtureProxy(RunningAdapter adapter) throws IOException {
    byte[] fixture;
    try (InputStream in = GraphFixtureProxy.class.getResourceAsStream(
        "/debug/graph-fixture.json")) {
      fixture = in.readAllBytes();
    }
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", ex -> {
      try (ex) {
        String path = ex.getRequestURI().getRawPath()
            + (ex.getRequestURI().getRawQuery() == null ? "" : "?"
                + ex.getRequestURI().getRawQuery());
        if (ex.getRequestURI().getPath().equals("/debug/graph")) {
          send(ex, 200, "application/json", fixture);
        } else {
          HttpResponse<String> r = adapter.get(path);
          send(ex, r.statusCode(), r.headers().firstValue("Content-Type").orElse("text/plain"),
              r.body().getBytes(StandardCharsets.UTF_8));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        send(ex, 502, "text/plain", "interrupted".getBytes(StandardCharsets.UTF_8));
      }
    });
    server.start();
  }

  private static void send(HttpExchange ex, int status, String type, byte[] body)
      throws IOException {
    ex.getResponseHeaders().set("Content-Type", type);
    ex.getResponseHeaders().set("Cache-Control", "no-cache");
    ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    }
  }

  /** The proxied URL of {@code path}, e.g. {@code /debug/}. */
  String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
