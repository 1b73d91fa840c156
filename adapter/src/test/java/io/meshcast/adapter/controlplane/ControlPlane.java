package io.meshcast.adapter.controlplane;

import io.meshcast.adapter.testing.Kubectl;
import io.meshcast.adapter.tls.CertificateAuthority;
import io.meshcast.adapter.tls.LeafSpec;
import io.meshcast.adapter.tls.PemCertificate;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * etcd, kube-apiserver and kube-controller-manager started as processes in the current network
 * namespace, wired as a cluster with the aggregation layer on: a cluster CA (serving and client
 * certificates), a front-proxy CA and client certificate, a service-account signing key, RBAC, and
 * the HPA controller syncing every 5 s with per-controller service-account credentials.
 *
 * <p>Binaries: {@code kube-apiserver} and {@code kube-controller-manager} from the assets folder
 * ({@code KUBEBUILDER_ASSETS}); {@code etcd} from there when present (envtest ships it), else from
 * the PATH (Debian's {@code etcd-server}).
 */
final class ControlPlane implements AutoCloseable {

  /** The user name in the front-proxy client certificate (the apiserver's allowed name). */
  static final String FRONT_PROXY_USER = "front-proxy-client";

  private final Path dir;
  private final String address;
  private final CertificateAuthority clusterCa;
  private final PemCertificate frontProxyClient;
  private final String frontProxyCaPem;
  private final List<LoggedProcess> processes = new ArrayList<>();
  private int apiserverPort;
  private Path adminKubeconfig;

  private ControlPlane(Path dir, String address) {
    this.dir = dir;
    this.address = address;
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    this.clusterCa = CertificateAuthority.create("meshcast-it-cluster-ca",
        now.minus(1, ChronoUnit.HOURS), now.plus(1, ChronoUnit.DAYS));
    CertificateAuthority frontProxyCa = CertificateAuthority.create("meshcast-it-front-proxy-ca",
        now.minus(1, ChronoUnit.HOURS), now.plus(1, ChronoUnit.DAYS));
    this.frontProxyClient = frontProxyCa.issue(LeafSpec.client(FRONT_PROXY_USER, List.of(),
        now.minus(1, ChronoUnit.HOURS), now.plus(1, ChronoUnit.DAYS)));
    this.frontProxyCaPem = frontProxyCa.certificatePem();
  }

  /**
   * Starts the three processes and returns when the apiserver is ready and the controller manager
   * has created the service accounts it runs its controllers as (waits up to a few minutes each:
   * the machine may be busy).
   */
  static ControlPlane start(Path dir, Path assets, String address) throws Exception {
    ControlPlane cp = new ControlPlane(dir, address);
    try {
      cp.startAll(assets);
      return cp;
    } catch (Exception | Error e) {
      String logs = cp.diagnostics();
      cp.close();
      throw new IllegalStateException("control plane did not start: " + e.getMessage()
          + "\n" + logs, e);
    }
  }

  private void startAll(Path assets) throws Exception {
    Files.createDirectories(dir);
    Path ca = write("ca.crt", clusterCa.certificatePem());
    PemCertificate serving = clusterCa.issue(LeafSpec.server("kube-apiserver",
        List.of("localhost", "kubernetes", "kubernetes.default", "kubernetes.default.svc"),
        List.of(address, "127.0.0.1", "10.0.0.1"), notBefore(), notAfter()));
    write("apiserver.crt", serving.chainPem());
    write("apiserver.key", serving.privateKeyPem());
    write("front-proxy-ca.crt", frontProxyCaPem);
    write("front-proxy-client.crt", frontProxyClient.chainPem());
    write("front-proxy-client.key", frontProxyClient.privateKeyPem());
    Path saKey = write("service-account.key", rsaPrivateKeyPem());
    Path etcdDir = dir.resolve("etcd");

    int etcdClient = freePort("127.0.0.1");
    int etcdPeer = freePort("127.0.0.1");
    String etcdUrl = "http://127.0.0.1:" + etcdClient;
    String peerUrl = "http://127.0.0.1:" + etcdPeer;
    LoggedProcess etcd = spawn("etcd", List.of(binary(assets, "etcd"),
        "--name=meshcast-it", "--data-dir=" + etcdDir,
        "--listen-client-urls=" + etcdUrl, "--advertise-client-urls=" + etcdUrl,
        "--listen-peer-urls=" + peerUrl, "--initial-advertise-peer-urls=" + peerUrl,
        "--initial-cluster=meshcast-it=" + peerUrl));
    HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    Waits.until("etcd healthy", Duration.ofMinutes(2), () -> {
      etcd.requireAlive();
      return get(plain, etcdUrl + "/health").contains("\"health\":\"true\"");
    });

    apiserverPort = freePort(address);
    LoggedProcess apiserver = spawn("kube-apiserver", List.of(
        binary(assets, "kube-apiserver"),
        "--etcd-servers=" + etcdUrl,
        "--bind-address=" + address,
        "--advertise-address=" + address,
        "--secure-port=" + apiserverPort,
        "--tls-cert-file=" + dir.resolve("apiserver.crt"),
        "--tls-private-key-file=" + dir.resolve("apiserver.key"),
        "--client-ca-file=" + ca,
        "--authorization-mode=RBAC",
        "--service-cluster-ip-range=10.0.0.0/24",
        "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
        "--service-account-signing-key-file=" + saKey,
        "--service-account-key-file=" + saKey,
        // The aggregation layer, as kubeadm sets it up.
        "--enable-aggregator-routing=true",
        "--requestheader-client-ca-file=" + dir.resolve("front-proxy-ca.crt"),
        "--requestheader-allowed-names=" + FRONT_PROXY_USER,
        "--requestheader-username-headers=X-Remote-User",
        "--requestheader-group-headers=X-Remote-Group",
        "--requestheader-extra-headers-prefix=X-Remote-Extra-",
        "--proxy-client-cert-file=" + dir.resolve("front-proxy-client.crt"),
        "--proxy-client-key-file=" + dir.resolve("front-proxy-client.key"),
        "--cert-dir=" + dir.resolve("apiserver-certs"),
        "--profiling=false"));
    adminKubeconfig = kubeconfig("admin", clusterCa.issue(LeafSpec.client("meshcast-it-admin",
        List.of("system:masters"), notBefore(), notAfter())));
    Waits.until("kube-apiserver /readyz", Duration.ofMinutes(3), () -> {
      apiserver.requireAlive();
      Kubectl.Result r = Kubectl.run(adminKubeconfig, "get", "--raw", "/readyz");
      return r.exit() == 0 && r.stdout().trim().equals("ok");
    });

    // kube-controller-manager's built-in user has the RBAC it needs (system:kube-controller-manager).
    Path kcmKubeconfig = kubeconfig("kube-controller-manager", clusterCa.issue(LeafSpec.client(
        "system:kube-controller-manager", List.of(), notBefore(), notAfter())));
    LoggedProcess kcm = spawn("kube-controller-manager", List.of(
        binary(assets, "kube-controller-manager"),
        "--kubeconfig=" + kcmKubeconfig,
        "--authentication-kubeconfig=" + kcmKubeconfig,
        "--authorization-kubeconfig=" + kcmKubeconfig,
        "--controllers=*",
        "--use-service-account-credentials=true",
        "--horizontal-pod-autoscaler-sync-period=5s",
        "--service-account-private-key-file=" + saKey,
        "--root-ca-file=" + ca,
        "--leader-elect=false",
        "--bind-address=127.0.0.1",
        "--secure-port=" + freePort("127.0.0.1"),
        "--cert-dir=" + dir.resolve("kcm-certs"),
        "--profiling=false"));
    // With --use-service-account-credentials the HPA controller runs as this service account.
    Waits.until("kube-controller-manager running the HPA controller", Duration.ofMinutes(3),
        () -> {
          kcm.requireAlive();
          return Kubectl.run(adminKubeconfig, "-n", "kube-system", "get", "serviceaccount",
              "horizontal-pod-autoscaler").exit() == 0;
        });
  }

  /** A kubeconfig for the admin (system:masters). */
  Path adminKubeconfig() {
    return adminKubeconfig;
  }

  /** {@code https://<address>:<port>}. */
  String url() {
    return "https://" + address + ":" + apiserverPort;
  }

  /** The CA that signed the apiserver's certificate (and can sign others, e.g. meshcast's). */
  CertificateAuthority clusterCa() {
    return clusterCa;
  }

  /** The client certificate the aggregator presents to extension servers. */
  PemCertificate frontProxyClient() {
    return frontProxyClient;
  }

  /** A kubeconfig for {@link #url()} authenticating with a bearer token. */
  Path tokenKubeconfig(String name, String token) throws IOException {
    return kubeconfigFile(name, "    token: " + token);
  }

  /** kubectl as admin; fails with stderr on a non-zero exit. */
  String kubectl(String... args) throws Exception {
    return Kubectl.get(adminKubeconfig, args);
  }

  /** kubectl as admin, whatever it returns. */
  Kubectl.Result kubectlRun(String... args) throws Exception {
    return Kubectl.run(adminKubeconfig, args);
  }

  /** Applies a YAML document (written to a file first: kubectl reads no stdin here). */
  void apply(String name, String yaml) throws Exception {
    Path f = write(name + ".yaml", yaml);
    kubectl("apply", "-f", f.toString());
  }

  /** Checks every process is still running. */
  void requireAlive() {
    processes.forEach(LoggedProcess::requireAlive);
  }

  /** What the apiserver logged as errors or warnings about the metrics APIs (distinct lines). */
  String apiserverFindings(int max) {
    return processes.stream().filter(p -> p.name().equals("kube-apiserver")).findFirst()
        .map(p -> p.distinctLines(l -> (l.startsWith("E") || l.startsWith("W"))
            && l.contains("metrics.k8s.io"), max))
        .orElse(" (not started)");
  }

  /** The last lines of every process' log, for failure messages. */
  String diagnostics() {
    StringBuilder sb = new StringBuilder();
    for (LoggedProcess p : processes) {
      sb.append("---- ").append(p.name()).append(p.isAlive() ? " (running)" : " (exited)")
          .append(", last lines:\n").append(p.tail(25)).append('\n');
    }
    return sb.toString();
  }

  @Override
  public void close() {
    for (int i = processes.size() - 1; i >= 0; i--) {
      processes.get(i).close();
    }
  }

  private LoggedProcess spawn(String name, List<String> command) throws IOException {
    LoggedProcess p = LoggedProcess.start(name, dir.resolve(name + ".log"), Map.of(), command);
    processes.add(p);
    return p;
  }

  private Path kubeconfig(String name, PemCertificate client) throws IOException {
    Path crt = write(name + ".crt", client.chainPem());
    Path key = write(name + ".key", client.privateKeyPem());
    return kubeconfigFile(name, "    client-certificate: " + crt + "\n    client-key: " + key);
  }

  private Path kubeconfigFile(String name, String userLines) throws IOException {
    return write(name + ".kubeconfig", String.join("\n",
        "apiVersion: v1", "kind: Config", "clusters:", "- name: it", "  cluster:",
        "    server: " + url(), "    certificate-authority: " + dir.resolve("ca.crt"),
        "users:", "- name: " + name, "  user:", userLines, "contexts:",
        "- name: it", "  context: {cluster: it, user: " + name + "}", "current-context: it",
        ""));
  }

  private Path write(String name, String content) throws IOException {
    return Files.writeString(dir.resolve(name), content);
  }

  private static String binary(Path assets, String name) {
    Path inAssets = assets.resolve(name);
    if (Files.isExecutable(inAssets)) {
      return inAssets.toString();
    }
    if (name.equals("etcd")) {
      for (String d : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
        if (Files.isExecutable(Path.of(d, name))) {
          return Path.of(d, name).toString();
        }
      }
      throw new IllegalStateException("etcd is neither in " + assets + " nor on the PATH: install"
          + " Debian's etcd-server (scripts/install-deps.sh does) or put etcd into "
          + "KUBEBUILDER_ASSETS");
    }
    throw new IllegalStateException(inAssets + " is missing or not executable (KUBEBUILDER_ASSETS"
        + " must hold kube-apiserver and kube-controller-manager)");
  }

  private static String get(HttpClient client, String url) {
    try {
      HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(url))
          .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
      return r.body();
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  static int freePort(String address) throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(address))) {
      return s.getLocalPort();
    }
  }

  private static String rsaPrivateKeyPem() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    KeyPair kp = g.generateKeyPair();
    return "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
            .encodeToString(kp.getPrivate().getEncoded())
        + "\n-----END PRIVATE KEY-----\n";
  }

  private static Instant notBefore() {
    return Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(1, ChronoUnit.HOURS);
  }

  private static Instant notAfter() {
    return Instant.now().truncatedTo(ChronoUnit.SECONDS).plus(1, ChronoUnit.DAYS);
  }
}
