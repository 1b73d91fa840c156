package io.meshcast.adapter.source;

import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A PromQL-speaking time-series store. Implementations do I/O and return futures; they are called
 * by the background refresh only, never on the request path. Failures are {@link
 * SourceException}s naming the query and the reason.
 */
public interface MetricSource {

  /** Evaluates an instant query at {@code time}; the result must be an instant vector. */
  Future<List<Sample>> query(String promql, Instant time);

  /** Evaluates a range query (used to bootstrap models at start); a matrix result. */
  Future<List<RangeSeries>> queryRange(String promql, Instant start, Instant end, Duration step);

  /**
   * Lists the label sets of the series matching a series selector over {@code [start, end]}
   * ({@code /api/v1/series}); used by rule discovery, in the background only.
   */
  default Future<List<java.util.Map<String, String>>> series(String match, Instant start,
      Instant end) {
    return Future.failedFuture(new SourceException(SourceException.Kind.QUERY_ERROR,
        "this source cannot list series"));
  }

  /** Releases connections. */
  Future<Void> close();
}
