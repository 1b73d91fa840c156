package io.meshcast.adapter.api;

import io.meshcast.adapter.auth.AuthHandler;
import io.meshcast.adapter.auth.UserInfo;
import io.meshcast.adapter.http.RequestInfo;
import io.meshcast.adapter.observability.ApiMetrics;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * First handler of every request: when the response ends, writes one access-log line (method,
 * path, code, duration, user once authentication has set one) and records the API metrics.
 *
 * <p>Lines are written by one daemon thread ({@code meshcast-access-log}), never on the event
 * loop: a console handler writes to stderr synchronously, and a slow reader of the pod's log pipe
 * stalled the event loop for tens of milliseconds per line (issue 14, measured with the serving
 * benchmark's blocked-thread checker). The queue is bounded ({@value Writer#CAPACITY} lines);
 * lines beyond it are dropped and counted, and the writer logs the count once it catches up
 * ({@code event=access_log_dropped}). While the logging set-up is the shipped one, the writer
 * prints lines in batches straight to stderr, exactly as JUL would ({@link ConsoleLines}).
 */
final class AccessLog implements Handler<RoutingContext> {

  private static final Logger LOG = Logger.getLogger("io.meshcast.adapter.access");

  private final ApiMetrics metrics;
  private final boolean enabled;

  AccessLog(ApiMetrics metrics, boolean enabled) {
    this.metrics = metrics;
    this.enabled = enabled;
  }

  @Override
  public void handle(RoutingContext ctx) {
    long start = System.nanoTime();
    ctx.addEndHandler(
        ar -> {
          long nanos = System.nanoTime() - start;
          int code = ctx.response().getStatusCode();
          String route = ctx.get(MetricsApiHandler.ROUTE_KEY, "other");
          RequestInfo info = RequestInfo.of(ctx);
          metrics.record(route, versionOf(info.rawPath()), code, nanos);
          if (enabled && LOG.isLoggable(Level.INFO)) {
            UserInfo userInfo = ctx.get(AuthHandler.USER_KEY);
            String user = userInfo == null ? "-" : userInfo.name();
            Writer.INSTANCE.offer(line(info.method(),
                RequestInfo.abbreviate(info.target()).replace("\"", "%22"), code, nanos, user,
                ctx.request().remoteAddress()));
          }
        });
    ctx.next();
  }

  /**
   * One line: {@code method=GET path="…" code=200 duration_ms=0.123 user="…" remote=…}. Built
   * with a StringBuilder on the event loop, not {@code String.format} (whose pattern parsing was
   * 5 % of the event loop's samples in the serving benchmark's profile); the duration is rounded
   * half up to the microsecond, as {@code %.3f} of the milliseconds.
   */
  static String line(String method, String path, int code, long nanos, String user,
      Object remote) {
    StringBuilder b = new StringBuilder(96 + path.length());
    b.append("method=").append(method).append(" path=\"").append(path).append("\" code=")
        .append(code).append(" duration_ms=");
    long micros = (Math.max(nanos, 0) + 500) / 1000;
    long frac = micros % 1000;
    b.append(micros / 1000).append('.').append(frac < 100 ? (frac < 10 ? "00" : "0") : "")
        .append(frac);
    return b.append(" user=\"").append(user).append("\" remote=").append(remote).toString();
  }

  /** The access log's own thread and its bounded queue. */
  static final class Writer {
    static final int CAPACITY = 10_000;
    static final Writer INSTANCE = new Writer();

    /** How long the writer sleeps when the queue is empty: lines wait at most this long. */
    private static final long IDLE_MILLIS = 20;
    /** A batch ends at about this many characters (one write each on the fast path). */
    private static final int BATCH_CHARS = 1 << 16;

    // Lock-free: the event loop only appends (no lock hand-off, no unpark system call per line,
    // which showed up in blocked-thread stacks under load); the writer polls.
    private final java.util.Queue<String> lines =
        new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final java.util.concurrent.atomic.AtomicInteger size =
        new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicLong dropped =
        new java.util.concurrent.atomic.AtomicLong();

    private Writer() {
      Thread t = new Thread(this::drain, "meshcast-access-log");
      t.setDaemon(true);
      t.start();
    }

    void offer(String line) {
      if (size.incrementAndGet() > CAPACITY) {
        size.decrementAndGet();
        dropped.incrementAndGet();
        return;
      }
      lines.add(line);
    }

    /** Lines dropped so far because the queue was full. */
    long dropped() {
      return dropped.get();
    }

    private void drain() {
      long reported = 0;
      StringBuilder batch = new StringBuilder(BATCH_CHARS + 512);
      while (true) {
        String line = lines.poll();
        if (line == null) {
          try {
            Thread.sleep(IDLE_MILLIS);
          } catch (InterruptedException e) {
            return;
          }
          continue;
        }
        try {
          if (ConsoleLines.applies(LOG)) {
            // What JUL would print, written once per batch instead of formatted and flushed per
            // line (ConsoleLines says why and when).
            batch.setLength(0);
            do {
              size.decrementAndGet();
              ConsoleLines.line(batch, System.currentTimeMillis(), LOG.getName(), line);
            } while (batch.length() < BATCH_CHARS && (line = lines.poll()) != null);
            ConsoleLines.write(System.err, batch);
          } else {
            size.decrementAndGet();
            // The source named explicitly: otherwise JUL walks this thread's stack for the
            // caller on every record (a third of this thread's profile samples).
            LOG.logp(Level.INFO, Writer.class.getName(), "drain", line);
          }
        } catch (RuntimeException e) {
          // A failing handler must not end the writer; the next line tries again.
        }
        long d = dropped.get();
        if (d != reported && lines.isEmpty()) {
          LOG.warning("event=access_log_dropped lines=" + (d - reported) + " detail=\"the access"
              + " log queue was full (" + CAPACITY + " lines); the log is slower than the request"
              + " rate\"");
          reported = d;
        }
      }
    }
  }

  private static String versionOf(String path) {
    if (path.startsWith("/apis/custom.metrics.k8s.io/v1beta2")) {
      return "custom/v1beta2";
    }
    if (path.startsWith("/apis/custom.metrics.k8s.io/v1beta1")) {
      return "custom/v1beta1";
    }
    if (path.startsWith("/apis/external.metrics.k8s.io/v1beta1")) {
      return "external/v1beta1";
    }
    return "none";
  }
}
