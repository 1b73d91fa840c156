package io.meshcast.adapter.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshcast.adapter.kuma.Regime;
import io.meshcast.adapter.testing.HttpsTestClient;
import io.meshcast.adapter.testing.Kubectl;
import io.meshcast.adapter.testing.PrometheusServer;
import io.meshcast.adapter.testing.PrometheusServer.ScrapeJob;
import io.meshcast.adapter.testing.SyntheticKumaExporter;
import io.meshcast.adapter.testing.SyntheticKumaExporter.PodRef;
import io.meshcast.adapter.testing.SyntheticKumaExporter.ServiceSpec;
import io.meshcast.adapter.testing.Traffic;
import io.meshcast.adapter.tls.CertificateAuthority;
import io.meshcast.adapter.tls.LeafSpec;
import io.meshcast.adapter.tls.PemCertificate;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The end-to-end scenario of {@link ControlPlaneIT}, run as its own JVM inside a fresh network
 * namespace (everything it starts inherits the namespace; the launcher's PID namespace kills
 * whatever is left when it ends). Steps, each printed with its time:
 *
 * <ol>
 *   <li>the namespace's {@code lo} up with {@link #ADDRESS} on it (Endpoints may not use 127/8);
 *   <li>the synthetic Kuma fleet and a real Prometheus scraping it every second;
 *   <li>etcd, kube-apiserver (aggregation layer) and kube-controller-manager ({@link ControlPlane});
 *   <li>{@code kubectl apply -k manifests/}: the project's namespace, RBAC, ConfigMap, Deployment
 *       (its pods must pass the namespace's restricted Pod Security level), Service and
 *       APIServices; without a kubelet the Deployment is scaled to 0 and the Service's selector
 *       replaced by a manual Endpoints pointing at meshcast's process;
 *   <li>meshcast as a process ({@code java -jar meshcast.jar serve}) with the token of its own
 *       ServiceAccount, so the manifests' RBAC is what lets it read the front-proxy config, run
 *       TokenReviews and SubjectAccessReviews and watch pods, services and deployments;
 *   <li>APIServices Available, discovery and a value on every route kind through the apiserver;
 *   <li>direct requests: forged X-Remote-* headers without the front-proxy certificate are 401;
 *   <li>HPAs (autoscaling/v2) with Object, Pods and External targets become ScalingActive and
 *       rescale 2 → 5 → 1 when the fleet's load changes.
 * </ol>
 *
 * <p>Arguments: work directory, assets directory, manifests directory, meshcast jar, and the
 * launcher's network namespace (so the scenario refuses to touch the host's {@code lo}).
 */
public final class ControlPlaneScenario {

  /** TEST-NET-1 (RFC 5737): documentation range, never routed; lives only on the namespace's lo. */
  static final String ADDRESS = "192.0.2.10";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String NS = "shop";
  private static final ServiceSpec WEB = new ServiceSpec(NS, "web", 80, 8080, 2);
  private static final Duration LONG = Duration.ofMinutes(4);
  /** Baseline, peak and quiet load per pod; the HPAs below want 2, 5 and 1 replicas for them. */
  private static final Traffic BASELINE = new Traffic(7.5, 0, 25, 100, 2);
  private static final Traffic PEAK = new Traffic(22, 0, 25, 100, 5);
  private static final Traffic QUIET = new Traffic(2.5, 0, 25, 100, 1);
  private static final List<String> SCALED = List.of("web-object", "web", "web-external");

  private final Path dir;
  private final Path assets;
  private final Path manifests;
  private final Path jar;
  private final long t0 = System.nanoTime();
  private int meshcastPort;

  private ControlPlaneScenario(Path dir, Path assets, Path manifests, Path jar) {
    this.dir = dir;
    this.assets = assets;
    this.manifests = manifests;
    this.jar = jar;
  }

  public static void main(String[] args) {
    int code = 0;
    try {
      if (args.length != 5) {
        throw new IllegalArgumentException("usage: ControlPlaneScenario WORKDIR ASSETS MANIFESTS"
            + " MESHCAST_JAR HOST_NETNS");
      }
      requireOwnNetworkNamespace(args[4]);
      new ControlPlaneScenario(Path.of(args[0]), Path.of(args[1]), Path.of(args[2]),
          Path.of(args[3])).run();
    } catch (Throwable t) {
      System.out.println("controlplane: FAILED: " + t);
      t.printStackTrace(System.out);
      code = 1;
    }
    System.out.flush();
    System.exit(code);
  }

  private void run() throws Exception {
    sh("ip", "link", "set", "lo", "up");
    sh("ip", "addr", "add", ADDRESS + "/32", "dev", "lo");
    step("network namespace: lo up, " + ADDRESS + "/32 on lo");

    try (SyntheticKumaExporter kuma = SyntheticKumaExporter.start(Regime.LEGACY, List.of(WEB),
            Clock.systemUTC());
        PrometheusServer prom = PrometheusServer.start(
            List.of(new ScrapeJob("kuma-dataplanes", kuma.scrapeTargets())),
            Duration.ofSeconds(1))) {
      kuma.setTraffic(NS, "web", BASELINE);
      prom.awaitSeries("envoy_http_downstream_rq_total", 2, Duration.ofMinutes(1));
      step("synthetic Kuma fleet (2 pods) and Prometheus on 127.0.0.1:" + prom.port());

      try (ControlPlane cp = ControlPlane.start(dir.resolve("cluster"), assets, ADDRESS)) {
        step("etcd, kube-apiserver " + cp.url() + " and kube-controller-manager ready");
        try (LoggedProcess meshcast = installAndStartMeshcast(cp, prom)) {
          try {
            scenario(cp, meshcast, kuma);
          } catch (Exception | Error e) {
            System.out.println("controlplane: diagnostics\n" + cp.diagnostics()
                + "---- meshcast, last lines:\n" + meshcast.tail(60) + "\n---- kubectl get"
                + " hpa,deploy,apiservice:\n" + cp.kubectlRun("get", "hpa,deploy", "-A", "-o",
                    "wide").stdout() + cp.kubectlRun("get", "apiservices").stdout()
                + cp.kubectlRun("describe", "hpa", "-n", NS).stdout());
            throw e;
          }
        }
      }
    }
    step("stopped everything");
  }

  private LoggedProcess installAndStartMeshcast(ControlPlane cp, PrometheusServer prom)
      throws Exception {
    cp.kubectl("apply", "-k", manifests.toString());
    // The Deployment cannot run (no kubelet), but its pods must be admitted: the namespace
    // enforces the restricted Pod Security level.
    Waits.until("the meshcast Deployment's 2 pods admitted under Pod Security 'restricted'",
        LONG, () -> cp.kubectl("-n", "meshcast", "get", "pods", "-l",
            "app.kubernetes.io/name=meshcast", "-o", "name").lines().count() == 2);
    cp.kubectl("-n", "meshcast", "scale", "deployment", "meshcast", "--replicas=0");
    cp.kubectl("-n", "meshcast", "patch", "service", "meshcast", "--type=json",
        "-p=[{\"op\":\"remove\",\"path\":\"/spec/selector\"}]");
    step("kubectl apply -k manifests/ (namespace, RBAC, ConfigMap, Deployment pods admitted,"
        + " Service, APIServices)");

    int port = ControlPlane.freePort(ADDRESS);
    // The Service now has no selector, so the endpoints controller leaves this alone; re-apply
    // in case it synced the old selector after we wrote it.
    String endpoints = """
        apiVersion: v1
        kind: Endpoints
        metadata: {name: meshcast, namespace: meshcast}
        subsets:
        - addresses: [{ip: "%s"}]
          ports: [{name: https, port: %d, protocol: TCP}]
        """.formatted(ADDRESS, port);
    Waits.until("Endpoints meshcast/meshcast pointing at " + ADDRESS + ":" + port, LONG, () -> {
      cp.apply("meshcast-endpoints", endpoints);
      Thread.sleep(1000);
      return cp.kubectl("-n", "meshcast", "get", "endpoints", "meshcast", "-o",
          "jsonpath={.subsets[0].addresses[0].ip}:{.subsets[0].ports[0].port}")
          .equals(ADDRESS + ":" + port);
    });

    String token = cp.kubectl("-n", "meshcast", "create", "token", "meshcast", "--duration=2h")
        .trim();
    Path kubeconfig = cp.tokenKubeconfig("meshcast-sa", token);
    PemCertificate serving = cp.clusterCa().issue(LeafSpec.server("meshcast",
        List.of("meshcast.meshcast.svc"), List.of(ADDRESS), Instant.now().minusSeconds(3600),
        Instant.now().plus(1, ChronoUnit.DAYS)));
    Path crt = Files.writeString(dir.resolve("meshcast.crt"), serving.chainPem());
    Path key = Files.writeString(dir.resolve("meshcast.key"), serving.privateKeyPem());
    Path config = Files.writeString(dir.resolve("meshcast.yaml"), """
        prometheus:
          url: %s
          timeout: 5s
        refresh:
          interval: 1s
          historyPoints: 60
          bootstrapWindow: 0s
        kuma:
          regime: legacy
          rateWindow: 4s
        metrics:
          default:
            maxAge: 30s
        kubernetes:
          mode: cluster
        forecast:
          lead: 3s
          historyPoints: 200
        """.formatted(prom.url()));
    String java = ProcessHandle.current().info().command().orElse("java");
    LoggedProcess meshcast = LoggedProcess.start("meshcast", dir.resolve("meshcast.log"),
        Map.of("KUBECONFIG", kubeconfig.toString()),
        List.of(java, "-Xmx384m", "-jar", jar.toString(), "serve", "--config=" + config,
            "--bind-address=" + ADDRESS, "--secure-port=" + port, "--tls-cert-file=" + crt,
            "--tls-private-key-file=" + key));
    try {
      HttpsTestClient direct = new HttpsTestClient("https://" + ADDRESS + ":" + port,
          cp.clusterCa().certificatePem());
      Waits.until("meshcast /readyz on " + ADDRESS + ":" + port, LONG, () -> {
        meshcast.requireAlive();
        try {
          return direct.get("/readyz").statusCode() == 200;
        } catch (java.io.IOException e) {
          return false;
        }
      });
    } catch (Exception | Error e) {
      System.out.println("controlplane: meshcast log:\n" + meshcast.tail(60));
      meshcast.close();
      throw e;
    }
    step("meshcast serving on " + ADDRESS + ":" + port + " as system:serviceaccount:meshcast:"
        + "meshcast (delegated authn/authz, cluster informers)");
    meshcastPort = port;
    return meshcast;
  }

  private void scenario(ControlPlane cp, LoggedProcess meshcast, SyntheticKumaExporter kuma)
      throws Exception {
    for (String apiService : List.of("v1beta2.custom.metrics.k8s.io",
        "v1beta1.custom.metrics.k8s.io", "v1beta1.external.metrics.k8s.io")) {
      Waits.until("APIService " + apiService + " Available", LONG, () -> {
        meshcast.requireAlive();
        return cp.kubectl("get", "apiservice", apiService, "-o",
            "jsonpath={.status.conditions[?(@.type==\"Available\")].status}").equals("True");
      });
    }
    step("APIServices v1beta2/v1beta1 custom.metrics and v1beta1 external.metrics Available");

    JsonNode v1beta2 = json(cp.kubectl("get", "--raw", "/apis/custom.metrics.k8s.io/v1beta2"));
    List<String> resources = new ArrayList<>();
    v1beta2.get("resources").forEach(r -> resources.add(r.get("name").asText()));
    assertThat(resources).contains("services/kuma_rps", "pods/kuma_inflight",
        "deployments.apps/kuma_rps", "services/kuma_rps_forecast");
    assertThat(json(cp.kubectl("get", "--raw", "/apis/custom.metrics.k8s.io/v1beta1"))
        .get("resources").size()).isEqualTo(resources.size());
    JsonNode external = json(cp.kubectl("get", "--raw", "/apis/external.metrics.k8s.io/v1beta1"));
    assertThat(external.get("resources").findValuesAsText("name")).contains("kuma_rps");
    assertThat(cp.kubectl("api-versions").lines()).contains("custom.metrics.k8s.io/v1beta2",
        "custom.metrics.k8s.io/v1beta1", "external.metrics.k8s.io/v1beta1");
    step("discovery through the apiserver: " + resources.size() + " custom resources, "
        + external.get("resources").size() + " external; kubectl api-versions lists all three");

    createWorkloads(cp, kuma);
    step("namespace " + NS + ": Service web, Deployments " + SCALED + ", 2 Running+Ready pods");

    routes(cp, kuma, resources.contains("namespaces/kuma_rps"));
    identity(cp);

    createHpas(cp);
    for (String hpa : List.of("hpa-object", "hpa-pods", "hpa-external")) {
      Waits.until(hpa + " ScalingActive=True", LONG, () -> {
        meshcast.requireAlive();
        return condition(cp, hpa, "ScalingActive").equals("True");
      });
    }
    awaitReplicas(cp, 2, "baseline load: " + kuma.rps(NS, "web") + " req/s, in flight "
        + kuma.inflight(NS, "web"));
    step("HPAs with Object, Pods and External targets ScalingActive=True, 2 replicas each"
        + hpaTable(cp));

    kuma.setTraffic(NS, "web", PEAK);
    awaitReplicas(cp, 5, "peak load");
    step("load x3 (" + kuma.rps(NS, "web") + " req/s): every HPA scaled its Deployment to 5"
        + hpaTable(cp));

    kuma.setTraffic(NS, "web", QUIET);
    awaitReplicas(cp, 1, "quiet load");
    step("load down (" + kuma.rps(NS, "web") + " req/s): every HPA scaled its Deployment to 1"
        + hpaTable(cp));
    meshcast.requireAlive();
    step("warnings meshcast logged (distinct, at most 20):" + meshcast.distinctLines(
        l -> l.contains("WARNING") || l.contains("SEVERE") || l.contains("event=policy"), 20));
    step("kube-apiserver errors/warnings about the metrics APIs (distinct, at most 10):"
        + cp.apiserverFindings(10));
  }

  private static String hpaTable(ControlPlane cp) throws Exception {
    return "\n" + cp.kubectl("-n", NS, "get", "hpa").stripTrailing().indent(4).stripTrailing();
  }

  /** Deployments with a scale subresource, the Service, and the pods the fleet reports. */
  private void createWorkloads(ControlPlane cp, SyntheticKumaExporter kuma) throws Exception {
    cp.kubectl("create", "namespace", NS);
    // The ServiceAccount admission plugin refuses pods until the namespace's default SA exists.
    Waits.until("ServiceAccount " + NS + "/default", LONG,
        () -> cp.kubectlRun("-n", NS, "get", "serviceaccount", "default").exit() == 0);
    StringBuilder yaml = new StringBuilder("""
        apiVersion: v1
        kind: Service
        metadata: {name: web, namespace: shop}
        spec:
          selector: {app: web}
          ports: [{name: http, port: 80, targetPort: 8080}]
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: web-pods-owner, namespace: shop}
        """);
    for (String d : SCALED) {
      yaml.append("""
          ---
          apiVersion: apps/v1
          kind: Deployment
          metadata: {name: %1$s, namespace: shop}
          spec:
            replicas: 2
            selector: {matchLabels: {app: %1$s}}
            template:
              metadata: {labels: {app: %1$s}}
              spec:
                containers: [{name: app, image: registry.invalid/web:never-pulled}]
          """.formatted(d));
    }
    cp.apply("workloads", yaml.toString());
    // The pods of the fleet, as a kubelet would report them. Their controller is a ConfigMap so
    // that the ReplicaSet of Deployment web does not adopt (and later delete) them.
    String owner = cp.kubectl("-n", NS, "get", "configmap", "web-pods-owner", "-o",
        "jsonpath={.metadata.uid}");
    StringBuilder pods = new StringBuilder();
    for (PodRef p : kuma.pods(NS, "web")) {
      pods.append("""
          ---
          apiVersion: v1
          kind: Pod
          metadata:
            name: %s
            namespace: shop
            labels: {app: web}
            ownerReferences:
            - {apiVersion: v1, kind: ConfigMap, name: web-pods-owner, uid: %s, controller: true}
          spec:
            automountServiceAccountToken: false
            containers: [{name: app, image: registry.invalid/web:never-pulled}]
          """.formatted(p.name(), owner));
    }
    cp.apply("fleet-pods", pods.toString());
    for (PodRef p : kuma.pods(NS, "web")) {
      cp.kubectl("-n", NS, "patch", "pod", p.name(), "--subresource=status", "--type=merge",
          "-p={\"status\":{\"phase\":\"Running\",\"conditions\":[{\"type\":\"Ready\","
              + "\"status\":\"True\"}]}}");
    }
  }

  /**
   * A value on every route kind, through the apiserver, against the fleet's ground truth. Each is
   * awaited: the rate window fills, and meshcast's informers see new objects, in their own time.
   */
  private void routes(ControlPlane cp, SyntheticKumaExporter kuma, boolean namespaceMetrics)
      throws Exception {
    double rps = kuma.rps(NS, "web");
    String base2 = "/apis/custom.metrics.k8s.io/v1beta2/namespaces/" + NS;
    Map<String, String> routes = new LinkedHashMap<>();
    routes.put("v1beta2 services/web", base2 + "/services/web/kuma_rps");
    routes.put("v1beta1 services/web",
        "/apis/custom.metrics.k8s.io/v1beta1/namespaces/" + NS + "/services/web/kuma_rps");
    // Resolved through meshcast's informers: Service web selects the Deployment's pods.
    routes.put("v1beta2 deployments.apps/web", base2 + "/deployments.apps/web/kuma_rps");
    // Constant load: the forecast (or, while the model lacks history, the observed value it
    // falls back to) is the observed rate.
    routes.put("v1beta2 services/web/kuma_rps_forecast",
        base2 + "/services/web/kuma_rps_forecast");
    routes.put("external kuma_rps{service=web}", "/apis/external.metrics.k8s.io/v1beta1"
        + "/namespaces/" + NS + "/kuma_rps?labelSelector=service%3Dweb");
    if (namespaceMetrics) {
      routes.put("v1beta2 namespaces/" + NS, base2 + "/metrics/kuma_rps");
    }
    Map<String, Double> seen = new LinkedHashMap<>();
    for (Map.Entry<String, String> r : routes.entrySet()) {
      seen.put(r.getKey(), awaitNear(cp, r.getKey(), r.getValue(), rps));
    }
    PodRef first = kuma.pods(NS, "web").get(0);
    seen.put("pods/" + first.name(), awaitNear(cp, "pods/" + first.name(),
        base2 + "/pods/" + first.name() + "/kuma_rps", BASELINE.rps()));

    Map<String, Double> expected = new LinkedHashMap<>();
    kuma.pods(NS, "web").forEach(p -> expected.put(p.name(), (double) BASELINE.inflight()));
    Object inflight = Waits.await("pods/*/kuma_inflight?labelSelector=app=web = " + expected,
        LONG, () -> {
          Kubectl.Result r = cp.kubectlRun("get", "--raw",
              base2 + "/pods/*/kuma_inflight?labelSelector=app%3Dweb");
          if (r.exit() != 0) {
            return r.stderr().strip();
          }
          Map<String, Double> items = new LinkedHashMap<>();
          json(r.stdout()).get("items").forEach(i -> items.put(
              i.get("describedObject").get("name").asText(),
              HttpsTestClient.quantity(i.get("value").asText())));
          return items;
        }, expected::equals);
    step("values through the apiserver (truth " + rps + " req/s, " + BASELINE.rps() + " per pod):"
        + " " + seen + ", pods/*/kuma_inflight " + inflight
        + (namespaceMetrics ? "" : "; namespaces/* not served by the Kuma preset (discovery)"));
  }

  /** Polls a route until its value is within 20 % of the truth (or fails naming the last one). */
  private static double awaitNear(ControlPlane cp, String route, String path, double truth)
      throws Exception {
    return Waits.await(route + " within 20 % of " + truth, LONG, () -> read(cp, path),
        r -> r.error() == null && Math.abs(r.value() - truth) <= 0.2 * truth).value();
  }

  /** One answer of a metrics route: its value (a list's sum) or kubectl's error. */
  private record Reading(double value, String error) {
    @Override
    public String toString() {
      return error == null ? String.valueOf(value) : error;
    }
  }

  private static Reading read(ControlPlane cp, String path) throws Exception {
    Kubectl.Result r = cp.kubectlRun("get", "--raw", path);
    if (r.exit() != 0) {
      return new Reading(Double.NaN, r.stderr().strip());
    }
    JsonNode n = json(r.stdout());
    if (!n.has("items")) {
      return new Reading(HttpsTestClient.quantity(n.get("value").asText()), null);
    }
    if (n.get("items").isEmpty()) {
      return new Reading(Double.NaN, "no items: " + r.stdout());
    }
    double sum = 0;
    for (JsonNode i : n.get("items")) {
      sum += HttpsTestClient.quantity(i.get("value").asText());
    }
    return new Reading(sum, null);
  }

  /** Direct requests to meshcast: who may claim an identity in X-Remote-* headers. */
  private void identity(ControlPlane cp) throws Exception {
    String path = "/apis/custom.metrics.k8s.io/v1beta2/namespaces/" + NS
        + "/services/web/kuma_rps";
    Map<String, String> forged = Map.of("X-Remote-User", "system:admin",
        "X-Remote-Group", "system:masters");
    Instant now = Instant.now();
    PemCertificate impostor = CertificateAuthority.create("impostor-ca", now.minusSeconds(3600),
        now.plusSeconds(86400)).issue(LeafSpec.client(ControlPlane.FRONT_PROXY_USER, List.of(),
            now.minusSeconds(3600), now.plusSeconds(86400)));
    String sa = cp.kubectl("-n", "meshcast", "create", "token", "meshcast", "--duration=1h")
        .trim();
    Map<String, Integer> codes = new LinkedHashMap<>();
    codes.put("forged headers, no client certificate",
        direct(cp, Optional.empty(), forged, path).statusCode());
    codes.put("forged headers, front-proxy CN from another CA",
        direct(cp, Optional.of(impostor), forged, path).statusCode());
    codes.put("garbage bearer token",
        direct(cp, Optional.empty(), Map.of("Authorization", "Bearer not-a-token"), path)
            .statusCode());
    codes.put("service account meshcast (no metrics RBAC)",
        direct(cp, Optional.empty(), Map.of("Authorization", "Bearer " + sa), path)
            .statusCode());
    codes.put("front-proxy certificate, user nobody",
        direct(cp, Optional.of(cp.frontProxyClient()), Map.of("X-Remote-User", "nobody"), path)
            .statusCode());
    codes.put("front-proxy certificate, system:masters",
        direct(cp, Optional.of(cp.frontProxyClient()), forged, path).statusCode());
    assertThat(codes).containsExactly(
        Map.entry("forged headers, no client certificate", 401),
        Map.entry("forged headers, front-proxy CN from another CA", 401),
        Map.entry("garbage bearer token", 401),
        Map.entry("service account meshcast (no metrics RBAC)", 403),
        Map.entry("front-proxy certificate, user nobody", 403),
        Map.entry("front-proxy certificate, system:masters", 200));
    step("identity, direct to meshcast: " + codes);
  }

  /** One HPA per metric kind, each on its own Deployment (two HPAs on one would conflict). */
  private void createHpas(ControlPlane cp) throws Exception {
    cp.apply("hpas", String.join("---\n",
        hpa("hpa-object", "web-object", """
            - type: Object
              object:
                describedObject: {apiVersion: v1, kind: Service, name: web}
                metric: {name: kuma_rps}
                target: {type: AverageValue, averageValue: "10"}
            """),
        hpa("hpa-pods", "web", """
            - type: Pods
              pods:
                metric: {name: kuma_inflight}
                target: {type: AverageValue, averageValue: "2"}
            """),
        hpa("hpa-external", "web-external", """
            - type: External
              external:
                metric:
                  name: kuma_rps
                  selector: {matchLabels: {service: web}}
                target: {type: AverageValue, averageValue: "10"}
            """)));
  }

  /** An autoscaling/v2 HPA for 1..10 replicas that scales down without stabilisation delay. */
  private static String hpa(String name, String deployment, String metrics) {
    return """
        apiVersion: autoscaling/v2
        kind: HorizontalPodAutoscaler
        metadata: {name: %s, namespace: shop}
        spec:
          scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: %s}
          minReplicas: 1
          maxReplicas: 10
          behavior:
            scaleDown: {stabilizationWindowSeconds: 0}
          metrics:
        %s""".formatted(name, deployment, metrics.indent(2));
  }

  /**
   * Waits until every scaled Deployment has {@code replicas}: Object and External want
   * ceil(total req/s / 10), Pods wants ceil(mean in-flight / 2 × 2 ready pods).
   */
  private void awaitReplicas(ControlPlane cp, int replicas, String load) throws Exception {
    for (String d : SCALED) {
      Waits.await("Deployment " + d + " at " + replicas + " replicas (" + load + ")", LONG,
          () -> cp.kubectl("-n", NS, "get", "deployment", d, "-o", "jsonpath={.spec.replicas}"),
          r -> r.equals(String.valueOf(replicas)));
    }
  }

  private static String condition(ControlPlane cp, String hpa, String type) throws Exception {
    return cp.kubectl("-n", NS, "get", "hpa", hpa, "-o",
        "jsonpath={.status.conditions[?(@.type==\"" + type + "\")].status}");
  }

  private HttpResponse<String> direct(ControlPlane cp, Optional<PemCertificate> client,
      Map<String, String> headers, String path) throws Exception {
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    trust.setCertificateEntry("ca", cp.clusterCa().certificate());
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    KeyManagerFactory kmf = null;
    if (client.isPresent()) {
      KeyStore keys = KeyStore.getInstance(KeyStore.getDefaultType());
      keys.load(null, null);
      keys.setKeyEntry("client", client.get().privateKey(), new char[0],
          client.get().chain().toArray(Certificate[]::new));
      kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(keys, new char[0]);
    }
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    HttpClient http = HttpClient.newBuilder().sslContext(ssl)
        .connectTimeout(Duration.ofSeconds(10)).build();
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("https://" + ADDRESS + ":"
        + meshcastPort + path)).timeout(Duration.ofSeconds(30));
    headers.forEach(b::header);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode json(String s) throws Exception {
    return JSON.readTree(s);
  }

  private void step(String what) {
    System.out.printf(Locale.ROOT, "controlplane: [%6.1f s] %s%n",
        (System.nanoTime() - t0) / 1e9, what);
    System.out.flush();
  }

  private static void sh(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
    }
  }

  /** Refuses to run (and add an address to lo) in the launcher's, i.e. the host's, namespace. */
  private static void requireOwnNetworkNamespace(String hostNetns) throws Exception {
    String own = Files.readSymbolicLink(Path.of("/proc/self/ns/net")).toString();
    if (own.equals(hostNetns)) {
      throw new IllegalStateException("not inside a new network namespace (" + own + "): run "
          + "through ControlPlaneIT, which starts this class under unshare --net");
    }
  }
}
