package io.meshcast.adapter.debug;

import io.meshcast.adapter.config.DebugAccess;
import io.meshcast.adapter.hpa.HpaCalculator;
import io.meshcast.adapter.http.RequestInfo;
import io.meshcast.adapter.http.StatusException;
import io.meshcast.adapter.pipeline.Level;
import io.meshcast.adapter.graph.GraphDemand;
import io.meshcast.adapter.predict.PredictiveLayer;
import io.meshcast.adapter.predict.SeriesReport;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code /debug} pages: {@code /debug/metrics} (JSON, every modelled series), {@code
 * /debug/metrics/{namespace}/{object}/{signal}} (JSON, one series with history, forecast path and
 * anomaly scores; pod series end in {@code @pod}), {@code /debug/hpa} (JSON, the HPA replica
 * arithmetic for observed vs predicted values), {@code /debug/graph} (JSON, the mesh call graph,
 * see {@link GraphJson}) and the HTML page {@code /debug/} with its bundled assets. Each series
 * carries the rule that decided its served value with a sentence saying why
 * ({@link RuleExplanation}), its model in words ({@link ModelDescription}) and the unit the page
 * shows it in ({@link DisplayUnit}), so the JSON and the page agree. Read-only, answered from
 * memory; JSON bodies are built on a worker thread. Mount at
 * {@code /debug*}; access is enforced per {@link DebugAccess}.
 */
public final class DebugRoutes implements Handler<RoutingContext> {

  private static final Map<String, String> ASSETS = Map.of(
      "index.html", "text/html; charset=utf-8",
      "app.js", "text/javascript; charset=utf-8",
      "style.css", "text/css; charset=utf-8");

  private final PredictiveLayer layer;
  private final Optional<GraphDemand> graph;
  private final DebugAccess access;
  private final Clock clock;
  private final Map<String, Buffer> assets;
  private final SeriesJson series;

  private DebugRoutes(PredictiveLayer layer, Optional<GraphDemand> graph, DebugAccess access,
      Clock clock) {
    this.layer = layer;
    this.graph = graph;
    this.access = access;
    this.clock = clock;
    this.series = new SeriesJson(layer, clock);
    java.util.HashMap<String, Buffer> a = new java.util.HashMap<>();
    for (String name : ASSETS.keySet()) {
      a.put(name, Buffer.buffer(read("/debug/" + name)));
    }
    this.assets = Map.copyOf(a);
  }

  /** The handler to mount at {@code /debug*} (not mounted at all for {@link DebugAccess#OFF}). */
  public static DebugRoutes create(PredictiveLayer layer, DebugAccess access, Clock clock) {
    return new DebugRoutes(layer, Optional.empty(), access, clock);
  }

  /** As {@link #create(PredictiveLayer, DebugAccess, Clock)}, with {@code /debug/graph}. */
  public static DebugRoutes create(PredictiveLayer layer, Optional<GraphDemand> graph,
      DebugAccess access, Clock clock) {
    return new DebugRoutes(layer, graph, access, clock);
  }

  /**
   * The {@code /debug} sub-router, to mount at {@code /debug/*} in place of the API's filters
   * (not mounted at all for {@link DebugAccess#OFF}): its own access filter, then these pages.
   */
  public Router router(Vertx vertx, Handler<RoutingContext> auth) {
    Router r = Router.router(vertx);
    r.route().handler(accessFilter(auth, access));
    r.route().handler(this);
    return r;
  }

  /**
   * The access filter of the debug pages: with {@link DebugAccess#LOCALHOST}, loopback requests
   * skip authentication (a port-forwarded browser has no client certificate); every other request
   * goes through the API's authentication filter {@code auth}.
   */
  static Handler<RoutingContext> accessFilter(Handler<RoutingContext> auth, DebugAccess access) {
    if (access != DebugAccess.LOCALHOST) {
      return auth;
    }
    return ctx -> {
      if (isDebugPath(ctx.normalizedPath()) && isLoopback(ctx)) {
        ctx.next();
      } else {
        auth.handle(ctx);
      }
    };
  }

  @Override
  public void handle(RoutingContext ctx) {
    String path = ctx.normalizedPath();
    if (!isDebugPath(path)) {
      ctx.next();
      return;
    }
    if (access == DebugAccess.OFF) {
      ctx.fail(StatusException.notFound("the debug pages are disabled (debug.access: off)"));
      return;
    }
    if (access == DebugAccess.LOCALHOST && !isLoopback(ctx)) {
      ctx.fail(new StatusException(403, "Forbidden", "the debug pages are only served to "
          + "localhost (debug.access: localhost); use kubectl port-forward"));
      return;
    }
    if (!"GET".equals(ctx.request().method().name())
        && !"HEAD".equals(ctx.request().method().name())) {
      ctx.fail(StatusException.methodNotAllowed(ctx.request().method().name()));
      return;
    }
    if (path.equals("/debug")) {
      // The page loads style.css and app.js relative to itself: from /debug they would resolve to
      // /style.css. A relative Location keeps working behind path-prefixing proxies
      // (kubectl proxy, .../services/meshcast:443/proxy/debug).
      String query = ctx.request().query();
      ctx.response().setStatusCode(301)
          .putHeader("Location", "debug/" + (query == null ? "" : "?" + query)).end();
      return;
    }
    String rest = path.substring("/debug/".length());
    if (rest.isEmpty()) {
      asset(ctx, "index.html");
    } else if (ASSETS.containsKey(rest)) {
      asset(ctx, rest);
    } else if (rest.equals("metrics")) {
      json(ctx, series::overview);
    } else if (rest.startsWith("metrics/")) {
      String id = RequestInfo.percentDecode(rest.substring("metrics/".length()), true, "path");
      json(ctx, () -> series.detail(id));
    } else if (rest.equals("hpa")) {
      json(ctx, () -> hpa(ctx));
    } else if (rest.equals("graph")) {
      json(ctx, () -> GraphJson.render(graph, layer, clock.instant()));
    } else {
      ctx.fail(StatusException.notFound("no debug page at " + path));
    }
  }

  private static boolean isDebugPath(String path) {
    return path.equals("/debug") || path.startsWith("/debug/");
  }

  private static boolean isLoopback(RoutingContext ctx) {
    if (ctx.request().remoteAddress() == null) {
      return false;
    }
    String host = ctx.request().remoteAddress().hostAddress();
    return host != null && (host.startsWith("127.") || host.equals("0:0:0:0:0:0:0:1")
        || host.equals("::1"));
  }

  private void asset(RoutingContext ctx, String name) {
    ctx.response()
        .putHeader("Content-Type", ASSETS.get(name))
        .putHeader("Cache-Control", "no-cache")
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Content-Security-Policy", "default-src 'self'; img-src 'self' data:")
        .end(assets.get(name));
  }

  private void json(RoutingContext ctx, java.util.concurrent.Callable<JsonObject> body) {
    ctx.vertx().executeBlocking(() -> body.call().toBuffer(), false)
        .onSuccess(b -> ctx.response()
            .putHeader("Content-Type", "application/json")
            .putHeader("Cache-Control", "no-cache")
            .end(b))
        .onFailure(ctx::fail);
  }

  private JsonObject hpa(RoutingContext ctx) {
    String id = required(ctx, "id");
    SeriesReport r = layer.reports().get(id);
    if (r == null) {
      throw StatusException.notFound("no modelled series " + id);
    }
    HpaCalculator.Kind kind;
    try {
      kind = HpaCalculator.Kind.valueOf(required(ctx, "kind").toUpperCase(java.util.Locale.ROOT)
          .replace('-', '_'));
    } catch (IllegalArgumentException e) {
      throw StatusException.badRequest("kind must be one of "
          + List.of(HpaCalculator.Kind.values()));
    }
    double target = number(ctx, "target");
    int current = (int) number(ctx, "current");
    int min = (int) number(ctx, "min");
    int max = (int) number(ctx, "max");
    double observed = r.observed();
    double predicted = layer.servedValue(r);
    if (kind == HpaCalculator.Kind.PODS_AVERAGE_VALUE && r.level() == Level.SERVICE) {
      // A service-level value is the pods' total; a Pods metric is averaged over the pods.
      observed = observed / current;
      predicted = predicted / current;
    }
    try {
      HpaCalculator.Result o = HpaCalculator.replicas(kind, observed, target, current, min, max);
      HpaCalculator.Result p = HpaCalculator.replicas(kind, predicted, target, current, min, max);
      return new JsonObject()
          .put("id", id)
          .put("kind", kind.name())
          .put("observed", result(o))
          .put("predicted", result(p));
    } catch (IllegalArgumentException e) {
      throw StatusException.badRequest(e.getMessage());
    }
  }

  private static JsonObject result(HpaCalculator.Result r) {
    return new JsonObject().put("usage", num(r.usage())).put("ratio", num(r.ratio()))
        .put("proposed", r.proposed()).put("desired", r.desired());
  }

  private static String required(RoutingContext ctx, String name) {
    String v = ctx.request().getParam(name);
    if (v == null || v.isBlank()) {
      throw StatusException.badRequest("query parameter " + name + " is required");
    }
    return v;
  }

  private static double number(RoutingContext ctx, String name) {
    String v = required(ctx, name);
    try {
      return Double.parseDouble(v);
    } catch (NumberFormatException e) {
      throw StatusException.badRequest("query parameter " + name + " must be a number, was \""
          + v + "\"");
    }
  }

  static Object num(double d) {
    return Double.isNaN(d) || Double.isInfinite(d) ? null : d;
  }

  static String level(Level l) {
    return l.name().toLowerCase(java.util.Locale.ROOT);
  }

  private static String read(String resource) {
    try (InputStream in = DebugRoutes.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("debug asset " + resource + " missing from the jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

}
