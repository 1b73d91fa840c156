package io.meshcast.adapter.kuma;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshcast.adapter.api.ApiServer;
import io.meshcast.adapter.pipeline.Level;
import io.meshcast.adapter.pipeline.MetricDefinition;
import io.meshcast.adapter.testing.HttpsTestClient;
import io.meshcast.adapter.testing.PrometheusServer;
import io.meshcast.adapter.testing.PrometheusServer.ScrapeJob;
import io.meshcast.adapter.testing.ScrapeTarget;
import io.meshcast.adapter.testing.SyntheticKumaExporter;
import io.meshcast.adapter.testing.SyntheticKumaExporter.PodRef;
import io.meshcast.adapter.testing.SyntheticKumaExporter.ServiceSpec;
import io.meshcast.adapter.testing.Traffic;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17 against a real Prometheus: after a Prometheus outage, a target missing for a while and
 * a pod added mid-window, every value served through the HTTP API is within 5 % of the synthetic
 * exporter's ground truth or a 503 from the staleness policy, never a confident wrong value. One
 * fleet per Kuma regime (legacy, meshmetric, unified, each in its own mesh) shares one Prometheus,
 * each with its own pipeline and API server.
 *
 * <p>Proportions of the issue, scaled down: scrape 1 s (8 samples per window in the issue, 20
 * here), rate window 20 s (issue: 2 m), Prometheus outage 25 s (issue: 120 s; outage longer than
 * the window, so the window right after the restart holds no sample from before), target gap 8 s
 * (issue: 45 s of a 2 m window), refresh 1 s, {@code maxAge} 4 s (4 refreshes, the default ratio).
 *
 * <p>Ground truth moves only in the added-pod scenario, at the moment Prometheus first holds the
 * new pod's samples; a served value may describe data up to {@code maxAge} + one scrape old (the
 * staleness policy bounds that), so a value is compared with the truth at any moment of the last
 * {@link #DATA_LAG}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
final class GapRecoveryIT {

  static final double TOLERANCE = 0.05;
  /**
   * Time scale of the whole scenario (default 1). {@code -Dmeshcast.gapScale=6} runs the issue's
   * own proportions in real time: 6 s scrapes and refreshes, a 2 m window, a 150 s Prometheus
   * outage and a 48 s target gap (about 15 minutes; not part of the default suite).
   */
  static final int SCALE = Integer.getInteger("meshcast.gapScale", 1);
  static final Duration SCRAPE = Duration.ofSeconds(SCALE);
  static final int WINDOW_SECONDS = 20 * SCALE;
  static final Duration OUTAGE = Duration.ofSeconds(25L * SCALE);
  static final Duration TARGET_GAP = Duration.ofSeconds(8L * SCALE);
  static final Duration DATA_LAG = Duration.ofSeconds(6L * SCALE);
  static final ServiceSpec BACKEND = new ServiceSpec("kuma-demo", "backend", 3001, 8080, 2);
  static final Traffic PER_POD = new Traffic(100, 0.05, 25, 100, 3);
  static final double P90 = PER_POD.latencyQuantile(0.90);
  static final String CUSTOM = "/apis/custom.metrics.k8s.io/v1beta2/namespaces/kuma-demo/";

  static Vertx vertx;
  static PrometheusServer prometheus;
  static final Map<Regime, SyntheticKumaExporter> exporters = new EnumMap<>(Regime.class);
  static final Map<Regime, KumaPipeline> pipelines = new EnumMap<>(Regime.class);
  static final Map<Regime, PrometheusRegistry> registries = new EnumMap<>(Regime.class);
  static final Map<Regime, ApiServer> servers = new EnumMap<>(Regime.class);
  static final Map<Regime, HttpsTestClient> clients = new EnumMap<>(Regime.class);
  /** Service-level ground truth (rps) over time, per regime: [epoch millis, value]. */
  static final Map<Regime, List<double[]>> truth = new EnumMap<>(Regime.class);
  @TempDir static Path dir;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    List<ScrapeJob> jobs = new ArrayList<>();
    for (Regime r : Regime.values()) {
      SyntheticKumaExporter e = SyntheticKumaExporter.start(r, List.of(BACKEND),
          Clock.systemUTC(), mesh(r));
      e.setTraffic("kuma-demo", "backend", PER_POD);
      exporters.put(r, e);
      truth.put(r, new ArrayList<>(List.of(new double[] {0, e.rps("kuma-demo", "backend")})));
    }
    prometheus = PrometheusServer.start(jobs(Optional.empty()), SCRAPE);
    for (Regime r : Regime.values()) {
      Path cfg = dir.resolve(r + ".yaml");
      Files.writeString(cfg, """
          prometheus:
            url: %s
            timeout: 5s
          refresh:
            interval: %ds
            historyPoints: 60
          kuma:
            regime: %s
            mesh: %s
            rateWindow: %ds
          kubernetes:
            mode: none
          """.formatted(
              prometheus.url(), SCALE, r.name().toLowerCase(), mesh(r), WINDOW_SECONDS));
      PrometheusRegistry registry = new PrometheusRegistry();
      registries.put(r, registry);
      KumaPipeline p = await(KumaPipeline.start(vertx, cfg, Clock.systemUTC(),
          new KumaPipeline.Options(registry, Optional.empty(), Duration.ofSeconds(5))));
      pipelines.put(r, p);
      ApiServer server = ApiServer.builder(vertx)
          .options(ApiServer.Options.defaults().withPort(0))
          .customMetrics(p.customMetricsProvider())
          .externalMetrics(p.externalMetricsProvider())
          .build();
      int port = await(server.start());
      servers.put(r, server);
      clients.put(r, new HttpsTestClient("https://127.0.0.1:" + port,
          server.certificate().certChainPem()));
    }
    // Steady state: every regime serves the truth from complete windows.
    for (Regime r : Regime.values()) {
      awaitServed(r, "steady state", Duration.ofSeconds(120L * SCALE),
          v -> Math.abs(v - 200) <= 200 * TOLERANCE);
    }
    Thread.sleep(WINDOW_SECONDS * 1000L);
  }

  @AfterAll
  static void stop() throws Exception {
    for (Regime r : servers.keySet()) {
      await(servers.get(r).close());
    }
    for (KumaPipeline p : pipelines.values()) {
      await(p.close());
    }
    if (prometheus != null) {
      prometheus.close();
    }
    exporters.values().forEach(SyntheticKumaExporter::close);
    if (vertx != null) {
      await(vertx.close());
    }
  }

  static String mesh(Regime r) {
    return "gap-" + r.name().toLowerCase();
  }

  /** One scrape job per fleet, optionally without one pod (a target gone missing). */
  static List<ScrapeJob> jobs(Optional<String> withoutPod) {
    List<ScrapeJob> jobs = new ArrayList<>();
    for (Regime r : Regime.values()) {
      List<ScrapeTarget> targets = exporters.get(r).scrapeTargets().stream()
          .filter(t -> withoutPod.map(p -> !t.metricsPath().contains("/" + p + "/")).orElse(true))
          .toList();
      jobs.add(new ScrapeJob("kuma-" + r.name().toLowerCase(), targets));
    }
    return jobs;
  }

  // ---- observation of the served values ----

  /** What the scenarios saw, per regime. */
  static final class Seen {
    int ok;
    int stale;
    double first = Double.NaN;
    long firstMillis = -1;
    double worst;

    @Override
    public String toString() {
      return "200: " + ok + ", 503 stale: " + stale + ", first 200: " + first + " after "
          + firstMillis + " ms, worst deviation " + String.format("%.4f", worst);
    }
  }

  /**
   * Samples every regime's service rps and p90 and pod rps for {@code d}, checking each answer
   * against the truth; returns what was seen per regime (service rps).
   */
  static Map<Regime, Seen> observe(String phase, Duration d) throws Exception {
    Map<Regime, Seen> seen = new EnumMap<>(Regime.class);
    for (Regime r : Regime.values()) {
      seen.put(r, new Seen());
    }
    long t0 = System.currentTimeMillis();
    long end = System.nanoTime() + d.toNanos();
    while (System.nanoTime() < end) {
      for (Regime r : Regime.values()) {
        check(r, phase, seen.get(r), t0);
      }
      Thread.sleep(250);
    }
    seen.forEach((r, s) -> System.out.println("gap-recovery " + phase + " " + r + ": " + s));
    return seen;
  }

  static void check(Regime r, String phase, Seen seen, long t0) throws Exception {
    HttpsTestClient http = clients.get(r);
    SyntheticKumaExporter e = exporters.get(r);
    HttpResponse<String> rps = http.get(CUSTOM + "services/backend/kuma_rps");
    Optional<Double> v = value(r, phase + " service rps", rps);
    if (v.isPresent()) {
      double dev = deviationFromRecentTruth(r, v.get());
      assertThat(dev).as("%s %s: service rps %s vs truth %s; %s", phase, r, v.get(),
          truthValues(r), diagnostics(r)).isLessThanOrEqualTo(TOLERANCE);
      seen.worst = Math.max(seen.worst, dev);
      if (seen.ok++ == 0) {
        seen.first = v.get();
        seen.firstMillis = System.currentTimeMillis() - t0;
      }
    } else {
      seen.stale++;
    }
    value(r, phase + " service p90", http.get(CUSTOM + "services/backend/kuma_latency_p90_ms"))
        .ifPresent(p90 -> assertThat(Math.abs(p90 - P90) / P90)
            .as("%s %s: p90 %s vs truth %s", phase, r, p90, P90)
            .isLessThanOrEqualTo(TOLERANCE));
    HttpResponse<String> pods = http.get(CUSTOM + "pods/*/kuma_rps?labelSelector=app%3Dbackend");
    if (pods.statusCode() == 200) {
      for (JsonNode item : HttpsTestClient.json(pods).path("items")) {
        String name = item.path("describedObject").path("name").asText();
        PodRef pod = e.pods("kuma-demo", "backend").stream()
            .filter(x -> x.name().equals(name)).findFirst().orElseThrow();
        double pv = HttpsTestClient.quantity(item.path("value").asText());
        assertThat(Math.abs(pv - e.traffic(pod).rps()) / e.traffic(pod).rps())
            .as("%s %s: pod %s rps %s vs truth %s; %s", phase, r, name, pv, e.traffic(pod).rps(),
                diagnostics(r))
            .isLessThanOrEqualTo(TOLERANCE);
      }
    } else {
      assertStale(r, phase + " pods rps", pods);
    }
  }

  /** The value of a 200, or empty for a 503 from the staleness policy; anything else fails. */
  static Optional<Double> value(Regime r, String what, HttpResponse<String> resp)
      throws Exception {
    if (resp.statusCode() == 200) {
      return Optional.of(HttpsTestClient.quantity(
          HttpsTestClient.json(resp).path("items").path(0).path("value").asText()));
    }
    assertStale(r, what, resp);
    return Optional.empty();
  }

  static void assertStale(Regime r, String what, HttpResponse<String> resp) {
    assertThat(resp.statusCode()).as("%s %s: %s; pipeline: %s", what, r, resp.body(),
        diagnostics(r)).isEqualTo(503);
    assertThat(resp.body()).as("%s %s", what, r).contains("stale");
  }

  static String diagnostics(Regime r) {
    io.meshcast.adapter.pipeline.Snapshot s = pipelines.get(r).snapshot();
    StringBuilder sb = new StringBuilder("published " + s.publishedAt() + ", now "
        + java.time.Instant.now());
    s.results().forEach((k, v) -> {
      if (k.startsWith("kuma_rps")) {
        sb.append("; ").append(k).append(" refreshed ").append(v.refreshedAt())
            .append(" error ").append(v.lastError()).append(" series ");
        v.series().forEach(x -> sb.append(x.identity().labels()).append('=').append(x.value())
            .append(' ').append(x.coverage()).append(", "));
      }
    });
    try {
      pipelines.get(r).definitions().stream()
          .filter(d -> d.name().equals("kuma_rps") && d.coverage().isPresent())
          .forEach(d -> {
            // All three at one evaluation time, as a refresh does.
            java.time.Instant at = java.time.Instant.ofEpochMilli(System.currentTimeMillis());
            try {
              sb.append("; at ").append(at).append(" coverage ").append(d.level()).append(": ")
                  .append(prometheus.query(d.coverage().get().query().apply(at), at))
                  .append("; covered: ").append(prometheus.query(d.coverage().get()
                      .coveredPromql(), at))
                  .append("; plain: ").append(prometheus.query(d.promql(), at));
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          });
      sb.append("; series: ").append(prometheus.query(
              "count by (job, mesh) (envoy_http_downstream_rq_total)"))
          .append("; log: ").append(prometheus.logTail());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return sb.toString();
  }

  /** Smallest relative deviation from the truth at any moment of the last {@link #DATA_LAG}. */
  static double deviationFromRecentTruth(Regime r, double v) {
    long now = System.currentTimeMillis();
    List<double[]> t = truth.get(r);
    double best = Double.MAX_VALUE;
    synchronized (t) {
      for (int i = 0; i < t.size(); i++) {
        long until = i + 1 < t.size() ? (long) t.get(i + 1)[0] : Long.MAX_VALUE;
        if (until >= now - DATA_LAG.toMillis()) {
          best = Math.min(best, Math.abs(v - t.get(i)[1]) / t.get(i)[1]);
        }
      }
    }
    return best;
  }

  static String truthValues(Regime r) {
    return truth.get(r).stream().map(x -> String.valueOf(x[1])).toList().toString();
  }

  static double awaitServed(Regime r, String what, Duration timeout, Predicate<Double> ok)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "";
    while (System.nanoTime() < deadline) {
      HttpResponse<String> resp = clients.get(r).get(CUSTOM + "services/backend/kuma_rps");
      last = resp.statusCode() + " " + resp.body();
      if (resp.statusCode() == 200) {
        double v = HttpsTestClient.quantity(
            HttpsTestClient.json(resp).path("items").path(0).path("value").asText());
        if (ok.test(v)) {
          return v;
        }
      }
      Thread.sleep(250);
    }
    throw new AssertionError(r + ": " + what + " not reached within " + timeout + "; last: "
        + last);
  }

  static double counter(Regime r, String name, String... labels) {
    for (MetricSnapshot m : registries.get(r).scrape()) {
      if (m instanceof CounterSnapshot c && c.getMetadata().getPrometheusName().equals(name)) {
        return c.getDataPoints().stream()
            .filter(p -> matches(p.getLabels(), labels))
            .mapToDouble(CounterSnapshot.CounterDataPointSnapshot::getValue).sum();
      }
    }
    return 0;
  }

  static boolean matches(io.prometheus.metrics.model.snapshots.Labels l, String... kv) {
    for (int i = 0; i < kv.length; i += 2) {
      if (!kv[i + 1].equals(l.get(kv[i]))) {
        return false;
      }
    }
    return true;
  }

  // ---- scenarios ----

  @Order(1)
  @Test
  void prometheusOutageLongerThanTheWindow_firstAnswerAfterRestartIsTheTruth() throws Exception {
    prometheus.stop();
    Map<Regime, Seen> during = observe("(a) during outage", OUTAGE);
    during.forEach((r, s) -> assertThat(s.stale).as("%s answers stale during the outage", r)
        .isPositive());
    double[] partialBefore = new double[3];
    for (Regime r : Regime.values()) {
      partialBefore[r.ordinal()] = counter(r, "meshcast_refresh_partial_windows",
          "metric", "kuma_rps", "level", "service", "outcome", "partial");
    }
    long restarted = System.currentTimeMillis();
    prometheus.restart();
    long observeStart = System.currentTimeMillis();
    Map<Regime, Seen> after = observe("(a) after restart",
        Duration.ofSeconds(WINDOW_SECONDS + 5));
    for (Regime r : Regime.values()) {
      Seen s = after.get(r);
      assertThat(s.ok).as("%s answers 200 again after the restart", r).isPositive();
      assertThat(Math.abs(s.first - 200) / 200).as("%s first 200 after the restart: %s", r,
          s.first).isLessThanOrEqualTo(TOLERANCE);
      // The window right after the restart was partial, and that is what was served.
      assertThat(counter(r, "meshcast_refresh_partial_windows",
          "metric", "kuma_rps", "level", "service", "outcome", "partial"))
          .as("%s partial windows counted", r).isGreaterThan(partialBefore[r.ordinal()]);
      System.out.println("gap-recovery (a) " + r + ": first 200 after restart = " + s.first
          + " (truth 200), " + (s.firstMillis + observeStart - restarted)
          + " ms after the restart began");
    }
  }

  @Order(2)
  @Test
  void targetMissingForPartOfTheWindow_servesTheTruthOrStale() throws Exception {
    Map<Regime, PodRef> gone = new EnumMap<>(Regime.class);
    exporters.forEach((r, e) -> gone.put(r, e.pods("kuma-demo", "backend").get(1)));
    // The pods keep serving (and counting) while Prometheus does not scrape them.
    String pod = gone.get(Regime.LEGACY).name();
    long removed = System.currentTimeMillis();
    prometheus.updateTargets(jobs(Optional.of(pod)));
    observe("(b) target missing", TARGET_GAP);
    prometheus.updateTargets(jobs(Optional.empty()));
    observe("(b) target back", Duration.ofSeconds(WINDOW_SECONDS + 3));
    for (Regime r : Regime.values()) {
      assertThat(counter(r, "meshcast_refresh_partial_windows", "metric", "kuma_rps",
          "level", "pod")).as("%s pod windows went partial", r).isPositive();
    }
    // The served checks above sample ~1 refresh a second; the moment that once went wrong (the
    // last sample before the gap leaving the window) lasts a few hundred ms. Replay the whole gap
    // at 97 ms steps on the stored data: wherever the companion calls the missing pod's window
    // complete, the plain rate must be the truth.
    for (Regime r : Regime.values()) {
      sweepCoverageAgainstRate(r, gone.get(r).name(), removed,
          removed + TARGET_GAP.toMillis() + WINDOW_SECONDS * 1000L + 2000);
    }
  }

  /**
   * Evaluates the pod-level companion and the plain rate at the same times in {@code [from, to]}
   * and asserts that no window judged complete (coverage >= 0.97, the refresher's threshold) is off by
   * more than the tolerance, and that the sweep did see the gap (some window below it).
   */
  static void sweepCoverageAgainstRate(Regime r, String pod, long from, long to) throws Exception {
    MetricDefinition d = pipelines.get(r).definitions().stream()
        .filter(x -> x.name().equals("kuma_rps") && x.level() == Level.POD)
        .findFirst().orElseThrow();
    int complete = 0;
    int incomplete = 0;
    List<String> wrong = new ArrayList<>();
    for (long t = from; t <= to; t += 97) {
      java.time.Instant at = java.time.Instant.ofEpochMilli(t);
      double coverage = podValue(prometheus.query(d.coverage().orElseThrow().query().apply(at),
          at), pod, "coverage");
      double rate = podValue(prometheus.query(d.promql(), at), pod, null);
      if (Double.isNaN(coverage) || Double.isNaN(rate)) {
        incomplete++;
      } else if (coverage >= 0.97) {
        complete++;
        if (Math.abs(rate - PER_POD.rps()) > PER_POD.rps() * TOLERANCE) {
          wrong.add(at + " rate " + rate + " coverage " + coverage);
        }
      } else {
        incomplete++;
      }
    }
    System.out.printf("(b) %s sweep of %s: %d eval times complete, %d partial or empty%n",
        r, pod, complete, incomplete);
    assertThat(wrong).as("%s: windows judged complete with a wrong rate", r).isEmpty();
    assertThat(incomplete).as("%s: the sweep saw the gap", r).isPositive();
    assertThat(complete).as("%s: the sweep saw complete windows", r).isPositive();
  }

  /** The value of the row naming {@code pod} (and {@code meshcast_part=part}); NaN if none. */
  static double podValue(String json, String pod, String part) throws Exception {
    JsonNode result = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json)
        .path("data").path("result");
    for (JsonNode row : result) {
      JsonNode m = row.path("metric");
      boolean named = false;
      for (JsonNode v : m) {
        named |= v.asText().equals(pod);
      }
      if (named && (part == null || part.equals(m.path("meshcast_part").asText()))) {
        return Double.parseDouble(row.path("value").path(1).asText());
      }
    }
    return Double.NaN;
  }

  @Order(3)
  @Test
  void podAddedMidWindow_servesTheTruthOrStale() throws Exception {
    for (Regime r : Regime.values()) {
      SyntheticKumaExporter e = exporters.get(r);
      e.setTraffic(e.addPod(BACKEND), PER_POD);
    }
    prometheus.updateTargets(jobs(Optional.empty()));
    // The truth moves when Prometheus first has the new pods: no reader of Prometheus can know
    // earlier (until then every answer is about the two old pods).
    prometheus.awaitSeries("envoy_http_downstream_rq_total{mesh=~\"gap-.*\"}", 9,
        Duration.ofSeconds(60L * SCALE));
    for (Regime r : Regime.values()) {
      List<double[]> t = truth.get(r);
      synchronized (t) {
        t.add(new double[] {System.currentTimeMillis(),
            exporters.get(r).rps("kuma-demo", "backend")});
      }
    }
    observe("(c) pod added", Duration.ofSeconds(WINDOW_SECONDS + 5));
    for (Regime r : Regime.values()) {
      // Once the window is complete again the plain rate is the truth.
      awaitServed(r, "300 rps after the new pod's window filled",
          Duration.ofSeconds(60L * SCALE),
          v -> Math.abs(v - 300) <= 300 * TOLERANCE);
    }
  }

  @Order(4)
  @Test
  void queryCost_ofTheCoverageCompanion() {
    // Reported, not asserted (timing is noisy on a shared machine): RESULTS.md quotes it.
    for (Regime r : Regime.values()) {
      for (MetricSnapshot m : registries.get(r).scrape()) {
        if (m instanceof HistogramSnapshot h && h.getMetadata().getPrometheusName()
            .equals("meshcast_source_query_duration_seconds")) {
          double mainSum = 0;
          long mainCount = 0;
          for (var p : h.getDataPoints()) {
            String kind = p.getLabels().get("kind");
            if (kind.equals("instant")) {
              mainSum += p.getSum();
              mainCount += p.getCount();
            }
          }
          for (var p : h.getDataPoints()) {
            String kind = p.getLabels().get("kind");
            if (!kind.equals("instant")) {
              System.out.printf("gap-recovery cost %s %s %s %s: %d queries, mean %.2f ms"
                  + " (all value queries: %d, mean %.2f ms)%n", r, p.getLabels().get("metric"),
                  p.getLabels().get("level"), kind, p.getCount(),
                  1000 * p.getSum() / p.getCount(), mainCount, 1000 * mainSum / mainCount);
            }
          }
          assertThat(mainCount).isPositive();
        }
      }
    }
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
