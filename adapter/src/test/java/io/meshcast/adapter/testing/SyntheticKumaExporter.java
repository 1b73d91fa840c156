package io.meshcast.adapter.testing;

import com.sun.net.httpserver.HttpServer;
import io.meshcast.adapter.kuma.Regime;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;

/**
 * A fake fleet of Kuma sidecars: one HTTP endpoint per pod on 127.0.0.1 serving Envoy-style
 * {@code /metrics} text in one of the three Kuma regimes (kuma-metrics.md §6), with traffic the
 * test controls and exact ground truth.
 *
 * <p>Counters advance continuously at the configured rates (changing the traffic folds the count
 * so far, so counters never go back); values are printed as integers, as Envoy does. Each pod
 * exposes inbound HCM stats ({@code envoy_http_downstream_rq_total}, {@code _rq_xx}, {@code
 * _rq_time} histogram with Envoy's default buckets in ms, {@code _rq_active}), the inbound cluster
 * stats, an outbound cluster and a system cluster as noise. With {@link #setCalls} the outbound
 * clusters follow a configurable call graph instead, with per-edge ground truth ({@link
 * #edgeTruth}). Regime differences:
 *
 * <ul>
 *   <li>LEGACY: Envoy labels plus {@code kuma_io_mesh_traffic="true"}; identity comes from the
 *       scrape target labels (as {@code kuma_sd} + the shipped relabelling produce them); inbound
 *       prefix {@code localhost_<targetPort>}.
 *   <li>MESHMETRIC: identity labels on every sample, sorted, with {@code otel_scope_*}; only used
 *       series (no 5xx series before the first 5xx); target labels are just job/instance.
 *   <li>UNIFIED: only {@code mesh}, {@code zone}, {@code kuma_proxy_role}, {@code kuma_workload}
 *       on samples; prefix {@code self_inbound_dp_http}; {@code pod}/{@code namespace} as target
 *       labels (Kubernetes pod SD).
 * </ul>
 *
 * Thread-safe: traffic may change while Prometheus scrapes.
 */
public final class SyntheticKumaExporter implements AutoCloseable {

  /** Envoy's default histogram bucket bounds in milliseconds. */
  public static final double[] BUCKETS = {
    0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 600000,
    1800000, 3600000
  };

  /** A Kubernetes Service in the mesh and how many pods back it. */
  public record ServiceSpec(
      String namespace, String name, int servicePort, int targetPort, int pods) {

    public String kumaService() {
      return name + "_" + namespace + "_svc_" + servicePort;
    }
  }

  /** One synthetic pod. */
  public record PodRef(ServiceSpec service, String name) {
    public String namespace() {
      return service.namespace();
    }
  }

  private final Regime regime;
  private final Clock clock;
  private final String mesh;
  private final boolean xxTotalSuffix;
  private final HttpServer server;
  private final Map<String, PodState> pods = java.util.Collections.synchronizedMap(
      new LinkedHashMap<>());
  private final Map<String, Integer> podCounter = new java.util.concurrent.ConcurrentHashMap<>();
  /** The call graph (issue 15); empty: the fixed "ratings" outbound noise of the golden tests. */
  private volatile List<Call> calls = List.of();

  private SyntheticKumaExporter(
      Regime regime, Clock clock, String mesh, boolean xxTotalSuffix, List<ServiceSpec> services)
      throws IOException {
    this.regime = regime;
    this.clock = clock;
    this.mesh = mesh;
    this.xxTotalSuffix = xxTotalSuffix;
    for (ServiceSpec s : services) {
      for (int i = 0; i < s.pods(); i++) {
        addPod(s);
      }
    }
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
    server.setExecutor(Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "synthetic-kuma-exporter");
      t.setDaemon(true);
      return t;
    }));
    server.createContext("/pods/", exchange -> {
      String[] parts = exchange.getRequestURI().getPath().split("/");
      // /pods/<ns>/<pod>/metrics
      PodState p = parts.length == 5 ? pods.get(parts[2] + "/" + parts[3]) : null;
      byte[] body = p == null ? new byte[0] : render(p).getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
      exchange.sendResponseHeaders(p == null ? 404 : 200, p == null ? -1 : body.length);
      try (OutputStream os = exchange.getResponseBody()) {
        os.write(body);
      }
    });
    server.start();
  }

  /** Starts an exporter; every pod starts with no traffic. */
  public static SyntheticKumaExporter start(
      Regime regime, List<ServiceSpec> services, Clock clock) throws IOException {
    return new SyntheticKumaExporter(regime, clock, "default", false, services);
  }

  /** As {@link #start}, in mesh {@code mesh} (several fleets can then share one Prometheus). */
  public static SyntheticKumaExporter start(
      Regime regime, List<ServiceSpec> services, Clock clock, String mesh) throws IOException {
    return new SyntheticKumaExporter(regime, clock, mesh, false, services);
  }

  /** As {@link #start}, with the {@code envoy_http_downstream_rq_xx_total} name (§4.2). */
  public static SyntheticKumaExporter startWithXxTotal(
      Regime regime, List<ServiceSpec> services, Clock clock) throws IOException {
    return new SyntheticKumaExporter(regime, clock, "default", true, services);
  }

  public Regime regime() {
    return regime;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  public List<PodRef> pods() {
    synchronized (pods) {
      List<PodRef> out = new ArrayList<>();
      pods.values().forEach(p -> out.add(p.ref));
      return out;
    }
  }

  /** Pods of one Service. */
  public List<PodRef> pods(String namespace, String service) {
    return pods().stream()
        .filter(p -> p.namespace().equals(namespace) && p.service().name().equals(service))
        .toList();
  }

  /**
   * Adds a pod to a Service (a scale-up), with no traffic. Prometheus sees it after {@link
   * PrometheusServer#updateTargets} with the new {@link #scrapeTargets()}.
   */
  public PodRef addPod(ServiceSpec service) {
    int i = podCounter.merge(service.namespace() + "/" + service.name(), 1, Integer::sum) - 1;
    PodRef p = new PodRef(service, podName(service.name(), i));
    pods.put(p.namespace() + "/" + p.name(), new PodState(p, clock.millis()));
    return p;
  }

  /** Removes a pod (a scale-down): its endpoint answers 404 and it leaves the targets. */
  public void removePod(PodRef pod) {
    pods.remove(pod.namespace() + "/" + pod.name());
  }

  /** Sets one pod's traffic from now on. */
  public void setTraffic(PodRef pod, Traffic traffic) {
    pods.get(pod.namespace() + "/" + pod.name()).set(traffic, clock.millis(), calls);
  }

  /** Sets the same traffic on every pod of a Service. */
  public void setTraffic(String namespace, String service, Traffic perPod) {
    pods(namespace, service).forEach(p -> setTraffic(p, perPod));
  }

  public Traffic traffic(PodRef pod) {
    return pods.get(pod.namespace() + "/" + pod.name()).traffic;
  }

  // ---- ground truth of the current traffic ----

  public double rps(String namespace, String service) {
    return pods(namespace, service).stream().mapToDouble(p -> traffic(p).rps()).sum();
  }

  public double errorRatio(String namespace, String service) {
    double total = rps(namespace, service);
    return pods(namespace, service).stream()
        .mapToDouble(p -> traffic(p).rps() * traffic(p).errorShare()).sum() / total;
  }

  public double inflight(String namespace, String service) {
    return pods(namespace, service).stream().mapToDouble(p -> traffic(p).inflight()).sum();
  }

  /** The q-quantile of the service's request-weighted latency mixture, by bisection. */
  public double latencyQuantile(String namespace, String service, double q) {
    List<PodRef> ps = pods(namespace, service);
    double total = rps(namespace, service);
    double lo = 0;
    double hi = ps.stream().mapToDouble(p -> traffic(p).latencyHighMs()).max().orElse(0);
    for (int i = 0; i < 100; i++) {
      double mid = (lo + hi) / 2;
      double f = ps.stream().mapToDouble(p -> traffic(p).rps() * traffic(p).cdf(mid)).sum() / total;
      if (f < q) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return (lo + hi) / 2;
  }

  /** Targets for {@link PrometheusServer}: one per pod, with the regime's target labels. */
  public List<ScrapeTarget> scrapeTargets() {
    List<ScrapeTarget> out = new ArrayList<>();
    for (PodRef r : pods()) {
      Map<String, String> labels = new TreeMap<>();
      switch (regime) {
        case LEGACY -> {
          labels.putAll(identityLabels(r));
          labels.put("instance", r.name() + "." + r.namespace());
          labels.put("pod", r.name());
          labels.put("namespace", r.namespace());
        }
        case MESHMETRIC -> labels.put("instance", r.name() + "." + r.namespace());
        case UNIFIED -> {
          // Kubernetes pod SD relabelling: pod, namespace and labelmap of the pod labels.
          labels.put("pod", r.name());
          labels.put("namespace", r.namespace());
          labels.put("app", r.service().name());
        }
        default -> throw new AssertionError(regime);
      }
      out.add(new ScrapeTarget("127.0.0.1:" + port(),
          "/pods/" + r.namespace() + "/" + r.name() + "/metrics", labels));
    }
    return out;
  }

  @Override
  public void close() {
    server.stop(0);
    ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
  }

  /** Labels kuma_sd + relabel (A) or kuma-dp (B) derive from the Dataplane tags (§1.3). */
  private Map<String, String> identityLabels(PodRef r) {
    ServiceSpec s = r.service();
    String hash = r.name().split("-")[r.name().split("-").length - 2];
    Map<String, String> m = new TreeMap<>();
    m.put("mesh", mesh);
    m.put("dataplane", r.name() + "." + r.namespace());
    m.put("k8s_kuma_io_name", r.name());
    m.put("k8s_kuma_io_namespace", r.namespace());
    m.put("k8s_kuma_io_namespaces", "," + r.namespace() + ",");
    m.put("k8s_kuma_io_service_name", s.name());
    m.put("k8s_kuma_io_service_names", "," + s.name() + ",");
    m.put("k8s_kuma_io_service_port", String.valueOf(s.servicePort()));
    m.put("k8s_kuma_io_service_ports", "," + s.servicePort() + ",");
    m.put("kuma_io_service", s.kumaService());
    m.put("kuma_io_services", "," + s.kumaService() + ",");
    m.put("kuma_io_protocol", "http");
    m.put("kuma_io_protocols", ",http,");
    m.put("kuma_io_zone", "default");
    m.put("kuma_io_zones", ",default,");
    m.put("app", s.name());
    m.put("apps", "," + s.name() + ",");
    m.put("pod_template_hash", hash);
    m.put("pod_template_hashs", "," + hash + ",");
    return m;
  }

  private String render(PodState p) {
    Counts c = p.counts(clock.millis(), calls);
    PodRef r = p.ref;
    String inbound = regime == Regime.UNIFIED ? "self_inbound_dp_http"
        : "localhost_" + r.service().targetPort();
    String outbound = regime == Regime.UNIFIED
        ? "kri_msvc_" + mesh + "_zone-1_" + r.namespace() + "_ratings_http"
        : "ratings_" + r.namespace() + "_svc_8080";
    Map<String, String> common = new TreeMap<>();
    switch (regime) {
      case LEGACY -> { }
      case MESHMETRIC -> {
        common.putAll(identityLabels(r));
        common.put("kuma_proxy_role", "sidecar");
        common.put("kuma_workload", r.service().name());
        common.put("zone", "default");
        otel(common);
      }
      case UNIFIED -> {
        common.put("mesh", mesh);
        common.put("zone", "zone-1");
        common.put("kuma_proxy_role", "sidecar");
        common.put("kuma_workload", r.service().name());
        otel(common);
      }
      default -> throw new AssertionError(regime);
    }
    boolean legacy = regime == Regime.LEGACY;
    boolean usedOnly = !legacy;
    StringBuilder sb = new StringBuilder(8192);
    Family f = new Family(sb, common, legacy);

    f.type("envoy_http_downstream_rq_total", "counter");
    f.line("envoy_http_downstream_rq_total", c.total, "envoy_http_conn_manager_prefix", inbound);
    String xx = "envoy_http_downstream_rq_xx" + (xxTotalSuffix ? "_total" : "");
    f.type(xx, "counter");
    f.line(xx, c.xx2, "envoy_response_code_class", "2", "envoy_http_conn_manager_prefix", inbound);
    if (!usedOnly || c.xx5 > 0) {
      f.line(xx, c.xx5, "envoy_response_code_class", "5", "envoy_http_conn_manager_prefix",
          inbound);
    }
    f.type("envoy_http_downstream_rq_active", "gauge");
    f.line("envoy_http_downstream_rq_active", p.traffic.inflight(),
        "envoy_http_conn_manager_prefix", inbound);
    f.type("envoy_http_downstream_cx_active", "gauge");
    f.line("envoy_http_downstream_cx_active", Math.max(1, p.traffic.inflight()),
        "envoy_http_conn_manager_prefix", inbound);
    f.type("envoy_http_downstream_rq_time", "histogram");
    for (int i = 0; i < BUCKETS.length; i++) {
      f.line("envoy_http_downstream_rq_time_bucket", c.buckets[i],
          "envoy_http_conn_manager_prefix", inbound, "le", le(BUCKETS[i]));
    }
    f.line("envoy_http_downstream_rq_time_bucket", c.total, "envoy_http_conn_manager_prefix",
        inbound, "le", "+Inf");
    f.line("envoy_http_downstream_rq_time_sum", c.sum, "envoy_http_conn_manager_prefix", inbound);
    f.line("envoy_http_downstream_rq_time_count", c.total, "envoy_http_conn_manager_prefix",
        inbound);

    // Inbound cluster (sidecar -> app) and outbound/system clusters: noise the queries must skip.
    f.type("envoy_cluster_upstream_rq_total", "counter");
    f.line("envoy_cluster_upstream_rq_total", c.total, "envoy_cluster_name", inbound);
    if (calls.isEmpty()) {
      f.line("envoy_cluster_upstream_rq_total", c.total / 2, "envoy_cluster_name", outbound);
    } else {
      outboundTotals(f, p);
    }
    if (legacy) {
      f.lineNoMesh("envoy_cluster_upstream_rq_total", 3121, "envoy_cluster_name",
          "kuma_envoy_admin");
    }
    f.type("envoy_cluster_upstream_rq_active", "gauge");
    f.line("envoy_cluster_upstream_rq_active", p.traffic.inflight(), "envoy_cluster_name",
        inbound);
    if (calls.isEmpty()) {
      f.line("envoy_cluster_upstream_rq_active", 3, "envoy_cluster_name", outbound);
    } else {
      outboundFamilies(f, p, usedOnly);
    }
    renderPressure(f, r, usedOnly);
    f.type("envoy_server_live", "gauge");
    f.lineNoMesh("envoy_server_live", 1);
    return sb.toString();
  }

  // ---- Saturation (issue 11): what callers' sidecars record when a destination saturates ----

  /**
   * What one caller pod's outbound cluster for a destination records while the destination is
   * saturated (its sidecar's breaker and pending queue; kuma-metrics.md §3): requests rejected
   * ({@code envoy_cluster_upstream_rq_pending_overflow}), the pending queue growing ({@code
   * _rq_pending_active}), retries sent ({@code _rq_retry}; they reach the destination again, so the
   * test includes them in the destination's {@link Traffic#rps()}) and timeouts ({@code
   * _rq_timeout}; requests the destination already counted).
   */
  public record CallerPressure(double rejectedRps, double queueGrowthPerSecond, double retryRps,
      double timeoutRps) {
    public CallerPressure {
      if (rejectedRps < 0 || queueGrowthPerSecond < 0 || retryRps < 0 || timeoutRps < 0) {
        throw new IllegalArgumentException("invalid pressure " + this);
      }
    }
  }

  private final Map<String, Map<ServiceSpec, PressureState>> pressure =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** Sets what {@code caller}'s sidecar records for {@code destination} from now on. */
  public void setPressure(PodRef caller, ServiceSpec destination, CallerPressure p) {
    // Both sections write the envoy_cluster_upstream_rq_retry family: one page may not type it twice.
    if (!calls.isEmpty()) {
      throw new IllegalStateException("setPressure: this exporter already has a call graph "
          + "(setCalls); use one of the two per exporter");
    }
    pressure.computeIfAbsent(caller.namespace() + "/" + caller.name(),
            k -> new java.util.concurrent.ConcurrentHashMap<>())
        .computeIfAbsent(destination, d -> new PressureState(clock.millis()))
        .set(p, clock.millis());
  }

  /**
   * Ground truth of the offered demand on a service: what its pods serve (retries included, as
   * they arrive again) minus the retries, plus what its callers reject and queue.
   */
  public double demand(String namespace, String service) {
    double d = rps(namespace, service);
    for (Map<ServiceSpec, PressureState> byDest : pressure.values()) {
      for (Map.Entry<ServiceSpec, PressureState> e : byDest.entrySet()) {
        if (e.getKey().namespace().equals(namespace) && e.getKey().name().equals(service)) {
          CallerPressure p = e.getValue().pressure;
          d += p.rejectedRps() + p.queueGrowthPerSecond() - p.retryRps();
        }
      }
    }
    return Math.max(0, d);
  }

  /** The outbound cluster a caller's sidecar has for {@code destination} in this regime. */
  String outboundCluster(ServiceSpec destination) {
    return regime == Regime.UNIFIED
        ? "kri_msvc_" + mesh + "_zone-1_" + destination.namespace() + "_" + destination.name()
            + "_" + "http"
        : destination.kumaService();
  }

  private void renderPressure(Family f, PodRef caller, boolean usedOnly) {
    Map<ServiceSpec, PressureState> byDest = pressure.get(caller.namespace() + "/" + caller.name());
    if (byDest == null || byDest.isEmpty()) {
      return;
    }
    long now = clock.millis();
    Map<String, double[]> values = new TreeMap<>();
    byDest.forEach((dest, st) -> values.put(outboundCluster(dest), st.values(now)));
    String[] names = {"envoy_cluster_upstream_rq_pending_overflow",
        "envoy_cluster_upstream_rq_pending_active", "envoy_cluster_upstream_rq_retry",
        "envoy_cluster_upstream_rq_timeout"};
    for (int i = 0; i < names.length; i++) {
      f.type(names[i], i == 1 ? "gauge" : "counter");
      for (Map.Entry<String, double[]> e : values.entrySet()) {
        if (!usedOnly || e.getValue()[i] > 0) {
          f.line(names[i], e.getValue()[i], "envoy_cluster_name", e.getKey());
        }
      }
    }
  }

  /** One caller's counters for one destination; every counter is base + rate * (t - since). */
  private static final class PressureState {
    private CallerPressure pressure = new CallerPressure(0, 0, 0, 0);
    private long since;
    private double overflow;
    private double pending;
    private double retries;
    private double timeouts;

    PressureState(long now) {
      this.since = now;
    }

    synchronized void set(CallerPressure p, long now) {
      values(now);
      pressure = p;
    }

    /** overflow, pending, retries, timeouts at {@code now}. */
    synchronized double[] values(long now) {
      double dt = (now - since) / 1000.0;
      overflow += pressure.rejectedRps() * dt;
      pending += pressure.queueGrowthPerSecond() * dt;
      retries += pressure.retryRps() * dt;
      timeouts += pressure.timeoutRps() * dt;
      since = now;
      return new double[] {overflow, pending, retries, timeouts};
    }
  }

  private static void otel(Map<String, String> m) {
    m.put("otel_scope_name", "kuma");
    m.put("otel_scope_schema_url", "");
    m.put("otel_scope_version", "2.14.3");
  }

  /** Go-style float formatting of bucket bounds, as Envoy prints them ({@code 1.8e+06}). */
  static String le(double b) {
    if (b >= 1e6) {
      // Java's %e already writes Go's two-digit exponent: 1.8e+06.
      return String.format(Locale.ROOT, "%.1e", b).replace(".0e", "e");
    }
    return b == Math.rint(b) ? String.valueOf((long) b) : String.valueOf(b);
  }

  private static String podName(String service, int i) {
    // Nine hex digits, like a pod-template-hash.
    String hash = Long.toString((service.hashCode() & 0xffffffffL) + 0x100000000L, 16);
    String alphabet = "bcdfghjklmnpqrstvwxz2456789";
    StringBuilder suffix = new StringBuilder();
    int x = i * 7919 + 12345;
    for (int k = 0; k < 5; k++) {
      suffix.append(alphabet.charAt(Math.floorMod(x, alphabet.length())));
      x = x / alphabet.length() + 31 * k + i;
    }
    return service + "-" + hash + "-" + suffix;
  }

  /** Writes one family's lines with the regime's common labels. */
  private static final class Family {
    private final StringBuilder sb;
    private final Map<String, String> common;
    private final boolean meshTraffic;

    Family(StringBuilder sb, Map<String, String> common, boolean meshTraffic) {
      this.sb = sb;
      this.common = common;
      this.meshTraffic = meshTraffic;
    }

    void type(String name, String type) {
      sb.append("\n# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    void line(String name, double value, String... kv) {
      write(name, value, true, kv);
    }

    void lineNoMesh(String name, double value, String... kv) {
      write(name, value, false, kv);
    }

    private void write(String name, double value, boolean mesh, String... kv) {
      Map<String, String> labels = new TreeMap<>(mesh ? common : Map.of());
      for (int i = 0; i < kv.length; i += 2) {
        labels.put(kv[i], kv[i + 1]);
      }
      if (mesh && meshTraffic) {
        labels.put("kuma_io_mesh_traffic", "true");
      }
      sb.append(name);
      if (!labels.isEmpty()) {
        sb.append('{');
        boolean first = true;
        for (Map.Entry<String, String> e : labels.entrySet()) {
          if (!first) {
            sb.append(',');
          }
          first = false;
          sb.append(e.getKey()).append("=\"").append(e.getValue()).append('"');
        }
        sb.append('}');
      }
      sb.append(' ').append((long) Math.floor(value)).append('\n');
    }
  }

  /** Integer counter values at one instant. */
  private record Counts(double total, double xx2, double xx5, double[] buckets, double sum) {}

  /** Accumulators for one pod; every counter is base + rate * (t - since). */
  private static final class PodState {
    private final PodRef ref;
    private Traffic traffic = new Traffic(0, 0, 1, 5, 0);
    private long since;
    private double total;
    private double xx5;
    private final double[] buckets = new double[BUCKETS.length];
    private double sum;
    /** Outbound accumulators per callee: a changed call keeps counting where it was. */
    private final Map<ServiceSpec, EdgeCounts> outbound = new LinkedHashMap<>();

    PodState(PodRef ref, long now) {
      this.ref = ref;
      this.since = now;
    }

    synchronized void set(Traffic t, long now, List<Call> calls) {
      fold(now, calls);
      traffic = t;
    }

    synchronized Counts counts(long now, List<Call> calls) {
      fold(now, calls);
      double t = Math.floor(total);
      double e = Math.floor(xx5);
      double[] b = new double[buckets.length];
      for (int i = 0; i < b.length; i++) {
        b[i] = Math.min(Math.floor(buckets[i]), t);
      }
      return new Counts(t, t - e, e, b, sum);
    }

    /** A consistent copy of the outbound accumulators at {@code now}. */
    synchronized Map<ServiceSpec, EdgeCounts> outbound(long now, List<Call> calls) {
      fold(now, calls);
      Map<ServiceSpec, EdgeCounts> out = new LinkedHashMap<>();
      outbound.forEach((c, e) -> out.put(c, e.copy()));
      return out;
    }

    private void foldOutbound(double n, List<Call> calls) {
      for (Call c : calls) {
        if (c.caller().equals(ref.service())) {
          outbound.computeIfAbsent(c.callee(), k -> new EdgeCounts()).add(c, n);
        }
      }
    }

    private void fold(long now, List<Call> calls) {
      double dt = (now - since) / 1000.0;
      double n = traffic.rps() * dt;
      foldOutbound(n, calls);
      total += n;
      xx5 += n * traffic.errorShare();
      for (int i = 0; i < buckets.length; i++) {
        buckets[i] += n * traffic.cdf(BUCKETS[i]);
      }
      sum += n * traffic.meanLatencyMs();
      since = now;
    }
  }

  // ---- call graph: outbound (caller-side) cluster metrics, issue 15 ----

  /**
   * Sets the call graph from now on: each caller pod's sidecar then exports, per callee, the
   * outbound cluster counters {@code envoy_cluster_upstream_rq_total}, {@code _rq_retry}, {@code
   * _rq_xx} (classes 2 and 5) and the {@code _rq_time} histogram, driven by the requests the pod
   * receives (its {@link Traffic#rps()}). The cluster is named as each regime names it:
   * {@code <svc>_<ns>_svc_<port>} (LEGACY), {@code <mesh>_<svc>_<ns>_<zone>_msvc_<port>}
   * (MESHMETRIC with MeshServices), {@code kri_msvc_<mesh>_<zone>_<ns>_<svc>_<port>} (UNIFIED).
   * The fixed "ratings" outbound noise is no longer exported once a graph is set (it would be an
   * edge of its own). Counters so far are folded first, so they never go back.
   */
  public void setCalls(List<Call> newCalls) {
    List<Call> copy = List.copyOf(newCalls);
    if (!copy.isEmpty() && !pressure.isEmpty()) {
      throw new IllegalStateException("setCalls: this exporter already has caller pressure "
          + "(setPressure); use one of the two per exporter");
    }
    long now = clock.millis();
    synchronized (pods) {
      for (PodState p : pods.values()) {
        p.counts(now, calls);
      }
      calls = copy;
    }
  }

  public List<Call> calls() {
    return calls;
  }

  /**
   * Sets every Service's inbound traffic from the graph: its rps is {@code ingress} (requests from
   * outside the mesh) plus the attempts of every call into it, spread evenly over its pods, with
   * the error share and latency of {@code shape}. The graph must be acyclic (it is walked to a
   * fixed point in at most as many passes as there are Services).
   */
  public void setTrafficFromCalls(Map<ServiceSpec, Double> ingress, Traffic shape) {
    Map<ServiceSpec, Double> rps = serviceRps(ingress);
    for (Map.Entry<ServiceSpec, Double> e : rps.entrySet()) {
      ServiceSpec s = e.getKey();
      List<PodRef> ps = pods(s.namespace(), s.name());
      for (PodRef p : ps) {
        setTraffic(p, new Traffic(e.getValue() / ps.size(), shape.errorShare(),
            shape.latencyLowMs(), shape.latencyHighMs(), shape.inflight()));
      }
    }
  }

  /** Each Service's inbound rps implied by {@code ingress} and the call graph. */
  public Map<ServiceSpec, Double> serviceRps(Map<ServiceSpec, Double> ingress) {
    java.util.Set<ServiceSpec> all = new java.util.LinkedHashSet<>(ingress.keySet());
    calls.forEach(c -> {
      all.add(c.caller());
      all.add(c.callee());
    });
    Map<ServiceSpec, Double> rps = new LinkedHashMap<>();
    for (int pass = 0; pass <= all.size(); pass++) {
      Map<ServiceSpec, Double> next = new LinkedHashMap<>();
      for (ServiceSpec s : all) {
        double v = ingress.getOrDefault(s, 0.0);
        for (Call c : calls) {
          if (c.callee().equals(s)) {
            v += rps.getOrDefault(c.caller(), 0.0) * c.attemptsPerRequest();
          }
        }
        next.put(s, v);
      }
      rps = next;
    }
    return rps;
  }

  /** Ground truth of one edge under the current traffic and graph. */
  public record EdgeTruth(double rps, double ratio, double errorRatio, double p99Ms,
      double retryRps) {}

  /** The truth of the edge {@code caller -> callee}; throws if there is no such call. */
  public EdgeTruth edgeTruth(ServiceSpec caller, ServiceSpec callee) {
    Call c = calls.stream().filter(x -> x.caller().equals(caller) && x.callee().equals(callee))
        .findFirst().orElseThrow(() -> new IllegalArgumentException("no call " + caller.name()
            + " -> " + callee.name()));
    double callerRps = rps(caller.namespace(), caller.name());
    return new EdgeTruth(callerRps * c.attemptsPerRequest(), c.ratio(), c.errorShare(),
        c.latencyLowMs() + 0.99 * (c.latencyHighMs() - c.latencyLowMs()),
        callerRps * c.ratio() * c.retryShare());
  }

  /** The outbound cluster name of {@code callee} in this exporter's regime. */
  public String clusterName(ServiceSpec callee) {
    return switch (regime) {
      case LEGACY -> callee.kumaService();
      case MESHMETRIC -> mesh + "_" + callee.name() + "_" + callee.namespace() + "_default_msvc_"
          + callee.servicePort();
      case UNIFIED -> "kri_msvc_" + mesh + "_zone-1_" + callee.namespace() + "_" + callee.name()
          + "_" + callee.servicePort();
    };
  }

  private List<Call> callsFrom(PodState p) {
    return calls.stream().filter(c -> c.caller().equals(p.ref.service())).toList();
  }

  /** The outbound lines of the {@code envoy_cluster_upstream_rq_total} family. */
  private void outboundTotals(Family f, PodState p) {
    Map<ServiceSpec, EdgeCounts> out = p.outbound(clock.millis(), calls);
    for (Call c : callsFrom(p)) {
      f.line("envoy_cluster_upstream_rq_total", out.get(c.callee()).floorTotal(), "envoy_cluster_name",
          clusterName(c.callee()));
    }
  }

  /** The other outbound families; MeshMetric's usedonly hides counters that never moved. */
  private void outboundFamilies(Family f, PodState p, boolean usedOnly) {
    List<Call> mine = callsFrom(p);
    if (mine.isEmpty()) {
      return;
    }
    Map<ServiceSpec, EdgeCounts> out = p.outbound(clock.millis(), calls);
    f.type("envoy_cluster_upstream_rq_retry", "counter");
    for (Call c : mine) {
      double v = Math.floor(out.get(c.callee()).retries);
      if (!usedOnly || v > 0) {
        f.line("envoy_cluster_upstream_rq_retry", v, "envoy_cluster_name", clusterName(c.callee()));
      }
    }
    f.type("envoy_cluster_upstream_rq_xx", "counter");
    for (Call c : mine) {
      EdgeCounts e = out.get(c.callee());
      String name = clusterName(c.callee());
      double total = e.floorTotal();
      double xx5 = Math.min(Math.floor(e.xx5), total);
      f.line("envoy_cluster_upstream_rq_xx", total - xx5, "envoy_cluster_name", name,
          "envoy_response_code_class", "2");
      if (!usedOnly || xx5 > 0) {
        f.line("envoy_cluster_upstream_rq_xx", xx5, "envoy_cluster_name", name,
            "envoy_response_code_class", "5");
      }
    }
    f.type("envoy_cluster_upstream_rq_time", "histogram");
    for (Call c : mine) {
      EdgeCounts e = out.get(c.callee());
      String name = clusterName(c.callee());
      double total = e.floorTotal();
      for (int i = 0; i < BUCKETS.length; i++) {
        f.line("envoy_cluster_upstream_rq_time_bucket", Math.min(Math.floor(e.buckets[i]), total),
            "envoy_cluster_name", name, "le", le(BUCKETS[i]));
      }
      f.line("envoy_cluster_upstream_rq_time_bucket", total, "envoy_cluster_name", name, "le",
          "+Inf");
      f.line("envoy_cluster_upstream_rq_time_sum", e.sum, "envoy_cluster_name", name);
      f.line("envoy_cluster_upstream_rq_time_count", total, "envoy_cluster_name", name);
    }
  }

  /** Outbound accumulators of one caller pod towards one callee. */
  private static final class EdgeCounts {
    private double total;
    private double retries;
    private double xx5;
    private final double[] buckets = new double[BUCKETS.length];
    private double sum;

    double floorTotal() {
      return Math.floor(total);
    }

    /** {@code n} requests received by the caller pod: its outbound attempts towards the callee. */
    void add(Call c, double n) {
      double logical = n * c.ratio();
      double attempts = logical * (1 + c.retryShare());
      total += attempts;
      retries += logical * c.retryShare();
      xx5 += attempts * c.errorShare();
      for (int i = 0; i < buckets.length; i++) {
        buckets[i] += attempts * c.cdf(BUCKETS[i]);
      }
      sum += attempts * c.meanLatencyMs();
    }

    EdgeCounts copy() {
      EdgeCounts e = new EdgeCounts();
      e.total = total;
      e.retries = retries;
      e.xx5 = xx5;
      System.arraycopy(buckets, 0, e.buckets, 0, buckets.length);
      e.sum = sum;
      return e;
    }
  }
}
