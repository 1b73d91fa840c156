package io.meshcast.adapter.tls;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Bounds how long an HTTP/1.x connection may take to deliver a complete request head
 * (slowloris defence). Vert.x's idle timeouts only fire when no byte arrives at all, so a client
 * trickling one header byte every few seconds could otherwise hold a connection for hours.
 *
 * <p>A connection is closed if {@code deadline} passes between its opening (or the end of its
 * previous response) and the arrival of the next complete request head. Usage: {@code
 * server.connectionHandler(guard.connectionHandler()).requestHandler(guard.wrap(router))}.
 * Thread-safe; timers run on the connection's event loop. HTTP/2 connections are not tracked.
 */
public final class HeaderDeadline {

  private final Vertx vertx;
  private final long deadlineMillis;
  private final Map<HttpConnection, Long> timers = new ConcurrentHashMap<>();

  private HeaderDeadline(Vertx vertx, Duration deadline) {
    this.vertx = vertx;
    this.deadlineMillis = deadline.toMillis();
  }

  /**
   * @throws IllegalArgumentException if the deadline is not positive
   */
  public static HeaderDeadline create(Vertx vertx, Duration deadline) {
    Objects.requireNonNull(vertx, "vertx");
    Objects.requireNonNull(deadline, "deadline");
    if (deadline.toMillis() <= 0) {
      throw new IllegalArgumentException("deadline must be positive, got " + deadline);
    }
    return new HeaderDeadline(vertx, deadline);
  }

  /** Install with {@code HttpServer.connectionHandler}. */
  public Handler<HttpConnection> connectionHandler() {
    return conn -> {
      arm(conn);
      conn.closeHandler(v -> disarm(conn));
    };
  }

  /** Wraps the server's request handler. */
  public Handler<HttpServerRequest> wrap(Handler<HttpServerRequest> next) {
    Objects.requireNonNull(next, "next");
    return req -> {
      HttpConnection conn = req.connection();
      if (conn != null) {
        disarm(conn);
        if (req.version() != HttpVersion.HTTP_2) {
          req.response().endHandler(v -> arm(conn));
        }
      }
      next.handle(req);
    };
  }

  /** Connections currently waiting for a request head (for tests and metrics). */
  public int pendingConnections() {
    return timers.size();
  }

  private void arm(HttpConnection conn) {
    long id = vertx.setTimer(deadlineMillis, t -> {
      if (timers.remove(conn, t)) {
        conn.close();
      }
    });
    Long previous = timers.put(conn, id);
    if (previous != null) {
      vertx.cancelTimer(previous);
    }
  }

  private void disarm(HttpConnection conn) {
    Long id = timers.remove(conn);
    if (id != null) {
      vertx.cancelTimer(id);
    }
  }
}
