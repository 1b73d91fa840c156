package io.meshcast.adapter.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshcast.adapter.config.KumaConfig;
import io.meshcast.adapter.config.KumaConfig.RegimeSetting;
import io.meshcast.adapter.kuma.KumaQueries;
import io.meshcast.adapter.kuma.Regime;
import io.meshcast.adapter.config.PredictConfig;
import io.meshcast.adapter.source.MetricSource;
import io.meshcast.adapter.source.RangeSeries;
import io.meshcast.adapter.source.Sample;
import io.meshcast.adapter.source.SourceException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Bootstrap answers over the size limit are queried again in slices and joined (issue 14). */
final class BootstrapSplitTest {

  private static final Duration STEP = Duration.ofMinutes(1);
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** Answers at most {@code maxPoints} points per query, else fails as LimitedBody does. */
  private static final class SizeLimited implements MetricSource {
    final int maxPoints;
    final AtomicInteger queries = new AtomicInteger();

    SizeLimited(int maxPoints) {
      this.maxPoints = maxPoints;
    }

    @Override
    public Future<List<Sample>> query(String promql, Instant time) {
      return Future.succeededFuture(List.of());
    }

    @Override
    public Future<List<RangeSeries>> queryRange(String promql, Instant start, Instant end,
        Duration step) {
      queries.incrementAndGet();
      int n = (int) (Duration.between(start, end).toMillis() / step.toMillis()) + 1;
      if (n * 2 > maxPoints) { // two series per answer
        return Future.failedFuture(SourceException.tooLarge(maxPoints));
      }
      List<RangeSeries> out = new ArrayList<>();
      for (String svc : List.of("a", "b")) {
        long[] t = new long[n];
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
          t[i] = start.toEpochMilli() + i * step.toMillis();
          v[i] = t[i] / 60_000.0 % 1000;
        }
        out.add(new RangeSeries(Map.of("kuma_io_service", svc + "_shop_svc_80"), t, v));
      }
      return Future.succeededFuture(out);
    }

    @Override
    public Future<Void> close() {
      return Future.succeededFuture();
    }
  }

  @Test
  void tooLargeAnswers_areQueriedInSlices_andJoinedWithoutGapsOrDuplicates() throws Exception {
    KumaConfig kuma = new KumaConfig(RegimeSetting.LEGACY, Duration.ofMinutes(2),
        Optional.empty(), Optional.empty(), Optional.empty(), List.of("app"),
        PredictConfig.ALL_SIGNALS);
    List<MetricDefinition> defs = new KumaQueries(Regime.LEGACY, kuma).definitions().stream()
        .filter(d -> d.level() == Level.SERVICE && d.name().equals("kuma_rps")).toList();
    SizeLimited source = new SizeLimited(1000);
    Clock clock = Clock.fixed(Instant.parse("2026-01-05T08:00:00Z"), ZoneOffset.UTC);
    Refresher r = new Refresher(vertx, source, clock, () -> defs, 100,
        PipelineMetrics.unregistered(), new java.util.concurrent.atomic.AtomicReference<>(
            Snapshot.empty(clock.instant())), new SnapshotListeners());

    Map<String, List<SeriesHistory>> out = r.bootstrap(Duration.ofDays(2), STEP)
        .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);

    List<SeriesHistory> rps = out.get(defs.get(0).key());
    assertThat(rps).hasSize(2);
    for (SeriesHistory h : rps) {
      long[] t = h.history().timestampsMillis();
      assertThat(t).hasSize(2 * 1440 + 1);
      for (int i = 1; i < t.length; i++) {
        assertThat(t[i] - t[i - 1]).as("step at %d", i).isEqualTo(STEP.toMillis());
      }
      assertThat(t[t.length - 1]).isEqualTo(clock.millis());
    }
    // 2,881 points x 2 series > 1,000: 8 slices of <= 361 points, plus the refused attempts.
    assertThat(source.queries.get()).isEqualTo(1 + 2 + 4 + 8);
  }

  @Test
  void joined_keepsSeriesSeenInOneSliceOnly() {
    RangeSeries a = new RangeSeries(Map.of("s", "a"), new long[] {1, 2}, new double[] {1, 2});
    RangeSeries b = new RangeSeries(Map.of("s", "a"), new long[] {3}, new double[] {3});
    RangeSeries c = new RangeSeries(Map.of("s", "c"), new long[] {3}, new double[] {9});
    List<RangeSeries> j = RangeSeries.joined(List.of(a), List.of(b, c));
    assertThat(j).hasSize(2);
    assertThat(j.get(0).timestampsMillis()).containsExactly(1, 2, 3);
    assertThat(j.get(0).values()).containsExactly(1, 2, 3);
    assertThat(j.get(1).labels()).containsEntry("s", "c");
  }
}
