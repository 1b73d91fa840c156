package io.meshcast.adapter.api;

import io.meshcast.adapter.api.model.WireJson;
import io.meshcast.adapter.http.StatusException;
import io.meshcast.adapter.provider.MetricsException;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one place failures become Kubernetes {@code Status} JSON (k8s-metrics-api.md §3.1): {@link
 * StatusException} and provider {@link MetricsException}s keep their code and message; router
 * failures without an exception (e.g. 404, 405, 413 from vertx-web) get the matching reason;
 * anything else is a 500 {@code InternalError} carrying the cause, logged with its stack trace.
 */
final class StatusFailureHandler implements Handler<RoutingContext> {

  private static final Logger LOG = Logger.getLogger(StatusFailureHandler.class.getName());

  private final int fixedCode;

  /** Renders the context's failure or status code. */
  StatusFailureHandler() {
    this(-1);
  }

  /** For router error handlers, where the code is known but not set on the context. */
  StatusFailureHandler(int fixedCode) {
    this.fixedCode = fixedCode;
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerResponse response = ctx.response();
    if (response.ended() || response.headWritten()) {
      return; // too late to say anything; the connection will be closed by Vert.x
    }
    Throwable failure = ctx.failure();
    byte[] body;
    int code;
    if (failure instanceof StatusException s) {
      code = s.code();
      body =
          WireJson.status(
              code, s.reason(), s.getMessage(), s.detailsName(), s.detailsGroup(), s.detailsKind(),
              null);
    } else if (failure instanceof MetricsException m) {
      code = m.code();
      body = WireJson.status(code, m.reason(), m.getMessage(), null, null, null, null);
    } else if (failure == null) {
      int status = fixedCode > 0 ? fixedCode : ctx.statusCode();
      code = status < 400 ? 500 : status;
      body = WireJson.status(code, reasonFor(code), messageFor(code), null, null, null, null);
    } else {
      code = 500;
      String cause = String.valueOf(failure.getMessage());
      LOG.log(Level.SEVERE, "internal error serving " + ctx.request().path(), failure);
      body =
          WireJson.status(
              500, "InternalError", "Internal error occurred: " + cause, null, null, null, cause);
    }
    response
        .setStatusCode(code)
        .putHeader("Content-Type", "application/json")
        .end(Buffer.buffer(body));
  }

  static String reasonFor(int code) {
    return switch (code) {
      case 400 -> "BadRequest";
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 404 -> "NotFound";
      case 405 -> "MethodNotAllowed";
      case 406 -> "NotAcceptable";
      case 408 -> "Timeout";
      case 413 -> "RequestEntityTooLarge";
      case 415 -> "UnsupportedMediaType";
      case 429 -> "TooManyRequests";
      case 503 -> "ServiceUnavailable";
      default -> code >= 500 ? "InternalError" : "BadRequest";
    };
  }

  static String messageFor(int code) {
    return switch (code) {
      case 404 -> "the server could not find the requested resource";
      case 405 -> "the server does not allow this method on the requested resource";
      case 413 -> "the request is too large";
      default -> "the request failed with HTTP status " + code;
    };
  }
}
