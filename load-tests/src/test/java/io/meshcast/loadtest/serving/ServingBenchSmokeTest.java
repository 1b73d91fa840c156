package io.meshcast.loadtest.serving;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * CI smoke run of the serving benchmark and of its soak mode: real target JVMs (adapter with the
 * auth filter, bare Vert.x baseline) over HTTPS on 127.0.0.1, a few seconds each at 1k series.
 * Checks the harness produces sane numbers, not the performance targets (those live in
 * RESULTS.md; a loaded CI machine must not fail the build on speed).
 */
final class ServingBenchSmokeTest {

  private static final List<String> JVM = List.of("-Xmx256m", "-XX:+UseG1GC");

  @Test
  @Timeout(600) // a hang guard only
  void oneRoundOn1kSeries_measuresBothTargetsWithoutErrors(@TempDir Path out) throws Exception {
    ServingBench.Config c = new ServingBench.Config(List.of(1000), 1, 200, Duration.ofSeconds(1),
        Duration.ofSeconds(2), Duration.ofSeconds(60), 4, 8, "java", 1, 64, JVM, false, out);
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    ServingBench.Outcome o =
        new ServingBench(c, new PrintStream(log, true, StandardCharsets.UTF_8)).run();
    BenchReport.write(c, o, out);

    assertThat(o.summaries()).extracting(ServingBench.Summary::target)
        .containsExactly(ServingBench.ADAPTER, ServingBench.BARE);
    for (ServingBench.Summary s : o.summaries()) {
      assertThat(s.fixedErrors()).as("fixed-rate errors of %s", s.target()).isZero();
      assertThat(s.maxErrors()).as("max-throughput errors of %s", s.target()).isZero();
      // Speed is reported (RESULTS.md), never asserted: a loaded CI machine may not keep up with
      // 200 req/s, and that says nothing about the harness. Every request was answered (above).
      assertThat(s.achievedRps()).as("%s achieved rate", s.target()).isPositive();
      assertThat(s.maxRps()).isPositive();
      assertThat(s.p50Ms()).isPositive().isLessThanOrEqualTo(s.p99Ms());
      assertThat(s.p99Ms()).isLessThanOrEqualTo(s.p999Ms());
      assertThat(s.rssMiB()).isGreaterThan(s.heapMiB()).isPositive();
      assertThat(s.bodyBytes()).isGreaterThan(100);
    }
    String md = Files.readString(out.resolve("results.md"));
    assertThat(md).contains("| 1,000 | adapter |").contains("| 1,000 | bare |")
        .containsPattern("\\| 1,000 \\| [0-9]+\\.[0-9]{2} ");
    assertThat(out.resolve("throughput.svg")).content().contains("<polyline");
    assertThat(Files.readAllLines(out.resolve("results.csv"))).hasSize(3);
  }

  @Test
  @Timeout(300) // a hang guard only
  void shortSoak_samplesHeapAndRssAndFitsSlopes(@TempDir Path out) throws Exception {
    Soak.Config c = new Soak.Config(1000, 100, Duration.ofSeconds(3), Duration.ofSeconds(1),
        Duration.ofSeconds(1), 4, JVM, out);
    Soak.Outcome o = Soak.run(c, new PrintStream(new ByteArrayOutputStream(), true,
        StandardCharsets.UTF_8));
    BenchReport.writeSoak(c, o, out);

    assertThat(o.samples()).hasSize(3);
    assertThat(o.samples()).allSatisfy(s -> {
      assertThat(s.window().errors()).isZero();
      assertThat(s.memory().rssBytes()).isPositive();
      assertThat(s.memory().heapAfterGcBytes()).isPositive();
    });
    assertThat(o.heapSlopeMiBPerHour()).isFinite();
    assertThat(o.rssSlopeMiBPerHour()).isFinite();
    assertThat(out.resolve("soak.md")).content().contains("heap-after-GC slope");
  }
}
