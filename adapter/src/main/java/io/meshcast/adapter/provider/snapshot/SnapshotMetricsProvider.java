package io.meshcast.adapter.provider.snapshot;

import io.meshcast.adapter.config.RuleConfig.Combine;
import io.meshcast.adapter.k8s.ClusterView;
import io.meshcast.adapter.pipeline.Level;
import io.meshcast.adapter.pipeline.MetricDefinition;
import io.meshcast.adapter.pipeline.MetricResult;
import io.meshcast.adapter.pipeline.Policies;
import io.meshcast.adapter.pipeline.SeriesValue;
import io.meshcast.adapter.pipeline.Snapshot;
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
import io.meshcast.adapter.provider.MetricsException;
import io.meshcast.adapter.provider.ObjectReference;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * Answers custom and external metric requests from the latest {@link Snapshot}: a map lookup, the
 * configured policies, and formatting. No I/O. Thread-safe (reads two volatile references once per
 * request).
 *
 * <p>Golden signals are served on {@code services} and {@code deployments.apps} from the Kuma
 * service level (a Deployment's value combines the Services selecting its pods: rates add up,
 * ratios and quantiles take the maximum), on {@code pods} from the pod level, and as external
 * metrics with labels {@code service}, {@code namespace}, {@code kuma_service}. Custom rules are
 * served on the resources their labels name. {@code pods/*} answers only pods matching the label
 * selector (from the cluster when there is one, else from the series' labels); pods without data
 * are left out of lists, as in prometheus-adapter.
 *
 * <p>Golden signals that add up across services (those whose service level combines by {@code
 * sum}: request rate, in-flight requests) are also served on {@code namespaces} (root-scoped,
 * {@code /namespaces/{ns}/metrics/{metric}}): the sum over the namespace's services. Ratios and
 * quantiles are not: neither a sum nor a maximum of per-service values is the namespace's ratio
 * or quantile, and a wrong number is worse than a NotFound.
 */
public final class SnapshotMetricsProvider implements CustomMetricsProvider, ExternalMetricsProvider {

  private static final List<GroupResource> PRESET_RESOURCES =
      List.of(GroupResource.PODS, GroupResource.SERVICES, GroupResource.DEPLOYMENTS);

  private final Supplier<Snapshot> snapshot;
  private final Supplier<ServingState> state;
  private final Policies policies;

  public SnapshotMetricsProvider(
      Supplier<Snapshot> snapshot, Supplier<ServingState> state, Policies policies) {
    this.snapshot = snapshot;
    this.state = state;
    this.policies = policies;
  }

  @Override
  public List<CustomMetricInfo> listAllMetrics() {
    ServingState s = state.get();
    Set<CustomMetricInfo> out = new LinkedHashSet<>();
    for (String p : s.presets()) {
      for (GroupResource gr : PRESET_RESOURCES) {
        out.add(new CustomMetricInfo(gr, true, p));
      }
      if (namespaceSum(s, p).isPresent()) {
        out.add(new CustomMetricInfo(GroupResource.NAMESPACES, false, p));
      }
    }
    for (MetricDefinition d : s.definitions()) {
      if (d.level() == Level.CUSTOM) {
        for (GroupResource gr : customResources(d)) {
          out.add(new CustomMetricInfo(gr, !gr.equals(GroupResource.NAMESPACES), d.name()));
        }
      }
    }
    return List.copyOf(out);
  }

  @Override
  public List<ExternalMetricInfo> listAllExternalMetrics() {
    ServingState s = state.get();
    Set<ExternalMetricInfo> out = new LinkedHashSet<>();
    for (String p : s.presets()) {
      out.add(new ExternalMetricInfo(p));
    }
    for (MetricDefinition d : s.definitions()) {
      if (d.level() == Level.CUSTOM && d.external()) {
        out.add(new ExternalMetricInfo(d.name()));
      }
    }
    return List.copyOf(out);
  }

  /**
   * The snapshot, the serving state and the cluster view's contents: the answers' inputs besides
   * the request and the clock (a config reload replaces the serving state).
   */
  @Override
  public AnswerGeneration customGeneration() {
    Snapshot snap = snapshot.get();
    ServingState s = state.get();
    return AnswerGeneration.of(snap, s, s.cluster().generation());
  }

  @Override
  public AnswerGeneration externalGeneration() {
    return customGeneration();
  }

  @Override
  public CustomMetricValue metricByName(
      String namespace, String name, CustomMetricInfo info, LabelSelector metricSelector) {
    return metricByNameAnswer(namespace, name, info, metricSelector).value();
  }

  /**
   * Reusable until the result's {@code maxAge} runs out or an insufficient window's last
   * complete value gets too old, whichever is first; never when a fallback was served.
   */
  @Override
  public Answer<CustomMetricValue> metricByNameAnswer(
      String namespace, String name, CustomMetricInfo info, LabelSelector metricSelector) {
    ServingState s = state.get();
    MetricResult r = result(s, info);
    policies.requireFresh(r);
    Found f = find(s, r, info, namespace, name, metricSelector);
    CustomMetricValue v =
        f.withValue(policies.resolve(r.definition().name(), f.combined(), f.object()));
    return new Answer<>(v, earlier(policies.freshUntil(r), f.reusableUntil()));
  }

  @Override
  public List<CustomMetricValue> metricsBySelector(
      String namespace, LabelSelector selector, CustomMetricInfo info,
      LabelSelector metricSelector) {
    return metricsBySelectorAnswer(namespace, selector, info, metricSelector).value();
  }

  /**
   * As {@link #metricByNameAnswer} over the items; never reusable when an object was left out or
   * failed (those decisions are counted per request).
   */
  @Override
  public Answer<List<CustomMetricValue>> metricsBySelectorAnswer(
      String namespace, LabelSelector selector, CustomMetricInfo info,
      LabelSelector metricSelector) {
    ServingState s = state.get();
    MetricResult r = result(s, info);
    policies.requireFresh(r);
    Instant until = policies.freshUntil(r);
    List<String> names = ObjectLookups.candidates(s.cluster(), r, info.groupResource(), namespace, selector);
    String metric = r.definition().name();
    List<CustomMetricValue> out = new ArrayList<>();
    List<String> absent = new ArrayList<>();
    MetricsException firstFailure = null;
    for (String n : names) {
      try {
        Found f = find(s, r, info, namespace, n, metricSelector);
        Optional<Double> x = policies.resolveInList(metric, f.combined(), f.object());
        if (x.isPresent()) {
          out.add(f.withValue(x.get()));
          until = earlier(until, f.reusableUntil());
        } else {
          absent.add(f.object());
        }
      } catch (MetricsException.NotFound | MetricsException.Unavailable e) {
        // Objects without a usable value are left out (counted by the policy); the HPA treats
        // missing pods conservatively. An all-missing answer is an error, not an empty success.
        firstFailure = firstFailure == null ? e : firstFailure;
      }
    }
    if (out.isEmpty()) {
      if (firstFailure != null) {
        throw firstFailure;
      }
      if (!absent.isEmpty()) { // nothing to serve: a real NotFound (empty_error)
        policies.resolve(metric, Optional.empty(), absent.get(0));
      }
      return new Answer<>(out, until);
    }
    // A 200 answer that merely leaves out objects without series (e.g. Pending pods): counted as
    // what it is, not as an error.
    absent.forEach(o -> policies.absentFromList(metric, o));
    boolean decided = firstFailure != null || !absent.isEmpty();
    return new Answer<>(out, decided ? Instant.MIN : until);
  }

  @Override
  public List<ExternalMetricValue> externalMetric(
      String namespace, LabelSelector metricSelector, ExternalMetricInfo info) {
    return externalMetricAnswer(namespace, metricSelector, info).value();
  }

  /** As {@link #metricByNameAnswer}; never reusable when a series failed or a fallback served. */
  @Override
  public Answer<List<ExternalMetricValue>> externalMetricAnswer(
      String namespace, LabelSelector metricSelector, ExternalMetricInfo info) {
    ServingState s = state.get();
    MetricDefinition d = find(s, info.metric(), Level.SERVICE)
        .or(() -> find(s, info.metric(), Level.CUSTOM).filter(MetricDefinition::external))
        .orElseThrow(() -> unknownExternal(s, info.metric()));
    MetricResult r = resultOf(d);
    policies.requireFresh(r);
    Instant until = policies.freshUntil(r);
    OptionalLong window = d.windowSeconds();
    List<ExternalMetricValue> out = new ArrayList<>();
    MetricsException firstFailure = null;
    for (SeriesValue v : r.inNamespace(namespace)) {
      if (!metricSelector.matches(v.identity().externalLabels())) {
        continue;
      }
      try {
        String object = "external series " + v.identity().externalLabels();
        List<SeriesValue> one = List.of(v);
        policies.requireComplete(d.name(), one, object);
        double x = policies.resolve(d.name(), Optional.of(v.value()), object);
        out.add(new ExternalMetricValue(info.metric(), v.identity().externalLabels(),
            v.timestamp(), window, x));
        until = Double.isNaN(v.value()) ? Instant.MIN
            : earlier(until, policies.completeUntil(d.name(), one));
      } catch (MetricsException e) {
        firstFailure = firstFailure == null ? e : firstFailure;
      }
    }
    if (out.isEmpty()) {
      if (firstFailure != null) {
        throw firstFailure;
      }
      double x = policies.resolve(d.name(), Optional.empty(),
          "namespace " + namespace + " with selector \"" + metricSelector + "\"");
      out.add(new ExternalMetricValue(info.metric(), metricSelector.equalityLabels(),
          policies.now(), window, x));
      return Answer.once(out);
    }
    return new Answer<>(out, firstFailure != null ? Instant.MIN : until);
  }

  private static Instant earlier(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }

  /** The series naming one object, combined, before any policy is applied. */
  private record Found(ObjectReference ref, String metric, String object,
      Optional<Double> combined, List<SeriesValue> series, OptionalLong window,
      Supplier<Instant> now, Instant completeUntil) {

    /**
     * Until when serving this object's value again is what the policies would decide: not at all
     * when the value is a fallback (no series, or NaN), whose serving is a counted decision.
     */
    Instant reusableUntil() {
      return combined.isEmpty() || Double.isNaN(combined.get()) ? Instant.MIN : completeUntil;
    }

    CustomMetricValue withValue(double x) {
      Instant ts = series.stream().map(SeriesValue::timestamp).max(Instant::compareTo)
          .orElseGet(now);
      return new CustomMetricValue(ref, metric, ts, window, x);
    }
  }

  private Found find(
      ServingState s, MetricResult r, CustomMetricInfo info, String namespace, String name,
      LabelSelector metricSelector) {
    MetricDefinition d = r.definition();
    GroupResource gr = info.groupResource();
    List<SeriesValue> series;
    ObjectReference ref;
    if (gr.equals(GroupResource.PODS)) {
      series = r.byPod(namespace, name);
      ref = ObjectReference.pod(namespace, name);
    } else if (gr.equals(GroupResource.SERVICES)) {
      series = r.byService(namespace, name);
      ref = ObjectReference.service(namespace, name);
    } else if (gr.equals(GroupResource.DEPLOYMENTS)) {
      ref = ObjectReference.deployment(namespace, name);
      if (d.level() == Level.CUSTOM) {
        series = r.byDeployment(namespace, name);
      } else {
        series = new ArrayList<>();
        for (String svc : s.cluster().servicesOfDeployment(namespace, name)) {
          series.addAll(r.byService(namespace, svc));
        }
      }
    } else if (d.level() == Level.SERVICE) {
      // A preset on a namespace: every service of it (summed by the definition's combine).
      series = r.inNamespace(name);
      ref = ObjectReference.namespace(name);
    } else {
      series = r.inNamespace(name).stream()
          .filter(v -> v.identity().pod().isEmpty() && v.identity().service().isEmpty()
              && v.identity().deployment().isEmpty())
          .toList();
      ref = ObjectReference.namespace(name);
    }
    if (!metricSelector.isEmpty()) {
      series = series.stream().filter(v -> metricSelector.matches(v.identity().labels())).toList();
    }
    String object = gr + " " + (namespace.isEmpty() ? "" : namespace + "/") + name;
    // A window too thin for a rate: its last complete value while young, then the stale error.
    policies.requireComplete(d.name(), series, object);
    return new Found(ref, info.metric(), object, ObjectLookups.combine(d, series, object), series,
        d.windowSeconds(), policies::now, policies.completeUntil(d.name(), series));
  }

  private MetricResult result(ServingState s, CustomMetricInfo info) {
    GroupResource gr = info.groupResource();
    String metric = info.metric();
    Optional<MetricDefinition> d;
    if (s.presets().contains(metric) && gr.equals(GroupResource.NAMESPACES)) {
      d = namespaceSum(s, metric);
    } else if (s.presets().contains(metric)) {
      if (!PRESET_RESOURCES.contains(gr)) {
        throw MetricsException.NotFound.metric(metric, gr.toString(), null);
      }
      d = find(s, metric, gr.equals(GroupResource.PODS) ? Level.POD : Level.SERVICE);
      if (d.isEmpty()) {
        throw new MetricsException.Unavailable("metric " + metric + " is not available yet: "
            + s.pendingReason().orElse("no query is defined for it"));
      }
    } else {
      d = find(s, metric, Level.CUSTOM).filter(x -> customResources(x).contains(gr));
    }
    return resultOf(d.orElseThrow(() -> MetricsException.NotFound.metric(metric, gr.toString(),
        null)));
  }

  private MetricResult resultOf(MetricDefinition d) {
    // After a reload that changed the query, the previous query's values keep being served
    // (within maxAge) until the new query's first refresh replaces them.
    return snapshot.get().result(d.name(), d.level())
        .orElseThrow(() -> new MetricsException.Unavailable("metric " + d.name()
            + " has no data yet: the first refresh since start or reload has not completed"));
  }

  private MetricsException unknownExternal(ServingState s, String metric) {
    if (s.presets().contains(metric)) {
      return new MetricsException.Unavailable("metric " + metric + " is not available yet: "
          + s.pendingReason().orElse("no query is defined for it"));
    }
    return new MetricsException.NotFound(
        "the server could not find the external metric " + metric);
  }

  /** The service-level definition of a preset that adds up over a namespace's services. */
  private static Optional<MetricDefinition> namespaceSum(ServingState s, String preset) {
    return find(s, preset, Level.SERVICE).filter(d -> d.combine() == Combine.SUM);
  }

  private static Optional<MetricDefinition> find(ServingState s, String name, Level level) {
    for (MetricDefinition d : s.definitions()) {
      if (d.name().equals(name) && d.level() == level) {
        return Optional.of(d);
      }
    }
    return Optional.empty();
  }

  private static Set<GroupResource> customResources(MetricDefinition d) {
    return d.resources();
  }
}
