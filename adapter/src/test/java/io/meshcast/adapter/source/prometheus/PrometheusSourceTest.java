package io.meshcast.adapter.source.prometheus;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.meshcast.adapter.config.ConfigLoader;
import io.meshcast.adapter.config.PrometheusConfig;
import io.meshcast.adapter.source.RangeSeries;
import io.meshcast.adapter.source.Sample;
import io.meshcast.adapter.source.SourceException;
import io.meshcast.adapter.source.SourceException.Kind;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Faults a real Prometheus will not produce on demand, served by WireMock. */
final class PrometheusSourceTest {

  private static final Instant T = Instant.parse("2026-11-21T10:00:00Z");
  private final Vertx vertx = Vertx.vertx();
  private WireMockServer wm;

  @BeforeEach
  void start() {
    wm = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    wm.start();
  }

  @AfterEach
  void stop() throws Exception {
    wm.stop();
    vertx.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  private PrometheusSource source(String extra) {
    PrometheusConfig c = ConfigLoader.parse("prometheus:\n  url: " + wm.baseUrl() + "/prom\n"
        + extra).prometheus();
    return PrometheusSource.create(vertx, c);
  }

  private static <T> T await(Future<T> f) throws Exception {
    try {
      return f.toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw (Exception) e.getCause();
    }
  }

  @Test
  void vector_isDecodedWithSpecialValues() throws Exception {
    wm.stubFor(get(urlPathEqualTo("/prom/api/v1/query")).willReturn(okJson("""
        {"status":"success","data":{"resultType":"vector","result":[
          {"metric":{"kuma_io_service":"a_ns_svc_80"},"value":[1763719200.5,"12.25"]},
          {"metric":{"kuma_io_service":"b_ns_svc_80"},"value":[1763719200.5,"NaN"]},
          {"metric":{},"value":[1763719200.5,"+Inf"]}]}}""")));
    List<Sample> s = await(source("").query("up", T));
    assertThat(s).hasSize(3);
    assertThat(s.get(0).labels()).containsEntry("kuma_io_service", "a_ns_svc_80");
    assertThat(s.get(0).value()).isEqualTo(12.25);
    assertThat(s.get(0).timestamp()).isEqualTo(Instant.ofEpochMilli(1763719200500L));
    assertThat(s.get(1).value()).isNaN();
    assertThat(s.get(2).value()).isInfinite();
    wm.verify(getRequestedFor(urlPathEqualTo("/prom/api/v1/query"))
        .withQueryParam("query", equalTo("up"))
        .withQueryParam("time", equalTo("1795255200.000")));
  }

  @Test
  void matrix_isDecoded() throws Exception {
    wm.stubFor(get(urlPathEqualTo("/prom/api/v1/query_range")).willReturn(okJson("""
        {"status":"success","data":{"resultType":"matrix","result":[
          {"metric":{"pod":"p"},"values":[[1763719200,"1"],[1763719260,"2"],[1763719320,"3"]]}]}}
        """)));
    List<RangeSeries> r = await(source("").queryRange("up", T.minusSeconds(120), T,
        Duration.ofMinutes(1)));
    assertThat(r).singleElement().satisfies(x -> {
      assertThat(x.values()).containsExactly(1, 2, 3);
      assertThat(x.timestampsMillis()[2]).isEqualTo(1763719320000L);
    });
    wm.verify(getRequestedFor(urlPathEqualTo("/prom/api/v1/query_range"))
        .withQueryParam("step", equalTo("60.0")));
  }

  @Test
  void http500_isHttpStatusWithBodyPreview() {
    wm.stubFor(any(urlPathEqualTo("/prom/api/v1/query"))
        .willReturn(aResponse().withStatus(500).withBody("upstream exploded")));
    assertThatThrownBy(() -> await(source("").query("up", T)))
        .isInstanceOf(SourceException.class)
        .satisfies(e -> assertThat(((SourceException) e).kind()).isEqualTo(Kind.HTTP_STATUS))
        .hasMessageContaining("HTTP 500").hasMessageContaining("upstream exploded");
  }

  @Test
  void statusErrorBody_isQueryErrorWithPrometheusMessage() {
    wm.stubFor(any(urlPathEqualTo("/prom/api/v1/query")).willReturn(aResponse().withStatus(400)
        .withHeader("Content-Type", "application/json")
        .withBody("{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"parse error at"
            + " char 5\"}")));
    assertThatThrownBy(() -> await(source("").query("up{", T)))
        .isInstanceOf(SourceException.class)
        .hasMessageContaining("HTTP 400").hasMessageContaining("bad_data")
        .hasMessageContaining("parse error at char 5");
    wm.stubFor(any(urlPathEqualTo("/prom/api/v1/query")).willReturn(okJson(
        "{\"status\":\"error\",\"errorType\":\"execution\",\"error\":\"query timed out\"}")));
    assertThatThrownBy(() -> await(source("").query("up", T)))
        .satisfies(e -> assertThat(((SourceException) e).kind()).isEqualTo(Kind.QUERY_ERROR))
        .hasMessageContaining("query timed out");
  }

  @Test
  void malformedOrWrongTypedJson_isBadResponse() {
    for (String body : List.of("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\","
            + "\"result\":[{\"metric\":{}", "<html>proxy error</html>",
        "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[]}}",
        "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{},"
            + "\"value\":[1,\"abc\"]}]}}",
        "{\"status\":\"success\"}")) {
      wm.stubFor(any(urlPathEqualTo("/prom/api/v1/query")).willReturn(okJson(body)));
      assertThatThrownBy(() -> await(source("").query("up", T))).as(body)
          .isInstanceOf(SourceException.class)
          .satisfies(e -> assertThat(((SourceException) e).kind()).isEqualTo(Kind.BAD_RESPONSE))
          .hasMessageContaining("unexpected response from Prometheus");
    }
  }

  @Test
  void hugeResponse_isRejectedAtTheLimit() {
    StringBuilder sb = new StringBuilder("{\"status\":\"success\",\"data\":{\"resultType\":"
        + "\"vector\",\"result\":[");
    for (int i = 0; i < 20_000; i++) {
      sb.append(i == 0 ? "" : ",").append("{\"metric\":{\"pod\":\"p").append(i)
          .append("\"},\"value\":[1,\"1\"]}");
    }
    sb.append("]}}");
    wm.stubFor(any(urlPathEqualTo("/prom/api/v1/query")).willReturn(okJson(sb.toString())));
    assertThatThrownBy(() -> await(source("  maxResponseBytes: 65536\n").query("up", T)))
        .isInstanceOf(SourceException.class).hasMessageContaining("maxResponseBytes");
  }

  @Test
  void slowAnswer_isTimeout() {
    wm.stubFor(any(urlPathEqualTo("/prom/api/v1/query"))
        .willReturn(okJson("{}").withFixedDelay(10_000)));
    // The answer comes 10 s after a 300 ms timeout: load only delays the timeout, it cannot make
    // the answer win. How fast the timeout fires is not asserted (a loaded machine decides).
    assertThatThrownBy(() -> await(source("  timeout: 300ms\n").query("up", T)))
        .isInstanceOf(SourceException.class)
        .satisfies(e -> assertThat(((SourceException) e).kind()).isEqualTo(Kind.TIMEOUT));
  }

  @Test
  void unreachable_isUnreachable() throws Exception {
    int port = wm.port();
    wm.stop();
    PrometheusConfig c = ConfigLoader.parse("prometheus: {url: \"http://127.0.0.1:" + port
        + "\"}").prometheus();
    assertThatThrownBy(() -> await(PrometheusSource.create(vertx, c).query("up", T)))
        .isInstanceOf(SourceException.class)
        .satisfies(e -> assertThat(((SourceException) e).kind()).isEqualTo(Kind.UNREACHABLE));
    wm.start();
  }

  @Test
  void longQuery_isPostedAsForm_inAutoMode() throws Exception {
    wm.stubFor(post(urlPathEqualTo("/prom/api/v1/query")).willReturn(okJson(
        "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}")));
    String q = "sum(up{job=~\"" + "x".repeat(2000) + "\"})";
    assertThat(await(source("").query(q, T))).isEmpty();
    wm.verify(postRequestedFor(urlPathEqualTo("/prom/api/v1/query"))
        .withHeader("Content-Type", containing("application/x-www-form-urlencoded"))
        .withRequestBody(containing("query=sum%28up")));
  }

  @Test
  void bearerTokenFile_isReReadWhenItChanges_andHeadersAreSent(@TempDir Path dir)
      throws Exception {
    Path token = dir.resolve("token");
    Files.writeString(token, "first\n");
    wm.stubFor(any(urlPathEqualTo("/prom/api/v1/query")).willReturn(okJson(
        "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}")));
    PrometheusSource s = source("  bearerTokenFile: " + token + "\n  headers: {X-Scope-OrgID: "
        + "tenant-a}\n");
    await(s.query("up", T));
    Files.writeString(token, "second-token\n");
    Files.setLastModifiedTime(token, java.nio.file.attribute.FileTime.fromMillis(
        System.currentTimeMillis() + 5000));
    await(s.query("up", T));
    wm.verify(1, anyRequestedFor(urlPathEqualTo("/prom/api/v1/query"))
        .withHeader("Authorization", equalTo("Bearer first"))
        .withHeader("X-Scope-OrgID", equalTo("tenant-a")));
    wm.verify(1, anyRequestedFor(urlPathEqualTo("/prom/api/v1/query"))
        .withHeader("Authorization", equalTo("Bearer second-token")));
  }

  @Test
  void basicAuth_isSent() throws Exception {
    wm.stubFor(any(urlPathEqualTo("/prom/api/v1/query")).willReturn(okJson(
        "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}")));
    await(source("  basicAuth: {username: meshcast, password: s3cret}\n").query("up", T));
    wm.verify(anyRequestedFor(urlPathEqualTo("/prom/api/v1/query")).withHeader("Authorization",
        equalTo("Basic bWVzaGNhc3Q6czNjcmV0")));
  }
}
