package io.meshcast.adapter.api;

import io.meshcast.adapter.api.model.WireJson;
import io.meshcast.adapter.http.RequestInfo;
import io.meshcast.adapter.http.StatusException;
import io.meshcast.adapter.provider.CustomMetricInfo;
import io.meshcast.adapter.provider.CustomMetricValue;
import io.meshcast.adapter.provider.CustomMetricsProvider;
import io.meshcast.adapter.provider.ExternalMetricInfo;
import io.meshcast.adapter.provider.ExternalMetricValue;
import io.meshcast.adapter.provider.ExternalMetricsProvider;
import io.meshcast.adapter.provider.GroupResource;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * Serves everything below {@code /apis}: parses the request ({@link ApiRequest}), calls the
 * providers and writes the JSON. Providers answer from memory, so this runs on the event loop.
 *
 * <p>Failures are passed to the router's failure handler with {@code ctx.fail}; the provider's
 * {@link io.meshcast.adapter.provider.MetricsException}s keep their code and message.
 */
final class MetricsApiHandler implements Handler<RoutingContext> {

  /** Context key under which the route label for access logs and metrics is stored. */
  static final String ROUTE_KEY = "meshcast.route";

  private final CustomMetricsProvider custom;
  private final ExternalMetricsProvider external;
  private final Discovery discovery;

  MetricsApiHandler(CustomMetricsProvider custom, ExternalMetricsProvider external) {
    this.custom = custom;
    this.external = external;
    this.discovery = new Discovery(custom, external);
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (ctx.request().method() != HttpMethod.GET) {
      ctx.put(ROUTE_KEY, "other");
      ctx.fail(StatusException.methodNotAllowed(ctx.request().method().name()));
      return;
    }
    ApiRequest request = ApiRequest.from(RequestInfo.of(ctx));
    byte[] body;
    if (request instanceof ApiRequest.Custom c) {
      body = custom(ctx, c);
    } else if (request instanceof ApiRequest.External e) {
      body = external(ctx, e);
    } else if (request instanceof ApiRequest.ResourceList r) {
      body = route(ctx, "discovery", discovery.resourceList(r.group(), r.version()));
    } else if (request instanceof ApiRequest.Group g) {
      body = route(ctx, "discovery", discovery.group(g.group()));
    } else {
      body = route(ctx, "discovery", discovery.groupList());
    }
    ctx.response()
        .putHeader("Content-Type", "application/json")
        .end(Buffer.buffer(body));
  }

  private static byte[] route(RoutingContext ctx, String route, byte[] body) {
    ctx.put(ROUTE_KEY, route);
    return body;
  }

  private byte[] custom(RoutingContext ctx, ApiRequest.Custom c) {
    CustomMetricInfo info = new CustomMetricInfo(c.resource(), c.namespaced(), c.metric());
    List<CustomMetricValue> items;
    if (c.isSelectorRoute()) {
      ctx.put(ROUTE_KEY, "custom_selector");
      items = custom.metricsBySelector(c.namespace(), c.labelSelector(), info, c.metricSelector());
      if (c.fieldSelectorName() != null) {
        items =
            items.stream()
                .filter(v -> v.describedObject().name().equals(c.fieldSelectorName()))
                .toList();
      }
    } else {
      boolean namespaceRoute = c.resource().equals(GroupResource.NAMESPACES) && !c.namespaced();
      ctx.put(ROUTE_KEY, namespaceRoute ? "custom_namespace" : "custom_object");
      if (c.fieldSelectorName() != null && !c.fieldSelectorName().equals(c.name())) {
        throw StatusException.badRequest(
            "fieldSelector metadata.name=" + c.fieldSelectorName()
                + " does not match the object name " + c.name() + " in the path");
      }
      items = List.of(custom.metricByName(c.namespace(), c.name(), info, c.metricSelector()));
    }
    return WireJson.metricValueList(c.version(), items, c.metricSelector());
  }

  private byte[] external(RoutingContext ctx, ApiRequest.External e) {
    ctx.put(ROUTE_KEY, "external");
    List<ExternalMetricValue> items =
        external.externalMetric(e.namespace(), e.metricSelector(), new ExternalMetricInfo(e.metric()));
    return WireJson.externalMetricValueList(items);
  }
}
