package io.meshcast.adapter.observability;

import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.io.ByteArrayOutputStream;

/**
 * {@code GET /metrics}: the registry in the format the scraper asks for ({@code Accept}: OpenMetrics
 * or Prometheus text). The scrape and encoding run on a worker thread, not the event loop.
 */
public final class MetricsEndpoint implements Handler<RoutingContext> {

  private final PrometheusRegistry registry;
  private final ExpositionFormats formats = ExpositionFormats.init();

  private MetricsEndpoint(PrometheusRegistry registry) {
    this.registry = registry;
  }

  public static MetricsEndpoint create(PrometheusRegistry registry) {
    return new MetricsEndpoint(registry);
  }

  @Override
  public void handle(RoutingContext ctx) {
    String accept = ctx.request().getHeader("Accept");
    ExpositionFormatWriter writer = formats.findWriter(accept);
    ctx.vertx().executeBlocking(() -> {
      ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
      writer.write(out, registry.scrape());
      return Buffer.buffer(out.toByteArray());
    }, false).onSuccess(body -> ctx.response()
        .putHeader("Content-Type", writer.getContentType())
        .end(body)).onFailure(ctx::fail);
  }
}
