package io.meshcast.adapter.source.prometheus;

import io.meshcast.adapter.source.SourceException;
import io.netty.buffer.Unpooled;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.streams.WriteStream;
import io.vertx.ext.web.codec.BodyCodec;
import io.vertx.ext.web.codec.spi.BodyStream;

/**
 * A body codec that buffers at most {@code limit} bytes and fails beyond, so a runaway response
 * (a query matching far more series than expected, a misrouted proxy) cannot exhaust the heap.
 *
 * <p>Chunks are kept as they arrive and the body is a composite view over them: appending them
 * to one growing buffer re-copied the whole body at every doubling, on the event loop (67 ms for
 * one multi-megabyte answer at 100k series, issue 14). The one copy into a contiguous array
 * happens where the body is decoded, on a worker thread.
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
    private final java.util.List<byte[]> chunks = new java.util.ArrayList<>();
    private long length;
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
      if (length + (long) data.length() > limit) {
        SourceException e = SourceException.tooLarge(limit);
        result.tryFail(e);
        return Future.failedFuture(e);
      }
      chunks.add(data.getBytes()); // one copy of this chunk only
      length += data.length();
      return Future.succeededFuture();
    }

    @Override
    public Future<Void> end() {
      result.tryComplete(BufferInternal.buffer(
          Unpooled.wrappedBuffer(chunks.toArray(new byte[0][]))));
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
