package io.meshcast.adapter.kuma;

import io.meshcast.adapter.config.KumaConfig;
import io.meshcast.adapter.config.RuleConfig.Combine;
import io.meshcast.adapter.pipeline.Level;
import io.meshcast.adapter.pipeline.MetricDefinition;
import io.meshcast.adapter.pipeline.MetricDefinition.CoverageSpec;
import io.meshcast.adapter.pipeline.SeriesIdentity;
import io.meshcast.adapter.pipeline.WindowCoverage;
import io.meshcast.adapter.provider.GroupResource;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Builds the golden-signal PromQL of kuma-metrics.md §7 for one regime: one query per signal per
 * level (Kuma service, pod), grouped with {@code sum by}, never with per-pod regexes. With {@code
 * G} the grouping labels, {@code I} the inbound selector and {@code W} the rate window:
 *
 * <pre>
 * rps        sum by (G) (rate(envoy_http_downstream_rq_total{I}[W]))
 * errors     (sum by (G) (rate({__name__=~"envoy_http_downstream_rq_xx(_total)?",I,class="5"}[W]))
 *              or 0 * sum by (G) (rate(envoy_http_downstream_rq_total{I}[W])))
 *            / sum by (G) (rate(envoy_http_downstream_rq_total{I}[W]))
 * pQ         histogram_quantile(Q, sum by (G, le) (rate(envoy_http_downstream_rq_time_bucket{I}[W])))
 * inflight   sum by (G) (envoy_http_downstream_rq_active{I})
 * demand     clamp_min(sum by (G) (served or rejected or queue_growth or -retries), 0)   (below)
 * </pre>
 *
 * The {@code or 0 *} term keeps services without any 5xx: MeshMetric exports only used series, so
 * the 5xx counter is absent until the first 5xx (§2). Both {@code _xx} names are accepted (§4.2).
 *
 * <p><b>Offered demand</b> ({@code kuma_demand_rps}, service level). A service's own inbound
 * counter counts every request that reaches its sidecar, including those its sidecar answers 503;
 * what it cannot see is what its callers' sidecars hold back when it saturates: their outbound
 * cluster for it queues requests ({@code envoy_cluster_upstream_rq_pending_active} grows) and
 * rejects the overflow ({@code envoy_cluster_upstream_rq_pending_overflow}), so its served rate
 * plateaus while demand keeps rising. Retries ({@code envoy_cluster_upstream_rq_retry}) reach it
 * again and are counted again by its inbound counter. With {@code O} the callers' outbound
 * clusters and {@code D} the destination service named by their {@code envoy_cluster_name}:
 *
 * <pre>
 * served        sum by (G) (rate(envoy_http_downstream_rq_total{I}[W]))
 * rejected      sum by (D) (rate(envoy_cluster_upstream_rq_pending_overflow{O}[W]))
 * queue_growth  sum by (D) (deriv(envoy_cluster_upstream_rq_pending_active{O}[W]))
 * retries       sum by (D) (rate(envoy_cluster_upstream_rq_retry{O}[W]))
 * demand        max(0, served + rejected + queue_growth - retries)
 * </pre>
 *
 * Each term is tagged ({@code meshcast_term}) and the terms are unioned before the sum, so an
 * absent counter (MeshMetric exports only used series) drops that term, not the service. {@code D}
 * comes from the cluster name: {@code <svc>_<ns>_svc_<port>} is the destination's {@code
 * kuma_io_service} (regimes A, B); {@code kri_msvc_<mesh>_<zone>_<ns>_<name>_<section>} gives its
 * workload and namespace (C). Timeouts are not added: a request that timed out after dispatch was
 * counted by the service, and Envoy does not tell a timeout in the pending queue apart.
 */
public final class KumaQueries {

  /** Coverage thresholds used when none are configured (the {@code refresh} defaults). */
  static final WindowThresholds DEFAULT_THRESHOLDS = new WindowThresholds(0.8, 3, 20, 0.5);

  /** The {@code refresh.minWindow*} settings, see {@link WindowCoverage}. */
  public record WindowThresholds(double minCoverage, long minSamples, double minObservations,
      double minServedCoverage) {}

  private final Regime regime;
  private final KumaConfig config;
  private final WindowThresholds thresholds;
  private final String podLabel;
  private final String namespaceLabel;

  public KumaQueries(Regime regime, KumaConfig config) {
    this(regime, config, DEFAULT_THRESHOLDS);
  }

  public KumaQueries(Regime regime, KumaConfig config, WindowThresholds thresholds) {
    this.regime = regime;
    this.config = config;
    this.thresholds = thresholds;
    this.podLabel = config.podLabel().orElse(regime.podLabel());
    this.namespaceLabel = config.namespaceLabel().orElse(regime.namespaceLabel());
  }

  public Regime regime() {
    return regime;
  }

  /** The rate window in seconds. */
  public long windowSeconds() {
    return config.rateWindow().toSeconds();
  }

  /** The inbound selector plus the optional mesh filter, without braces. */
  public String selector() {
    return regime.inboundSelector() + config.mesh().map(m -> ",mesh=\"" + m + "\"").orElse("");
  }

  /** The definitions of every enabled preset, service level then pod level. */
  public List<MetricDefinition> definitions() {
    List<MetricDefinition> out = new ArrayList<>();
    for (Level level : List.of(Level.SERVICE, Level.POD)) {
      for (GoldenSignal s : GoldenSignal.values()) {
        if (config.presets().contains(s.metricName()) && (level == Level.SERVICE || s.perPod())) {
          out.add(definition(s, level));
        }
      }
    }
    return out;
  }

  /** One signal at one level. */
  public MetricDefinition definition(GoldenSignal signal, Level level) {
    String g = String.join(", ", groupLabels(level));
    String promql = promql(signal, g, false);
    Optional<CoverageSpec> coverage = signal.windowed()
        ? Optional.of(new CoverageSpec(at -> coverageQuery(g, at), promql(signal, g, true),
            thresholds.minCoverage(), thresholds.minSamples(),
            signal.quantile().isPresent() ? thresholds.minObservations() : 0,
            thresholds.minServedCoverage()))
        : Optional.empty();
    OptionalLong window =
        signal.windowed() ? OptionalLong.of(config.rateWindow().toSeconds()) : OptionalLong.empty();
    Combine combine = signal.additive() ? Combine.SUM : Combine.MAX;
    Set<GroupResource> resources = level == Level.SERVICE
        ? Set.of(GroupResource.SERVICES, GroupResource.DEPLOYMENTS) : Set.of(GroupResource.PODS);
    return new MetricDefinition(signal.metricName(), level, promql, window, combine, resources,
        level == Level.SERVICE, level == Level.SERVICE ? this::serviceIdentity : this::podIdentity,
        coverage);
  }

  /**
   * The signal's query. With {@code covered}, each series' rate is taken over the span its
   * samples cover instead of the whole window: {@code deriv} (the least-squares slope of the
   * counter over its samples, which for a counter is its increase per second over the covered
   * span and, unlike {@code rate}, never extrapolates to the window's edges), or {@code rate} for
   * series with a counter reset in the window, where a slope would be meaningless.
   */
  String promql(GoldenSignal signal, String g, boolean covered) {
    String i = selector();
    String total = "sum by (" + g + ") ("
        + perSecond("envoy_http_downstream_rq_total{" + i + "}", covered) + ")";
    return switch (signal) {
      case RPS -> total;
      case ERROR_RATIO -> "(sum by (" + g + ") (" + perSecond("{__name__=~\"envoy_http_downstream_rq_xx"
          + "(_total)?\"," + i + ",envoy_response_code_class=\"5\"}", covered) + ") or 0 * "
          + total + ") / " + total;
      case LATENCY_P50, LATENCY_P90, LATENCY_P99 -> "histogram_quantile("
          + signal.quantile().orElseThrow() + ", sum by (" + g + ", le) ("
          + perSecond("envoy_http_downstream_rq_time_bucket{" + i + "}", covered) + "))";
      case INFLIGHT -> "sum by (" + g + ") (envoy_http_downstream_rq_active{" + i + "})";
      case DEMAND -> "clamp_min(sum by (" + g + ") (" + term(total, "served") + " or "
          + term(callers(perSecond("envoy_cluster_upstream_rq_pending_overflow{"
              + outboundSelector() + "}", covered)), "rejected") + " or "
          + term(callers("deriv(envoy_cluster_upstream_rq_pending_active{" + outboundSelector()
              + "}[" + promDuration(windowSeconds()) + "])"), "queue_growth") + " or "
          + term("-1 * " + callers(perSecond("envoy_cluster_upstream_rq_retry{"
              + outboundSelector() + "}", covered)), "retries") + "), 0)";
    };
  }

  /** Selects callers' outbound clusters that name a mesh service (kuma-metrics.md §3). */
  String outboundSelector() {
    String clusters = regime == Regime.UNIFIED ? "kri_msvc_.+" : ".+_svc_[0-9]+";
    return "envoy_cluster_name=~\"" + clusters + "\""
        + config.mesh().map(m -> ",mesh=\"" + m + "\"").orElse("");
  }

  /** Sums a per-series expression by destination cluster and names the destination service. */
  private String callers(String perSeries) {
    String byCluster = "sum by (envoy_cluster_name) (" + perSeries + ")";
    if (regime != Regime.UNIFIED) {
      return "label_replace(" + byCluster + ", \"" + regime.serviceLabel()
          + "\", \"$1\", \"envoy_cluster_name\", \"(.+)\")";
    }
    String kri = "kri_msvc_[^_]*_[^_]*_([^_]+)_([^_]+)_[^_]+";
    return "label_replace(label_replace(" + byCluster + ", \"" + regime.serviceLabel()
        + "\", \"$2\", \"envoy_cluster_name\", \"" + kri + "\"), \"" + namespaceLabel
        + "\", \"$1\", \"envoy_cluster_name\", \"" + kri + "\")";
  }

  private static String term(String expr, String name) {
    return "label_replace(" + expr + ", \"meshcast_term\", \"" + name + "\", \"\", \"\")";
  }

  private String perSecond(String selector, boolean covered) {
    String r = selector + "[" + promDuration(windowSeconds()) + "]";
    return covered
        ? "(deriv(" + r + ") unless resets(" + r + ") > 0 or rate(" + r + "))"
        : "rate(" + r + ")";
  }

  /**
   * The coverage companion for one grouping at evaluation time {@code at} (one query per level per
   * refresh, whatever the number of signals: every signal of a pod comes from the same scrapes as
   * its request counter). Per request-counter series, the covered span is the time between its
   * first and last sample in the window, stretched by {@code n/(n-1)} for the scrape interval at
   * the edges, so that a window fully scraped at any interval dividing it counts as 1.
   *
   * <p>The sample times come from a subquery at step {@code R = W/60}: {@code timestamp(x)} at each
   * step is the time of the latest sample at or before it (exact, not rounded to the step), kept
   * only when it is later than the window's start {@code at - W}, given as a literal. The filter is
   * what makes the span agree with the samples {@code rate(x[W])} uses: a step looks back past the
   * window's start (up to the 5-minute lookback for {@code x}, or {@code R} for {@code
   * last_over_time(x[R])}), so without it a sample from before a scrape gap, just outside {@code
   * rate}'s range, made a window that held only the samples since the gap look fully covered.
   *
   * <p>Rows, labelled {@code meshcast_part}: {@code coverage} (smallest member fraction), {@code
   * samples} (fewest member samples), {@code observations} (requests in the window).
   */
  String coverageQuery(String g, Instant at) {
    long w = windowSeconds();
    String x = "envoy_http_downstream_rq_total{" + selector() + "}";
    String wd = "[" + promDuration(w) + "]";
    String start = String.format(Locale.ROOT, "%.3f", (at.toEpochMilli() - w * 1000) / 1000.0);
    String step = "(timestamp(" + x + ") > " + start + ")[" + promDuration(w) + ":"
        + promMillis(coverageStepMillis()) + "]";
    String n = "count_over_time(" + x + wd + ")";
    String fraction = "clamp_max((max_over_time(" + step + ") - min_over_time(" + step + ")) * "
        + n + " / (" + n + " - 1 > 0) / " + w + ", 1)";
    return part("min by (" + g + ") (" + fraction + ")", "coverage")
        + " or " + part("min by (" + g + ") (" + n + ")", "samples")
        + " or " + part("sum by (" + g + ") (increase(" + x + wd + "))", "observations");
  }

  /** Resolution of the coverage subquery: 60 steps per window, at least 10 ms. */
  long coverageStepMillis() {
    return Math.max(10, windowSeconds() * 1000 / 60);
  }

  static String promMillis(long ms) {
    return ms % 1000 == 0 ? promDuration(ms / 1000) : ms + "ms";
  }

  private static String part(String expr, String name) {
    return "label_replace(" + expr + ", \"" + CoverageSpec.PART_LABEL + "\", \"" + name + "\", \"\", \"\")";
  }

  /** Grouping labels: the Kuma service key, plus the pod identity at pod level. */
  List<String> groupLabels(Level level) {
    Set<String> g = new LinkedHashSet<>();
    g.add(regime.serviceLabel());
    if (regime == Regime.UNIFIED || level == Level.POD) {
      g.add(namespaceLabel);
    }
    if (level == Level.POD) {
      g.add(podLabel);
      g.addAll(config.podLabels());
    }
    return new ArrayList<>(g);
  }

  Optional<SeriesIdentity> serviceIdentity(Map<String, String> labels) {
    String key = labels.getOrDefault(regime.serviceLabel(), "");
    if (key.isEmpty()) {
      return Optional.empty();
    }
    String ns;
    String svc;
    if (regime == Regime.UNIFIED) {
      // The workload names the Service by convention (configure Kuma workloadLabels, §2.2).
      ns = labels.getOrDefault(namespaceLabel, "");
      svc = key;
    } else {
      Optional<KumaServiceName> n = KumaServiceName.parse(key);
      ns = n.map(KumaServiceName::namespace).orElse("");
      // Serviceless pods ("<workload>_<ns>_svc") have no Service to serve on.
      svc = n.filter(x -> x.port().isPresent()).map(KumaServiceName::service).orElse("");
    }
    Map<String, String> ext = new LinkedHashMap<>();
    ext.put("kuma_service", key);
    if (!svc.isEmpty()) {
      ext.put("service", svc);
    }
    if (!ns.isEmpty()) {
      ext.put("namespace", ns);
    }
    // Metric selectors on object metrics may use the external label names too.
    Map<String, String> all = new LinkedHashMap<>(labels);
    all.putAll(ext);
    return Optional.of(new SeriesIdentity(ns, svc, "", "", key, all, ext));
  }

  Optional<SeriesIdentity> podIdentity(Map<String, String> labels) {
    String pod = labels.getOrDefault(podLabel, "");
    String ns = labels.getOrDefault(namespaceLabel, "");
    if (pod.isEmpty() || ns.isEmpty()) {
      return Optional.empty();
    }
    // Selectors are matched against these labels: the configured podLabels (e.g. app) are here.
    String key = labels.getOrDefault(regime.serviceLabel(), "");
    return Optional.of(new SeriesIdentity(ns, "", "", pod, key, labels, Map.of()));
  }

  /** Seconds in Prometheus duration syntax. */
  public static String promDuration(long seconds) {
    if (seconds % 3600 == 0) {
      return seconds / 3600 + "h";
    }
    if (seconds % 60 == 0) {
      return seconds / 60 + "m";
    }
    return seconds + "s";
  }
}
