package io.meshcast.loadtest.serving;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * An HTTPS load generator on its own single-event-loop Vert.x, for one target on 127.0.0.1.
 *
 * <p>{@link #fixedRate} is open-loop: request {@code i} is due at {@code t0 + i / rate}, sent at
 * that instant by a pacing thread whatever the state of earlier requests, and its latency is
 * measured from that <em>intended</em> send time. A server that stalls therefore pays for every
 * request that should have been sent during the stall (no coordinated omission, as in wrk2 or
 * Gatling). {@link #closedLoop} keeps {@code concurrency} requests in flight and measures the
 * throughput the server sustains. Latencies are kept exactly (one {@code long} per request) and
 * sorted for the percentiles; both modes are bounded in time and in request count.
 *
 * <p>The client trusts any server certificate: the targets are child processes of the harness
 * on 127.0.0.1 with fresh self-signed certificates.
 */
final class LoadGenerator implements AutoCloseable {

  /** The Accept header the HPA's client sends (k8s-metrics-api.md §1.1). */
  static final String ACCEPT = "application/vnd.kubernetes.protobuf, */*";

  /**
   * One measurement. Latencies in milliseconds; {@code throughput} counts 2xx per second. {@code
   * sendLagP99Ms} is the generator's own p99 delay between a request's intended send time and
   * its dispatch on the client event loop (NaN in closed loop): when it is close to {@code
   * p99Ms}, the tail comes from the load generator being descheduled, not from the server.
   */
  record Result(
      long sent,
      long ok,
      long errors,
      double seconds,
      double throughput,
      double p50Ms,
      double p99Ms,
      double p999Ms,
      double maxMs,
      double sendLagP99Ms,
      String firstError) {}

  /** A response read in full. */
  record Response(int status, Buffer body) {}

  private final Vertx vertx;
  private final HttpClientAgent client;
  private final Context context;
  private final int port;
  private final int connections;

  LoadGenerator(int port, int connections) {
    this.port = port;
    this.connections = connections;
    this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
    this.client = vertx.createHttpClient(
        new HttpClientOptions()
            .setSsl(true)
            .setTrustAll(true)
            .setVerifyHost(false)
            .setProtocolVersion(HttpVersion.HTTP_1_1)
            .setKeepAlive(true)
            .setConnectTimeout(5_000),
        new PoolOptions().setHttp1MaxSize(connections).setMaxWaitQueueSize(20_000));
    this.context = vertx.getOrCreateContext();
  }

  /** One request, read in full (for probing and validation). */
  Future<Response> get(String path) {
    return client
        .request(options(path))
        .compose(HttpClientRequest::send)
        .compose(resp -> resp.body().map(b -> new Response(resp.statusCode(), b)));
  }

  /**
   * Sends {@code rate * duration} requests at a constant rate, cycling through {@code paths},
   * then waits at most {@code drain} for stragglers (counted as errors if still missing).
   */
  Result fixedRate(List<String> paths, double rate, Duration duration, Duration drain)
      throws InterruptedException {
    if (rate <= 0 || paths.isEmpty()) {
      throw new IllegalArgumentException("rate must be positive and paths non-empty");
    }
    int total = (int) Math.min(50_000_000L, Math.round(rate * duration.toNanos() / 1e9));
    long interval = Math.round(1e9 / rate);
    long[] latency = new long[total];
    long[] lag = new long[total];
    Arrays.fill(latency, -1);
    AtomicLong ok = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    AtomicLong lastDone = new AtomicLong();
    StringBuilder firstError = new StringBuilder();
    CountDownLatch done = new CountDownLatch(total);
    preconnect(paths);
    long t0 = System.nanoTime() + 5_000_000;
    for (int i = 0; i < total; i++) {
      final long intended = t0 + i * interval;
      final int slot = i;
      final String path = paths.get(i % paths.size());
      long wait = intended - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
      context.runOnContext(v -> {
        lag[slot] = System.nanoTime() - intended;
        send(path).onComplete(ar -> {
        long now = System.nanoTime();
        latency[slot] = now - intended;
        lastDone.accumulateAndGet(now, Math::max);
        if (ar.succeeded() && ar.result() / 100 == 2) {
          ok.incrementAndGet();
        } else {
          errors.incrementAndGet();
          noteError(firstError, ar.succeeded() ? "HTTP " + ar.result() + " " + path
              : ar.cause().toString());
        }
        done.countDown();
      });
      });
    }
    boolean all = done.await(drain.toMillis(), TimeUnit.MILLISECONDS);
    long end = System.nanoTime();
    // countDown() happens-before await() returns, so every answered slot is visible here; a slot
    // still -1 is a request in flight (a late answer racing with this read changes nothing).
    long[] lat = latency.clone();
    long missing = 0;
    for (int i = 0; i < lat.length; i++) {
      if (lat[i] < 0) { // still in flight: at least this late
        lat[i] = end - (t0 + i * interval);
        missing++;
      }
    }
    if (!all) {
      noteError(firstError, missing + " requests unanswered after the " + drain + " drain");
    }
    double seconds = ((all ? lastDone.get() : end) - t0) / 1e9;
    long[] sortedLag = lag.clone();
    Arrays.sort(sortedLag);
    return summarize(total, ok.get(), errors.get() + missing, seconds, lat,
        percentileMs(sortedLag, 0.99), firstError);
  }

  /**
   * Keeps {@code concurrency} requests in flight for {@code duration} (at most {@code maxRequests}
   * in all) and reports the sustained throughput; latencies are per request (closed loop).
   */
  Result closedLoop(List<String> paths, int concurrency, Duration duration, int maxRequests)
      throws InterruptedException {
    long[] latency = new long[maxRequests];
    Arrays.fill(latency, -1);
    AtomicInteger next = new AtomicInteger();
    AtomicLong ok = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    StringBuilder firstError = new StringBuilder();
    CountDownLatch workers = new CountDownLatch(concurrency);
    long t0 = System.nanoTime();
    long stop = t0 + duration.toNanos();
    for (int w = 0; w < concurrency; w++) {
      context.runOnContext(v -> loop(paths, next, latency, stop, ok, errors, firstError, workers));
    }
    workers.await(duration.toMillis() + 30_000, TimeUnit.MILLISECONDS);
    double seconds = (System.nanoTime() - t0) / 1e9;
    int n = Math.min(next.get(), maxRequests);
    // Each worker counted down after its last write; slots claimed past maxRequests stay -1.
    long[] lat = Arrays.stream(latency, 0, n).filter(l -> l >= 0).toArray();
    return summarize(n, ok.get(), errors.get(), seconds, lat, Double.NaN, firstError);
  }

  private void loop(List<String> paths, AtomicInteger next, long[] latency, long stop,
      AtomicLong ok, AtomicLong errors, StringBuilder firstError, CountDownLatch workers) {
    long start = System.nanoTime();
    int i = start >= stop ? latency.length : next.getAndIncrement();
    if (i >= latency.length) {
      workers.countDown();
      return;
    }
    String path = paths.get(i % paths.size());
    send(path).onComplete(ar -> {
      latency[i] = System.nanoTime() - start;
      if (ar.succeeded() && ar.result() / 100 == 2) {
        ok.incrementAndGet();
      } else {
        errors.incrementAndGet();
        noteError(firstError, ar.succeeded() ? "HTTP " + ar.result() + " " + path
            : ar.cause().toString());
      }
      loop(paths, next, latency, stop, ok, errors, firstError, workers);
    });
  }

  /**
   * Opens the pool's connections (TLS handshakes included) before the clock starts: the HPA talks
   * to the adapter over long-lived connections, so handshakes are not part of request latency.
   */
  private void preconnect(List<String> paths) throws InterruptedException {
    List<Future<Integer>> opening = new java.util.ArrayList<>();
    for (int i = 0; i < connections; i++) {
      opening.add(send(paths.get(i % paths.size())));
    }
    try {
      Future.join(opening).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      // a target that cannot even answer these shows up as errors in the measurement itself
    }
  }

  private Future<Integer> send(String path) {
    return client
        .request(options(path))
        .compose(HttpClientRequest::send)
        .compose(resp -> resp.body().map(b -> resp.statusCode()));
  }

  private RequestOptions options(String path) {
    return new RequestOptions()
        .setMethod(HttpMethod.GET)
        .setHost("127.0.0.1")
        .setPort(port)
        .setURI(path)
        .putHeader("Accept", ACCEPT)
        .setIdleTimeout(10_000);
  }

  private static void noteError(StringBuilder first, String what) {
    synchronized (first) {
      if (first.length() == 0) {
        first.append(what);
      }
    }
  }

  private static Result summarize(long sent, long ok, long errors, double seconds, long[] lat,
      double sendLagP99Ms, StringBuilder firstError) {
    long[] sorted = lat.clone();
    Arrays.sort(sorted);
    return new Result(sent, ok, errors, seconds, seconds > 0 ? ok / seconds : 0,
        percentileMs(sorted, 0.50), percentileMs(sorted, 0.99), percentileMs(sorted, 0.999),
        sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1] / 1e6, sendLagP99Ms,
        firstError.toString());
  }

  /** Nearest-rank percentile of sorted nanoseconds, in ms; NaN when there is no sample. */
  static double percentileMs(long[] sortedNanos, double q) {
    if (sortedNanos.length == 0) {
      return Double.NaN;
    }
    int rank = (int) Math.ceil(q * sortedNanos.length);
    return sortedNanos[Math.max(0, Math.min(sortedNanos.length, rank) - 1)] / 1e6;
  }

  @Override
  public void close() throws Exception {
    // Closing the Vert.x instance drops the connections at once; HttpClient.close() waited for
    // a graceful shutdown that never completed against these servers.
    vertx.close().toCompletionStage().toCompletableFuture().get(15, TimeUnit.SECONDS);
  }
}
