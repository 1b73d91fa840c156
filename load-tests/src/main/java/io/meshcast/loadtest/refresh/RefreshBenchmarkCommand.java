package io.meshcast.loadtest.refresh;

import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code meshcast-load-tests refresh}: the Prometheus refresh benchmark. */
@Command(name = "refresh", mixinStandardHelpOptions = true,
    description = "Queries per refresh vs HPAs/pods/series, refresh cost and heap for 1k/10k"
        + " series (against an in-process PromQL endpoint on 127.0.0.1)")
public final class RefreshBenchmarkCommand implements Callable<Integer> {

  @Option(names = "--refreshes", defaultValue = "10", description = "Measured refreshes per row")
  int refreshes;

  @Option(names = "--pods", split = ",", defaultValue = "10,100,1000",
      description = "Pod counts for the query-count table")
  int[] pods;

  @Option(names = "--hpas", split = ",", defaultValue = "1,100,1000",
      description = "HPA counts for the query-count table")
  int[] hpas;

  @Option(names = "--series", split = ",", defaultValue = "10,150,1500,10000",
      description = "Pod series per query for the cost table; the first is the baseline")
  int[] series;

  @Option(names = "--history-points", defaultValue = "240",
      description = "refresh.historyPoints; histories are filled to this before timing")
  int historyPoints;

  @Option(names = "--out", description = "Also write the markdown tables here")
  Path out;

  @Override
  public Integer call() throws Exception {
    Vertx vertx = Vertx.vertx();
    Path dir = Files.createTempDirectory("meshcast-refresh-bench");
    try {
      String md = RefreshBenchmark.runAll(vertx, dir, refreshes, pods, hpas, series, historyPoints);
      System.out.println(md);
      if (out != null) {
        Files.writeString(out, md);
      }
      return 0;
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }
}
