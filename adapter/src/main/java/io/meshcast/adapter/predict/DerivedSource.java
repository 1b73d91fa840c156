package io.meshcast.adapter.predict;

import io.meshcast.adapter.source.MetricSource;
import io.meshcast.adapter.source.RangeSeries;
import io.meshcast.adapter.source.Sample;
import io.meshcast.adapter.source.SourceException;
import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An in-memory {@link MetricSource} answering the derived metrics' pseudo-queries from the values
 * the layer computed last. Reusing the pipeline's refresher on it gives the derived metrics the
 * same snapshot, indexing, history and staleness machinery as the base metrics; nothing here does
 * I/O. Thread-safe (one volatile map).
 */
final class DerivedSource implements MetricSource {

  /** The samples of one derived query, or why it failed. */
  record Answer(List<Sample> samples, Optional<String> error) {
    static Answer of(List<Sample> samples) {
      return new Answer(List.copyOf(samples), Optional.empty());
    }

    static Answer failed(String error) {
      return new Answer(List.of(), Optional.of(error));
    }
  }

  private volatile Map<String, Answer> answers = Map.of();

  void publish(Map<String, Answer> next) {
    answers = Map.copyOf(next);
  }

  @Override
  public Future<List<Sample>> query(String promql, Instant time) {
    Answer a = answers.get(promql);
    if (a == null) {
      return Future.failedFuture(new SourceException(SourceException.Kind.QUERY_ERROR,
          "derived metric not computed yet"));
    }
    if (a.error().isPresent()) {
      return Future.failedFuture(new SourceException(SourceException.Kind.UNREACHABLE,
          a.error().get()));
    }
    return Future.succeededFuture(a.samples());
  }

  @Override
  public Future<List<RangeSeries>> queryRange(String promql, Instant start, Instant end,
      Duration step) {
    return Future.failedFuture(new UnsupportedOperationException("derived metrics have no range"));
  }

  @Override
  public Future<Void> close() {
    return Future.succeededFuture();
  }
}
