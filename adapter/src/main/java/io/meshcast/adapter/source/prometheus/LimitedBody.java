package io.meshcast.adapter.source.prometheus;

import io.meshcast.adapter.source.SourceException;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;
import io.vertx.ext.web.codec.BodyCodec;
import io.vertx.ext.web.codec.spi.BodyStream;

/**
 * A body codec that buffers at most {@code limit} bytes and fails beyond, so a runaway response
 * (a query matching far more series than expected, a misrouted proxy) cannot exhaust the heap.
 */
final class LimitedBody implements BodyCodec<Buffer> {

  private final long limit;

  LimitedBody(long limit) {
    this.limit = limit;
  }

  @Override
  public BodyStream<Buffer> stream() {
    return new Stream(limit);
  }

  private static final class Stream implements BodyStream<Buffer> {
    private final long limit;
    private final Buffer buffer = Buffer.buffer();
    private final Promise<Buffer> result = Promise.promise();

    Stream(long limit) {
      this.limit = limit;
    }

    @Override
    public Future<Buffer> result() {
      return result.future();
    }

    @Override
    public void handle(Throwable failure) {
      result.tryFail(failure);
    }

    @Override
    public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
      return this;
    }

    @Override
    public Future<Void> write(Buffer data) {
      if (buffer.length() + (long) data.length() > limit) {
        SourceException e = new SourceException(SourceException.Kind.BAD_RESPONSE,
            "response from Prometheus exceeds prometheus.maxResponseBytes (" + limit + " bytes)");
        result.tryFail(e);
        return Future.failedFuture(e);
      }
      buffer.appendBuffer(data);
      return Future.succeededFuture();
    }

    @Override
    public Future<Void> end() {
      result.tryComplete(buffer);
      return Future.succeededFuture();
    }

    @Override
    public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
      return this;
    }

    @Override
    public boolean writeQueueFull() {
      return false;
    }

    @Override
    public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
      return this;
    }
  }
}
