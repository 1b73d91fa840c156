package io.meshcast.adapter.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.meshcast.adapter.tls.CertificateAuthority;
import io.meshcast.adapter.tls.LeafSpec;
import io.meshcast.adapter.tls.PemCertificate;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Attacks on the authentication layer over real TLS: forged identity headers, header smuggling,
 * oversized headers and bodies, slow (slowloris) clients. Each must be rejected or bounded, and the
 * server must answer a normal request afterwards.
 */
final class AuthAttackTest {

  private static final String METRIC_PATH = AuthHandlerTlsTest.METRIC_PATH;
  private static final String SAR_PATH = "/apis/authorization.k8s.io/v1/subjectaccessreviews";
  private static final String TOKEN_PATH = "/apis/authentication.k8s.io/v1/tokenreviews";
  private static final Instant NOW = Instant.now();
  private static final CertificateAuthority FRONT_PROXY_CA =
      CertificateAuthority.create("front-proxy-ca", NOW.minusSeconds(3600), NOW.plusSeconds(86400));
  private static final PemCertificate FRONT_PROXY =
      FRONT_PROXY_CA.issue(LeafSpec.client("front-proxy-client", List.of(), NOW.minusSeconds(60),
          NOW.plusSeconds(3600)));
  private static final Duration HEADER_DEADLINE = Duration.ofSeconds(3);
  /** How long a test waits for an event before failing: generous, reached only when broken. */
  private static final Duration LIMIT = Duration.ofSeconds(60);

  static KubernetesMockServer api;
  static KubernetesClient client;
  static TlsHarness harness;
  static final List<String> sarBodies = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    api = new KubernetesMockServer(false);
    api.init(InetAddress.getByName("127.0.0.1"), 0);
    client = MockClients.noRetries(api);
    api.expect().post().withPath(SAR_PATH).andReply(201, req -> {
      String body = req.getBody().readUtf8();
      sarBodies.add(body);
      return "{\"apiVersion\":\"authorization.k8s.io/v1\",\"kind\":\"SubjectAccessReview\","
          + "\"status\":{\"allowed\":" + body.contains("\"user\":\"alice\"") + "}}";
    }).always();
    api.expect().post().withPath(TOKEN_PATH).andReturn(201,
        "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"TokenReview\",\"status\":"
            + "{\"authenticated\":true,\"user\":{\"username\":\"alice\",\"groups\":[\"devs\"]}}}")
        .always();
    harness = new TlsHarness(client, new FakeTicker(), HEADER_DEADLINE);
    harness.config.set(
        new AuthConfig(List.of(FRONT_PROXY_CA.certificate()), List.of("front-proxy-client"),
            List.of("X-Remote-User"), List.of("X-Remote-Uid"), List.of("X-Remote-Group"),
            List.of("X-Remote-Extra-"), List.of()));
  }

  @AfterAll
  static void stop() {
    harness.close();
    client.close();
    api.destroy();
  }

  @BeforeEach
  void clear() {
    sarBodies.clear();
  }

  @AfterEach
  void serverStillHealthy() throws Exception {
    HttpResponse<String> r = harness.get(null, "/livez");
    assertThat(r.statusCode()).isEqualTo(200);
    HttpResponse<String> ok =
        harness.get(FRONT_PROXY, METRIC_PATH, "X-Remote-User", "alice");
    assertThat(ok.statusCode()).isEqualTo(200);
  }

  @Test
  void forgedMastersWithValidToken_groupsComeFromTokenReviewOnly() throws Exception {
    HttpResponse<String> r = harness.get(null, METRIC_PATH, "Authorization", "Bearer t",
        "X-Remote-User", "system:admin", "X-Remote-Group", "system:masters");
    assertThat(r.statusCode()).isEqualTo(200);
    JsonObject body = TlsHarness.json(r);
    assertThat(body.getString("user")).isEqualTo("alice");
    assertThat(body.getJsonArray("groups").getList())
        .containsExactly("devs", "system:authenticated");
    assertThat(sarBodies).hasSize(1);
    assertThat(sarBodies.get(0)).doesNotContain("system:masters").doesNotContain("system:admin");
  }

  @Test
  void duplicateUserHeaders_firstWinsLikeApiserver() throws Exception {
    HttpResponse<String> r = harness.get(FRONT_PROXY, METRIC_PATH,
        "X-Remote-User", "alice", "X-Remote-User", "system:admin");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(TlsHarness.json(r).getString("user")).isEqualTo("alice");
  }

  @Test
  void oddCaseIdentityHeadersWithoutCert_strippedAndUnauthorized() throws Exception {
    assertThat(harness.get(null, METRIC_PATH, "x-REMOTE-user", "system:admin",
        "X-REMOTE-GROUP", "system:masters").statusCode()).isEqualTo(401);
    HttpResponse<String> livez = harness.get(null, "/livez", "x-REMOTE-user", "system:admin",
        "x-remote-extra-scopes", "all", "X-Remote-Whatever", "x");
    assertThat(TlsHarness.json(livez).getJsonArray("remoteHeaders")).isEmpty();
    assertThat(TlsHarness.json(livez).getString("user")).isEqualTo("system:anonymous");
  }

  @Test
  void underscoreLookalikeHeader_isNotAUserName() throws Exception {
    // Some proxies map '_' to '-'; we never do. A verified front-proxy cert with no real username
    // header falls through to the (unconfigured here) client-CA authenticator: 401.
    HttpResponse<String> r =
        harness.get(FRONT_PROXY, METRIC_PATH, "X_Remote_User", "system:admin");
    assertThat(r.statusCode()).isEqualTo(401);
  }

  @Test
  void rawHeaderTricks_neverYieldAnIdentity() throws Exception {
    // trick -> the only response we accept (what Vert.x/Netty + AuthHandler answer today)
    Map<String, List<Integer>> tricks = new LinkedHashMap<>();
    // whitespace before the colon (RFC 9112 §5.1: must be rejected)
    tricks.put("GET " + METRIC_PATH + " HTTP/1.1\r\nHost: x\r\nX-Remote-User : system:admin\r\n"
        + "X-Remote-Group : system:masters\r\n\r\n", List.of(400));
    // obsolete line folding hiding a header inside another one
    tricks.put("GET " + METRIC_PATH + " HTTP/1.1\r\nHost: x\r\nX-Note: a\r\n X-Remote-Group: "
        + "system:masters\r\n\r\n", List.of(401));
    // NUL and bare CR inside values
    tricks.put("GET " + METRIC_PATH + " HTTP/1.1\r\nHost: x\r\nX-Remote-User: a\u0000b\r\n\r\n",
        List.of(400));
    tricks.put("GET " + METRIC_PATH + " HTTP/1.1\r\nHost: x\r\nX-Foo: a\rX-Remote-Group: "
        + "system:masters\r\n\r\n", List.of(400));
    // CL.TE smuggling: a second, "authenticated-looking" request hidden in the body
    tricks.put("POST /livez HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n"
        + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET " + METRIC_PATH + " HTTP/1.1\r\n"
        + "Host: x\r\nX-Remote-User: system:admin\r\nX-Remote-Group: system:masters\r\n\r\n",
        List.of(400));
    for (Map.Entry<String, List<Integer>> trick : tricks.entrySet()) {
      assertThat(rawExchange(FRONT_PROXY_LESS, trick.getKey()))
          .as("responses to %s", trick.getKey().replace("\r\n", "\\r\\n"))
          .isEqualTo(trick.getValue());
    }
  }

  @Test
  void rawHeaderTricks_withFrontProxyCert_cannotAddGroups() throws Exception {
    // Through the real front proxy: a folded line must not become a group header.
    List<Integer> statuses = rawExchange(FRONT_PROXY,
        "GET " + METRIC_PATH + " HTTP/1.1\r\nHost: x\r\nX-Remote-User: mallory\r\nX-Note: a\r\n"
            + " X-Remote-Group: system:masters\r\nConnection: close\r\n\r\n");
    // mallory is not allowed by the SAR; a 200 would mean the folded group was honoured.
    assertThat(statuses).containsExactly(403);
  }

  @Test
  void oversizedHeaders_rejectedWith431() throws Exception {
    String big = "a".repeat(64 * 1024);
    List<Integer> one = rawExchange(null,
        "GET /livez HTTP/1.1\r\nHost: x\r\nX-Big: " + big + "\r\n\r\n");
    assertThat(one).containsExactly(431);
    StringBuilder many = new StringBuilder("GET /livez HTTP/1.1\r\nHost: x\r\n");
    for (int i = 0; i < 5000; i++) {
      many.append("X-Remote-Group: g").append(i).append("\r\n");
    }
    assertThat(rawExchange(FRONT_PROXY, many + "\r\n")).containsExactly(431);
    String longUri = "/livez?" + "a".repeat(10 * 1024);
    assertThat(rawExchange(null, "GET " + longUri + " HTTP/1.1\r\nHost: x\r\n\r\n"))
        .containsExactly(414);
  }

  @Test
  void oversizedBody_isNotBufferedAndAnsweredPromptly() throws Exception {
    byte[] body = new byte[32 * 1024 * 1024];
    Integer status;
    try {
      status = harness.client(null).send(
          HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + harness.port() + METRIC_PATH))
              .timeout(LIMIT)
              .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
          HttpResponse.BodyHandlers.ofString()).statusCode();
    } catch (java.net.http.HttpTimeoutException e) {
      throw new AssertionError("no answer to a 32 MiB body within " + LIMIT, e);
    } catch (IOException e) {
      status = null; // server answered 401 and closed before the upload finished: also bounded
    }
    assertThat(status).isIn(401, null);
  }

  @Test
  void slowloris_connectionsClosedAfterHeaderDeadline() throws Exception {
    List<SSLSocket> slow = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      SSLSocket s = harness.rawSocket(null);
      s.getOutputStream().write("GET /livez HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
      slow.add(s);
    }
    // Meanwhile the server keeps serving normal clients.
    assertThat(harness.get(null, "/livez").statusCode()).isEqualTo(200);
    long deadline = System.nanoTime() + LIMIT.toNanos();
    int closed = 0;
    for (SSLSocket s : slow) {
      boolean isClosed = false;
      while (!isClosed && System.nanoTime() < deadline) {
        try {
          // one header byte every 200 ms: never idle, never complete
          s.getOutputStream().write('X');
          s.getOutputStream().flush();
          s.setSoTimeout(200);
          isClosed = s.getInputStream().read() == -1;
        } catch (SocketTimeoutException e) {
          // still open
        } catch (IOException e) {
          isClosed = true;
        }
      }
      closed += isClosed ? 1 : 0;
      s.close();
    }
    assertThat(closed).isEqualTo(20);
  }

  @Test
  void tcpWithoutTlsHandshake_isClosedByHandshakeTimeout() throws Exception {
    try (Socket s = new Socket("127.0.0.1", harness.port())) {
      // Waits for the server to close (EOF or reset); our own read timeout is a failure.
      s.setSoTimeout((int) LIMIT.toMillis());
      int read;
      try {
        read = s.getInputStream().read();
      } catch (SocketTimeoutException e) {
        throw new AssertionError("connection still open after " + LIMIT, e);
      } catch (IOException e) {
        read = -1;
      }
      assertThat(read).isEqualTo(-1);
    }
  }

  private static final PemCertificate FRONT_PROXY_LESS = null;

  /** Sends raw bytes over TLS and returns the status codes of all responses read. */
  private static List<Integer> rawExchange(PemCertificate cert, String request) throws Exception {
    List<Integer> statuses = new ArrayList<>();
    try (SSLSocket s = harness.rawSocket(cert)) {
      OutputStream out = s.getOutputStream();
      try {
        out.write(request.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
      } catch (IOException e) {
        // the server may close while we are still writing an oversized request
      }
      String text = readAll(s);
      for (String line : text.split("\r\n")) {
        if (line.startsWith("HTTP/1.1 ") || line.startsWith("HTTP/1.0 ")) {
          statuses.add(Integer.parseInt(line.substring(9, 12)));
        }
      }
    }
    return statuses;
  }

  /**
   * Reads until EOF. The first answer may take up to {@link #LIMIT} (a loaded machine); after it,
   * 3 s of silence on a kept-alive connection ends the read (a smuggled second response would be
   * written right after the first).
   */
  private static String readAll(SSLSocket s) throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    byte[] b = new byte[8192];
    s.setSoTimeout((int) LIMIT.toMillis());
    try {
      InputStream in = s.getInputStream();
      int n;
      while ((n = in.read(b)) > 0) {
        buf.write(b, 0, n);
        s.setSoTimeout(3000);
      }
    } catch (IOException e) {
      // timeout or reset: keep what we have
    }
    return buf.toString(StandardCharsets.ISO_8859_1);
  }
}
