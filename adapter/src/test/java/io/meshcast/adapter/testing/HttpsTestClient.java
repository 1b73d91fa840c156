package io.meshcast.adapter.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** An HTTPS client that trusts exactly one server's certificate chain, with JSON helpers. */
public final class HttpsTestClient {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient client;
  private final String base;

  public HttpsTestClient(String base, String certChainPem) throws Exception {
    this.base = base;
    KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
    ks.load(null, null);
    int i = 0;
    for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(
        new ByteArrayInputStream(certChainPem.getBytes(StandardCharsets.US_ASCII)))) {
      ks.setCertificateEntry("c" + i++, c);
    }
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(ks);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    this.client = HttpClient.newBuilder().sslContext(ctx)
        .connectTimeout(Duration.ofSeconds(30)).build();
  }

  public HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
    return client.send(HttpRequest.newBuilder(URI.create(base + pathAndQuery))
        .header("Accept", "application/json").timeout(Duration.ofSeconds(60)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  public static JsonNode json(HttpResponse<String> r) throws IOException {
    return JSON.readTree(r.body());
  }

  /** Parses a Kubernetes quantity as the metrics APIs write it ({@code 12}, {@code 12500m}). */
  public static double quantity(String q) {
    String s = q.trim();
    double mult = 1;
    if (s.endsWith("m")) {
      mult = 1e-3;
      s = s.substring(0, s.length() - 1);
    } else if (s.endsWith("k")) {
      mult = 1e3;
      s = s.substring(0, s.length() - 1);
    } else if (s.endsWith("M")) {
      mult = 1e6;
      s = s.substring(0, s.length() - 1);
    } else if (s.endsWith("G")) {
      mult = 1e9;
      s = s.substring(0, s.length() - 1);
    }
    return Double.parseDouble(s.toLowerCase(Locale.ROOT)) * mult;
  }
}
