package io.meshcast.adapter.delegate;

import io.meshcast.adapter.config.DelegateConfig;
import io.meshcast.adapter.http.RequestInfo;
import io.meshcast.adapter.provider.Answer;
import io.meshcast.adapter.provider.AnswerGeneration;
import io.meshcast.adapter.provider.CustomMetricInfo;
import io.meshcast.adapter.provider.CustomMetricValue;
import io.meshcast.adapter.provider.CustomMetricsProvider;
import io.meshcast.adapter.provider.ExternalMetricInfo;
import io.meshcast.adapter.provider.ExternalMetricValue;
import io.meshcast.adapter.provider.ExternalMetricsProvider;
import io.meshcast.adapter.provider.GroupResource;
import io.meshcast.adapter.provider.LabelSelector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The delegates of a server, wired in three places: a {@link #filter} in front of the metric
 * routes that forwards requests for metrics meshcast does not serve, and {@link #custom}/{@link
 * #external} wrappers whose listings (discovery) add the upstreams' cached resources to meshcast's
 * own (meshcast's win on conflict). Discovery is refreshed in the background at start and every
 * {@code discoveryInterval}; requests never wait for it.
 */
public final class Delegation {

  /** The versions whose lists are read from each upstream. */
  private static final Map<String, List<String>> VERSIONS = Map.of(
      "custom.metrics.k8s.io", List.of("v1beta2", "v1beta1"),
      "external.metrics.k8s.io", List.of("v1beta1"));

  private final Vertx vertx;
  private final Map<String, Upstream> byGroup;
  private final List<Long> timers = new ArrayList<>();

  private Delegation(Vertx vertx, Map<String, Upstream> byGroup) {
    this.vertx = vertx;
    this.byGroup = byGroup;
  }

  /** Creates the upstreams and starts their discovery refresh (first one now, not awaited). */
  public static Delegation start(Vertx vertx, List<DelegateConfig> configs, Clock clock,
      PrometheusRegistry registry) {
    DelegateMetrics metrics = new DelegateMetrics(registry);
    Map<String, Upstream> byGroup = new LinkedHashMap<>();
    for (DelegateConfig c : configs) {
      byGroup.put(c.group(), new Upstream(vertx, c, clock, metrics));
    }
    Delegation d = new Delegation(vertx, byGroup);
    for (DelegateConfig c : configs) {
      Upstream u = byGroup.get(c.group());
      List<String> versions = VERSIONS.get(c.group());
      u.refreshDiscovery(versions);
      d.timers.add(vertx.setPeriodic(c.discoveryInterval().toMillis(),
          id -> u.refreshDiscovery(versions)));
    }
    return d;
  }

  /** Refreshes every upstream's discovery now (tests, tools). */
  public Future<Void> refreshDiscoveryNow() {
    List<Future<Void>> all = new ArrayList<>();
    byGroup.values().forEach(u -> all.add(u.refreshDiscovery(VERSIONS.get(u.group()))));
    return Future.join(all).mapEmpty();
  }

  /**
   * A route filter (register it after authentication and authorization: the caller is checked by
   * meshcast first): a metric request of a delegated group for a metric the local providers do
   * not list is forwarded; everything else goes on to meshcast's own routes.
   */
  public Handler<RoutingContext> filter(CustomMetricsProvider localCustom,
      ExternalMetricsProvider localExternal) {
    return ctx -> {
      RequestInfo info = RequestInfo.of(ctx);
      // an undecodable path is not forwarded: routing answers it with a 400
      Target t = info.decodable() ? Target.of(info.path()) : null;
      Upstream u = t == null ? null : byGroup.get(t.group());
      if (u == null || servedLocally(t, localCustom, localExternal)) {
        ctx.next();
        return;
      }
      ctx.put("meshcast.route", "delegated");
      u.forward(ctx.request().uri())
          .onSuccess(a -> ctx.response().setStatusCode(a.status())
              .putHeader("Content-Type", a.contentType()).end(a.body()))
          .onFailure(ctx::fail);
    };
  }

  /** {@code local} with the custom upstream's resources added to its listing. */
  public CustomMetricsProvider custom(CustomMetricsProvider local) {
    Upstream u = byGroup.get("custom.metrics.k8s.io");
    if (u == null) {
      return local;
    }
    return new CustomMetricsProvider() {
      @Override
      public CustomMetricValue metricByName(String namespace, String name, CustomMetricInfo info,
          LabelSelector metricSelector) {
        return local.metricByName(namespace, name, info, metricSelector);
      }

      @Override
      public List<CustomMetricValue> metricsBySelector(String namespace, LabelSelector selector,
          CustomMetricInfo info, LabelSelector metricSelector) {
        return local.metricsBySelector(namespace, selector, info, metricSelector);
      }

      @Override
      public Answer<CustomMetricValue> metricByNameAnswer(String namespace, String name,
          CustomMetricInfo info, LabelSelector metricSelector) {
        return local.metricByNameAnswer(namespace, name, info, metricSelector);
      }

      @Override
      public Answer<List<CustomMetricValue>> metricsBySelectorAnswer(String namespace,
          LabelSelector selector, CustomMetricInfo info, LabelSelector metricSelector) {
        return local.metricsBySelectorAnswer(namespace, selector, info, metricSelector);
      }

      @Override
      public AnswerGeneration customGeneration() {
        return local.customGeneration();
      }

      @Override
      public List<CustomMetricInfo> listAllMetrics() {
        List<CustomMetricInfo> own = local.listAllMetrics();
        Set<String> taken = new java.util.HashSet<>();
        own.forEach(i -> taken.add(i.groupResource() + "/" + i.metric()));
        Set<CustomMetricInfo> out = new LinkedHashSet<>(own);
        for (List<Upstream.Listed> l : u.lists().values()) {
          for (Upstream.Listed r : l) {
            int slash = r.name().indexOf('/');
            GroupResource gr = GroupResource.parse(r.name().substring(0, slash));
            String metric = r.name().substring(slash + 1);
            if (taken.add(gr + "/" + metric)) {
              out.add(new CustomMetricInfo(gr, r.namespaced(), metric));
            }
          }
        }
        return List.copyOf(out);
      }
    };
  }

  /** {@code local} with the external upstream's metrics added to its listing. */
  public ExternalMetricsProvider external(ExternalMetricsProvider local) {
    Upstream u = byGroup.get("external.metrics.k8s.io");
    if (u == null) {
      return local;
    }
    return new ExternalMetricsProvider() {
      @Override
      public List<ExternalMetricValue> externalMetric(String namespace,
          LabelSelector metricSelector, ExternalMetricInfo info) {
        return local.externalMetric(namespace, metricSelector, info);
      }

      @Override
      public Answer<List<ExternalMetricValue>> externalMetricAnswer(String namespace,
          LabelSelector metricSelector, ExternalMetricInfo info) {
        return local.externalMetricAnswer(namespace, metricSelector, info);
      }

      @Override
      public AnswerGeneration externalGeneration() {
        return local.externalGeneration();
      }

      @Override
      public List<ExternalMetricInfo> listAllExternalMetrics() {
        Set<ExternalMetricInfo> out = new LinkedHashSet<>(local.listAllExternalMetrics());
        for (List<Upstream.Listed> l : u.lists().values()) {
          for (Upstream.Listed r : l) {
            out.add(new ExternalMetricInfo(r.name()));
          }
        }
        return List.copyOf(out);
      }
    };
  }

  public Future<Void> close() {
    timers.forEach(vertx::cancelTimer);
    List<Future<Void>> all = new ArrayList<>();
    byGroup.values().forEach(u -> all.add(u.close()));
    return Future.join(all).mapEmpty();
  }

  private static boolean servedLocally(Target t, CustomMetricsProvider custom,
      ExternalMetricsProvider external) {
    if (t.resource() == null) {
      for (ExternalMetricInfo i : external.listAllExternalMetrics()) {
        if (i.metric().equalsIgnoreCase(t.metric())) {
          return true;
        }
      }
      return false;
    }
    GroupResource gr = GroupResource.parse(t.resource());
    for (CustomMetricInfo i : custom.listAllMetrics()) {
      if (i.metric().equals(t.metric()) && i.groupResource().equals(gr)) {
        return true;
      }
    }
    return false;
  }

  /** A metric request's group, resource (custom only) and metric, from its path. */
  record Target(String group, String resource, String metric) {

    static Target of(String path) {
      if (!path.startsWith("/apis/")) {
        return null;
      }
      String[] s = path.substring("/apis/".length()).split("/", -1);
      if (s.length < 3) {
        return null; // discovery: merged, never forwarded
      }
      String group = s[0];
      List<String> rest = List.of(s).subList(2, s.length);
      if (group.equals("external.metrics.k8s.io")) {
        return rest.size() == 3 && rest.get(0).equals("namespaces")
            ? new Target(group, null, rest.get(2).toLowerCase(Locale.ROOT)) : null;
      }
      if (!group.equals("custom.metrics.k8s.io")) {
        return null;
      }
      if (rest.size() == 5 && rest.get(0).equals("namespaces")) {
        return new Target(group, rest.get(2).toLowerCase(Locale.ROOT), rest.get(4));
      }
      if (rest.size() == 4 && rest.get(0).equals("namespaces") && rest.get(2).equals("metrics")) {
        return new Target(group, "namespaces", rest.get(3));
      }
      if (rest.size() == 3) {
        return new Target(group, rest.get(0).toLowerCase(Locale.ROOT), rest.get(2));
      }
      return null;
    }
  }
}
