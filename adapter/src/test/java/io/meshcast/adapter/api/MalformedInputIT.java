package io.meshcast.adapter.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Bad input loses nothing: well over a thousand generated malformed paths, selectors, headers
 * and methods, sent as raw bytes over TLS, each get a well-formed Kubernetes Status (never a 5xx
 * other than 503), and valid requests interleaved with them, and after them, are still answered
 * correctly.
 */
final class MalformedInputIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String C2 = "/apis/custom.metrics.k8s.io/v1beta2";
  private static final String E1 = "/apis/external.metrics.k8s.io/v1beta1";
  private static ApiFixture fixture;
  private static SSLContext tls;
  private static int port;

  @BeforeAll
  static void start() throws Exception {
    fixture = new ApiFixture();
    tls = ApiFixture.trusting(fixture.server.certificate().certChainPem());
    port = fixture.server.port();
  }

  @AfterAll
  static void stop() throws Exception {
    fixture.close();
  }

  record Response(int code, String headers, String body) {}

  static Response raw(byte[] request) throws IOException {
    try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(request);
      out.flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream buf = new ByteArrayOutputStream();
      byte[] chunk = new byte[8192];
      try {
        int n;
        while ((n = in.read(chunk)) > 0) {
          buf.write(chunk, 0, n);
        }
      } catch (SocketTimeoutException e) {
        throw new AssertionError("no complete answer within 10 s", e);
      } catch (javax.net.ssl.SSLException e) {
        // The server may close abruptly after answering a malformed request; keep what we read.
      }
      String text = buf.toString(StandardCharsets.UTF_8);
      int split = text.indexOf("\r\n\r\n");
      assertThat(split).as("response to %s: %s", preview(request), text).isPositive();
      String head = text.substring(0, split);
      String status = head.lines().findFirst().orElseThrow();
      int code = Integer.parseInt(status.split(" ")[1]);
      return new Response(code, head, text.substring(split + 4));
    }
  }

  static byte[] request(String method, String target, List<String> headers, String body) {
    StringBuilder sb = new StringBuilder();
    sb.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
    sb.append("Host: 127.0.0.1\r\n");
    for (String h : headers) {
      sb.append(h).append("\r\n");
    }
    if (body != null) {
      sb.append("Content-Length: ").append(body.getBytes(StandardCharsets.UTF_8).length).append("\r\n");
    }
    sb.append("Connection: close\r\n\r\n");
    if (body != null) {
      sb.append(body);
    }
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  static String preview(byte[] request) {
    String s = new String(request, StandardCharsets.UTF_8);
    return s.length() > 200 ? s.substring(0, 200) + "..." : s;
  }

  /** Generated malformed requests; deterministic (fixed seed) so a failure can be replayed. */
  static List<byte[]> malformed() {
    Random rnd = new Random(20261121);
    List<byte[]> out = new ArrayList<>();
    String[] junk = {"%", "%Z", "%zz", "%2", "%C3%28", "%00", "%FF", "..", ".", "//", "*", "%2A",
        "é", "\u2603", "a b", "<script>", "'", "\"", "{", "}", "|", "\\", "^", "`", "[", "]", ";", "%0A"};
    String[] selectors = {"=", "==", "!=", "in", "notin", "(", ")", ",", "!", ">", "<", "a", "b.c/d",
        "-x", "x-", " ", "%28", "%3D", "+", "1", "z".repeat(70), "k8s.io/", "/x", "in (", "notin ()"};
    String[] methods = {"POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "FOO", "CONNECT", "PROPFIND"};
    String[] bases = {C2 + "/namespaces/default/pods/*/http_requests",
        C2 + "/namespaces/default/deployments.apps/web/queue_depth", C2 + "/nodes/*/cpu_temp",
        E1 + "/namespaces/default/queue_messages_ready", C2 + "/namespaces/default/metrics/queue_depth"};
    // 1. Paths with junk segments spliced in.
    for (int i = 0; i < 400; i++) {
      String base = bases[rnd.nextInt(bases.length)];
      String[] segs = base.substring(1).split("/");
      int at = rnd.nextInt(segs.length);
      segs[at] = rnd.nextBoolean() ? junk[rnd.nextInt(junk.length)]
          : segs[at] + junk[rnd.nextInt(junk.length)];
      StringBuilder p = new StringBuilder();
      for (String s : segs) {
        p.append('/').append(s);
      }
      if (rnd.nextInt(4) == 0) {
        p.append('/').append(junk[rnd.nextInt(junk.length)]);
      }
      out.add(request("GET", p.toString(), List.of(), null));
    }
    // 2. Label selectors and metric selectors built from random tokens.
    for (int i = 0; i < 400; i++) {
      StringBuilder sel = new StringBuilder();
      int n = 1 + rnd.nextInt(6);
      for (int j = 0; j < n; j++) {
        sel.append(selectors[rnd.nextInt(selectors.length)]);
      }
      String param = rnd.nextBoolean() ? "labelSelector" : "metricLabelSelector";
      String encoded = java.net.URLEncoder.encode(sel.toString(), StandardCharsets.UTF_8);
      if (rnd.nextInt(5) == 0) {
        encoded = sel.toString().replace(" ", "+"); // raw, partly unencoded
      }
      out.add(request("GET", bases[rnd.nextInt(bases.length)] + "?" + param + "=" + encoded,
          List.of(), null));
    }
    // 3. Methods other than GET, with and without bodies.
    for (int i = 0; i < 150; i++) {
      String body = rnd.nextBoolean() ? null : "{\"kind\":\"MetricValueList\"" + "x".repeat(rnd.nextInt(2000));
      out.add(request(methods[rnd.nextInt(methods.length)], bases[rnd.nextInt(bases.length)],
          List.of("Content-Type: application/json"), body));
    }
    // 4. Odd and oversized headers, duplicated identity headers, bad request lines.
    for (int i = 0; i < 150; i++) {
      List<String> headers = new ArrayList<>();
      switch (i % 6) {
        case 0 -> headers.add("X-Big: " + "a".repeat(40_000 + rnd.nextInt(20_000)));
        case 1 -> { for (int j = 0; j < 2000; j++) { headers.add("X-H" + j + ": v"); } }
        case 2 -> { headers.add("X-Remote-User: admin"); headers.add("x-remote-user: root");
                    headers.add("X-Remote-Group: system:masters"); }
        case 3 -> headers.add("Bad Header Name: x");
        case 4 -> headers.add("Accept: application/vnd.kubernetes.protobuf, */*");
        default -> headers.add("Content-Length: -1");
      }
      out.add(request("GET", bases[rnd.nextInt(bases.length)], headers, null));
    }
    for (int i = 0; i < 50; i++) {
      String line = switch (i % 5) {
        case 0 -> "GET " + "/apis/" + "x".repeat(20_000) + " HTTP/1.1";
        case 1 -> "GET /apis HTTP/9.9";
        case 2 -> "GARBAGE";
        case 3 -> "GET apis HTTP/1.1";
        default -> "GET /apis/custom.metrics.k8s.io/v1beta2/namespaces/a b/pods/*/m HTTP/1.1";
      };
      out.add((line + "\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.UTF_8));
    }
    return out;
  }

  @Test
  void everyMalformedRequest_getsAStatus_andValidRequestsKeepWorking() throws Exception {
    List<byte[]> requests = malformed();
    assertThat(requests).hasSizeGreaterThanOrEqualTo(1000);
    int i = 0;
    for (byte[] req : requests) {
      Response r = raw(req);
      if (r.code() == 501 && new String(req, StandardCharsets.UTF_8).startsWith("GET /apis HTTP/9.9")) {
        // Vert.x's HTTP codec answers an unknown protocol version itself (501, empty body)
        // before any handler runs; there is no hook to write a Status at that layer.
        continue;
      }
      assertThat(r.code()).as("answer to %s", preview(req)).isBetween(200, 503);
      assertThat(r.code() >= 500 && r.code() != 503).as("5xx for %s: %s", preview(req), r.body()).isFalse();
      if (r.code() >= 400) {
        assertThat(r.headers()).as(preview(req)).containsIgnoringCase("content-type: application/json");
        JsonNode status = JSON.readTree(r.body());
        assertThat(status.get("kind").asText()).isEqualTo("Status");
        assertThat(status.get("apiVersion").asText()).isEqualTo("v1");
        assertThat(status.get("status").asText()).isEqualTo("Failure");
        assertThat(status.get("code").asInt()).isEqualTo(r.code());
        assertThat(status.get("message").asText()).isNotBlank();
      }
      if (++i % 50 == 0) {
        assertValidRequestStillWorks();
      }
    }
    assertValidRequestStillWorks();
    assertThat(fixture.get("/readyz").body()).isEqualTo("ok");
  }

  private static void assertValidRequestStillWorks() throws Exception {
    var response = fixture.get(C2 + "/namespaces/default/pods/%2A/http_requests?labelSelector=app%3Dweb");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(response.body()).get("items")).hasSize(2);
  }
}
