package io.meshcast.adapter.demo;

import io.meshcast.adapter.demo.DemoTraffic.Service;
import io.meshcast.adapter.kuma.GoldenSignal;
import io.meshcast.adapter.pipeline.Level;
import io.meshcast.adapter.pipeline.MetricDefinition;
import io.meshcast.adapter.source.MetricSource;
import io.meshcast.adapter.source.RangeSeries;
import io.meshcast.adapter.source.Sample;
import io.meshcast.adapter.source.SourceException;
import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link MetricSource} that answers the Kuma golden-signal queries (legacy regime labels) from
 * {@link DemoTraffic} instead of Prometheus, so the demo runs the real refresh, policies,
 * providers, forecasting and debug page. Wall time maps to trace time as {@code minute = origin +
 * (t - start) / secondsPerTraceMinute}. Pure computation; thread-safe.
 */
final class DemoSource implements MetricSource {

  private record Query(GoldenSignal signal, Level level) {}

  private final DemoTraffic traffic;
  private final Map<String, Query> queries = new HashMap<>();
  private final long startMillis;
  private final double originMinute;
  private final double millisPerMinute;

  DemoSource(DemoTraffic traffic, List<MetricDefinition> definitions, Instant start,
      double originMinute, Duration perTraceMinute) {
    this.traffic = traffic;
    this.startMillis = start.toEpochMilli();
    this.originMinute = originMinute;
    this.millisPerMinute = perTraceMinute.toMillis();
    for (MetricDefinition d : definitions) {
      GoldenSignal.byName(d.name()).ifPresent(s -> queries.put(d.promql(), new Query(s, d.level())));
    }
  }

  /** Trace minute shown at wall time {@code t}. */
  double minuteAt(long epochMillis) {
    return originMinute + (epochMillis - startMillis) / millisPerMinute;
  }

  @Override
  public Future<List<Sample>> query(String promql, Instant time) {
    Query q = queries.get(promql);
    if (q == null) {
      return Future.failedFuture(new SourceException(SourceException.Kind.QUERY_ERROR,
          "the demo source only answers the built-in golden-signal queries"));
    }
    double m = minuteAt(time.toEpochMilli());
    List<Sample> out = new ArrayList<>();
    for (Service s : DemoTraffic.SERVICES) {
      if (q.level() == Level.SERVICE) {
        out.add(new Sample(serviceLabels(s), time, traffic.value(q.signal(), s, -1, m)));
      } else {
        for (int p = 0; p < s.pods(); p++) {
          out.add(new Sample(podLabels(s, p), time, traffic.value(q.signal(), s, p, m)));
        }
      }
    }
    return Future.succeededFuture(out);
  }

  @Override
  public Future<List<RangeSeries>> queryRange(String promql, Instant start, Instant end,
      Duration step) {
    Query q = queries.get(promql);
    if (q == null) {
      return Future.failedFuture(new SourceException(SourceException.Kind.QUERY_ERROR,
          "the demo source only answers the built-in golden-signal queries"));
    }
    int n = (int) ((end.toEpochMilli() - start.toEpochMilli()) / step.toMillis()) + 1;
    long[] ts = new long[n];
    for (int i = 0; i < n; i++) {
      ts[i] = start.toEpochMilli() + i * step.toMillis();
    }
    List<RangeSeries> out = new ArrayList<>();
    for (Service s : DemoTraffic.SERVICES) {
      for (int p = q.level() == Level.SERVICE ? -1 : 0;
          p < (q.level() == Level.SERVICE ? 0 : s.pods()); p++) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
          v[i] = traffic.value(q.signal(), s, p, minuteAt(ts[i]));
        }
        out.add(new RangeSeries(p < 0 ? serviceLabels(s) : podLabels(s, p), ts, v));
      }
    }
    return Future.succeededFuture(out);
  }

  @Override
  public Future<Void> close() {
    return Future.succeededFuture();
  }

  private static Map<String, String> serviceLabels(Service s) {
    return Map.of("kuma_io_service", s.kumaService());
  }

  private static Map<String, String> podLabels(Service s, int p) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("kuma_io_service", s.kumaService());
    m.put("namespace", DemoMesh.NAMESPACE);
    m.put("pod", s.pod(p));
    m.put("app", s.name());
    return m;
  }
}
