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
            LOG.info(
                String.format(
                    "method=%s path=\"%s\" code=%d duration_ms=%.3f user=\"%s\" remote=%s",
                    info.method(),
                    RequestInfo.abbreviate(info.target()).replace("\"", "%22"),
                    code,
                    nanos / 1e6,
                    user,
                    ctx.request().remoteAddress()));
          }
        });
    ctx.next();
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
