package io.meshcast.loadtest.refresh;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A PromQL endpoint on 127.0.0.1 that answers every instant query with a pre-rendered vector of a
 * chosen size and counts the queries. Only for measuring the adapter's side: query count per
 * refresh and the cost of decoding, indexing and publishing N series. Pod-level queries (grouped
 * by pod) get {@code pods} series, service-level ones {@code services} series.
 */
final class FakePrometheus {

  private final HttpServer server;
  private final AtomicLong queries = new AtomicLong();
  private volatile Buffer podAnswer = Buffer.buffer();
  private volatile Buffer serviceAnswer = Buffer.buffer();
  private int pods;
  private int services;
  private long timestamp = System.currentTimeMillis() / 1000;

  private FakePrometheus(HttpServer server) {
    this.server = server;
  }

  static Future<FakePrometheus> start(Vertx vertx) {
    HttpServer server = vertx.createHttpServer();
    FakePrometheus p = new FakePrometheus(server);
    server.requestHandler(req -> req.body().onSuccess(body -> {
      String q = req.getParam("query");
      if (q == null) {
        q = body.toString(); // POSTed form: only the grouping matters here
      }
      p.queries.incrementAndGet();
      Buffer answer = q.contains("pod") ? p.podAnswer : p.serviceAnswer;
      req.response().putHeader("Content-Type", "application/json").end(answer);
    }));
    return server.listen(0, "127.0.0.1").map(s -> p);
  }

  /** Sets the size of the answers: {@code pods} pod series over {@code services} services. */
  void shape(int pods, int services) {
    this.pods = pods;
    this.services = services;
    long ts = timestamp;
    StringBuilder sp = new StringBuilder(pods * 160);
    for (int i = 0; i < pods; i++) {
      int s = i % services;
      sp.append(i == 0 ? "" : ",").append("{\"metric\":{\"kuma_io_service\":\"svc-").append(s)
          .append("_ns-").append(s % 20).append("_svc_80\",\"namespace\":\"ns-").append(s % 20)
          .append("\",\"pod\":\"svc-").append(s).append("-5d8f7c9b6-p").append(i)
          .append("\",\"app\":\"svc-").append(s).append("\"},\"value\":[").append(ts)
          .append(",\"").append(1 + i % 97).append(".5\"]}");
    }
    StringBuilder ss = new StringBuilder(services * 100);
    for (int s = 0; s < services; s++) {
      ss.append(s == 0 ? "" : ",").append("{\"metric\":{\"kuma_io_service\":\"svc-").append(s)
          .append("_ns-").append(s % 20).append("_svc_80\"},\"value\":[").append(ts)
          .append(",\"").append(10 + s % 89).append(".25\"]}");
    }
    podAnswer = Buffer.buffer(envelope(sp));
    serviceAnswer = Buffer.buffer(envelope(ss));
  }

  /** Moves the answers' evaluation timestamp one second on (a new data point per series). */
  void advance() {
    timestamp++;
    shape(pods, services);
  }

  private static String envelope(CharSequence result) {
    return "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[" + result
        + "]}}";
  }

  long queries() {
    return queries.get();
  }

  int port() {
    return server.actualPort();
  }

  Future<Void> close() {
    return server.close();
  }
}
