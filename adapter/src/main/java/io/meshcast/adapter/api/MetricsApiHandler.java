package io.meshcast.adapter.api;

import io.meshcast.adapter.api.model.WireJson;
import io.meshcast.adapter.http.RequestInfo;
import io.meshcast.adapter.http.StatusException;
import io.meshcast.adapter.provider.Answer;
import io.meshcast.adapter.provider.AnswerGeneration;
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
import java.time.Instant;
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

  private static final String CUSTOM_PREFIX = "/apis/" + WireJson.CUSTOM_GROUP + "/";
  private static final String EXTERNAL_PREFIX = "/apis/" + WireJson.EXTERNAL_GROUP + "/";

  private final CustomMetricsProvider custom;
  private final ExternalMetricsProvider external;
  private final Discovery discovery;
  private final AnswerCaches caches;

  MetricsApiHandler(CustomMetricsProvider custom, ExternalMetricsProvider external,
      AnswerCaches caches) {
    this.custom = custom;
    this.external = external;
    this.discovery = new Discovery(custom, external);
    this.caches = caches;
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (ctx.request().method() != HttpMethod.GET) {
      ctx.put(ROUTE_KEY, "other");
      ctx.fail(StatusException.methodNotAllowed(ctx.request().method().name()));
      return;
    }
    RequestInfo info = RequestInfo.of(ctx);
    // The cache is consulted before parsing: an entry exists only for a target that parsed and
    // answered before, and parsing depends on the target alone.
    AnswerCache cache = null;
    AnswerGeneration generation = null;
    if (info.rawPath().startsWith(CUSTOM_PREFIX)) {
      cache = caches.custom();
      generation = custom.customGeneration();
    } else if (info.rawPath().startsWith(EXTERNAL_PREFIX)) {
      cache = caches.external();
      generation = external.externalGeneration();
    }
    String key = info.target();
    if (cache != null) {
      AnswerCache.Entry hit = cache.get(key, generation, caches.clock().instant());
      if (hit != null) {
        ctx.put(ROUTE_KEY, hit.route());
        end(ctx, hit.answer().value());
        return;
      }
    }
    ApiRequest request = ApiRequest.from(info);
    byte[] body;
    if (request instanceof ApiRequest.Custom c) {
      Answer<byte[]> a = custom(ctx, c);
      body = store(ctx, cache, key, generation, a);
    } else if (request instanceof ApiRequest.External e) {
      Answer<byte[]> a = external(ctx, e);
      body = store(ctx, cache, key, generation, a);
    } else if (request instanceof ApiRequest.ResourceList r) {
      body = route(ctx, "discovery", discovery.resourceList(r.group(), r.version()));
    } else if (request instanceof ApiRequest.Group g) {
      body = route(ctx, "discovery", discovery.group(g.group()));
    } else {
      body = route(ctx, "discovery", discovery.groupList());
    }
    end(ctx, body);
  }

  private byte[] store(RoutingContext ctx, AnswerCache cache, String key,
      AnswerGeneration generation, Answer<byte[]> a) {
    if (cache != null) {
      cache.put(key, generation, a, caches.clock().instant(), ctx.get(ROUTE_KEY));
    }
    return a.value();
  }

  private static void end(RoutingContext ctx, byte[] body) {
    ctx.response()
        .putHeader("Content-Type", "application/json")
        .end(Buffer.buffer(body));
  }

  private static byte[] route(RoutingContext ctx, String route, byte[] body) {
    ctx.put(ROUTE_KEY, route);
    return body;
  }

  private Answer<byte[]> custom(RoutingContext ctx, ApiRequest.Custom c) {
    CustomMetricInfo info = new CustomMetricInfo(c.resource(), c.namespaced(), c.metric());
    List<CustomMetricValue> items;
    Instant until;
    if (c.isSelectorRoute()) {
      ctx.put(ROUTE_KEY, "custom_selector");
      Answer<List<CustomMetricValue>> a =
          custom.metricsBySelectorAnswer(c.namespace(), c.labelSelector(), info,
              c.metricSelector());
      items = a.value();
      until = a.reusableUntil();
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
      Answer<CustomMetricValue> a =
          custom.metricByNameAnswer(c.namespace(), c.name(), info, c.metricSelector());
      items = List.of(a.value());
      until = a.reusableUntil();
    }
    return new Answer<>(WireJson.metricValueList(c.version(), items, c.metricSelector()), until);
  }

  private Answer<byte[]> external(RoutingContext ctx, ApiRequest.External e) {
    ctx.put(ROUTE_KEY, "external");
    Answer<List<ExternalMetricValue>> a = external.externalMetricAnswer(e.namespace(),
        e.metricSelector(), new ExternalMetricInfo(e.metric()));
    return new Answer<>(WireJson.externalMetricValueList(a.value()), a.reusableUntil());
  }
}
