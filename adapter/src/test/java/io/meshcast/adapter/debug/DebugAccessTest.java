package io.meshcast.adapter.debug;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshcast.adapter.config.DebugAccess;
import io.meshcast.adapter.http.StatusException;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

final class DebugAccessTest {

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  /**
   * A server whose "authentication" rejects everyone, with /debug mounted as a sub-router behind
   * the debug access filter, as ApiServer mounts it.
   */
  private int server(DebugAccess access) throws Exception {
    Handler<RoutingContext> auth =
        ctx -> ctx.fail(new StatusException(401, "Unauthorized", "no credentials"));
    Handler<RoutingContext> failures = ctx -> ctx.response().setStatusCode(
        ctx.failure() instanceof StatusException e ? e.code() : 500).end();
    Router debug = Router.router(vertx);
    debug.route().handler(DebugRoutes.accessFilter(auth, access));
    debug.route().handler(ctx -> ctx.response().end("through"));
    debug.route().failureHandler(failures);
    Router router = Router.router(vertx);
    router.route("/debug/*").subRouter(debug);
    router.route().handler(auth);
    router.route().handler(ctx -> ctx.response().end("through"));
    router.route().failureHandler(failures);
    HttpServer s = vertx.createHttpServer().requestHandler(router);
    return s.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture()
        .get(60, TimeUnit.SECONDS).actualPort();
  }

  private int get(int port, String path) throws Exception {
    HttpClient c = vertx.createHttpClient();
    return c.request(HttpMethod.GET, port, "127.0.0.1", path)
        .compose(r -> r.send())
        .map(r -> r.statusCode())
        .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  @Test
  void localhost_loopbackDebugSkipsAuthentication_apiDoesNot() throws Exception {
    int port = server(DebugAccess.LOCALHOST);
    assertThat(get(port, "/debug/")).isEqualTo(200);
    assertThat(get(port, "/debug/metrics")).isEqualTo(200);
    assertThat(get(port, "/apis/custom.metrics.k8s.io/v1beta2")).isEqualTo(401);
    assertThat(get(port, "/debugger")).isEqualTo(401);
    assertThat(get(port, "/metrics")).isEqualTo(401);
  }

  @Test
  void authenticated_debugGoesThroughAuthentication() throws Exception {
    int port = server(DebugAccess.AUTHENTICATED);
    assertThat(get(port, "/debug/")).isEqualTo(401);
  }

  @Test
  void parse_namesTheKeyOnBadValues() {
    assertThat(DebugAccess.parse("LocalHost", "k")).isEqualTo(DebugAccess.LOCALHOST);
    assertThatThrownBy(() -> DebugAccess.parse("public", "debug.access"))
        .hasMessage("debug.access: expected off, localhost or authenticated, was \"public\"");
  }
}
