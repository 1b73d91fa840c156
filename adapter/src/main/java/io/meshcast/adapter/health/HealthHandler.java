package io.meshcast.adapter.health;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.logging.Logger;

/**
 * Serves {@code /livez}, {@code /readyz}, {@code /healthz} and their per-check sub-paths in the
 * k8s.io/apiserver text format (k8s-metrics-api.md §6): {@code ok}, or with {@code ?verbose} one
 * {@code [+]name ok} line per check and {@code <endpoint> check passed}; failures answer 500 with
 * {@code [-]name failed: reason} lines and {@code <endpoint> check failed}. {@code ?exclude=name}
 * skips a check.
 *
 * <p>Unlike the apiserver, failure reasons are shown rather than withheld: they are meant for the
 * people debugging the adapter and never contain secrets.
 */
public final class HealthHandler implements Handler<RoutingContext> {

  private static final Logger LOG = Logger.getLogger(HealthHandler.class.getName());

  private final Health health;

  public HealthHandler(Health health) {
    this.health = health;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String path = ctx.request().path();
    String[] parts = path.substring(1).split("/", -1);
    String endpoint = parts[0];
    List<HealthCheck> checks = health.checksFor(endpoint);
    if (parts.length == 2) {
      single(ctx, checks, parts[1]);
      return;
    }
    if (parts.length > 2) {
      text(ctx, 404, "404 page not found\n");
      return;
    }
    boolean verbose = ctx.request().params().contains("verbose");
    Set<String> excluded = new HashSet<>();
    for (String e : ctx.request().params().getAll("exclude")) {
      excluded.addAll(Arrays.asList(e.split(",")));
    }
    StringBuilder body = new StringBuilder();
    boolean healthy = true;
    for (HealthCheck check : checks) {
      if (excluded.remove(check.name())) {
        body.append("[+]").append(check.name()).append(" excluded: ok\n");
        continue;
      }
      HealthCheck.Result r = check.check();
      if (r.healthy()) {
        body.append("[+]").append(check.name()).append(" ok");
        if (!r.detail().isEmpty()) {
          body.append(" (").append(r.detail()).append(')');
        }
        body.append('\n');
      } else {
        healthy = false;
        body.append("[-]").append(check.name()).append(" failed: ").append(r.detail()).append('\n');
      }
    }
    for (String unknown : excluded) {
      body.append("warn: some health checks cannot be excluded: no matches for \"")
          .append(unknown)
          .append("\"\n");
    }
    if (healthy) {
      text(ctx, 200, verbose ? body + endpoint + " check passed\n" : "ok");
    } else {
      LOG.warning(() -> endpoint + " check failed: " + body.toString().replace('\n', ' '));
      text(ctx, 500, body + endpoint + " check failed\n");
    }
  }

  private static void single(RoutingContext ctx, List<HealthCheck> checks, String name) {
    for (HealthCheck check : checks) {
      if (check.name().equals(name)) {
        HealthCheck.Result r = check.check();
        if (r.healthy()) {
          text(ctx, 200, "ok");
        } else {
          text(ctx, 500, "internal server error: " + r.detail() + "\n");
        }
        return;
      }
    }
    text(ctx, 404, "404 page not found\n");
  }

  private static void text(RoutingContext ctx, int code, String body) {
    ctx.response()
        .setStatusCode(code)
        .putHeader("Content-Type", "text/plain; charset=utf-8")
        .putHeader("X-Content-Type-Options", "nosniff")
        .end(body);
  }
}
