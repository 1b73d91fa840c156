package io.meshcast.loadtest.replay;

import io.meshcast.adapter.config.PredictConfig;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code replay --frontier} sweep of {@link ReplayCommand}: reactive over HPA targets and
 * meshcast over {@code forecast.risk}; every run is independent, so they run in parallel.
 */
final class FrontierRun {

  private FrontierRun() {}

  private static ReplayConfig withTarget(ReplayConfig c, double target) {
    return new ReplayConfig(c.peakRps(), c.capacityRps(), c.workersPerPod(), c.startupSeconds(),
        c.sloMillis(), c.maxQueueSeconds(), target, c.minReplicas(), c.maxReplicas(), c.seed(),
        c.warmupSeconds(), c.scrapeInterval(), c.rateWindow(), c.refreshInterval(),
        c.controller(), c.behavior());
  }

  /** The sweep of {@code --frontier}: every run is independent, so they run in parallel. */
  static int run(ReplayCommand cmd, Trace t, Demand demand, ReplayConfig cfg, long warm)
      throws IOException {
    final long leadSeconds = cmd.lead == null ? cfg.leadSeconds() : cmd.lead.toSeconds();
    final int window = cmd.meshcastRateWindow == null ? 0 : (int) cmd.meshcastRateWindow.toSeconds();
    final java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(Math.max(1, cmd.threads));
    final List<java.util.concurrent.Future<Frontier.Point>> reactive = new ArrayList<>();
    final List<java.util.concurrent.Future<Frontier.Point>> meshcast = new ArrayList<>();
    try {
      for (double target : cmd.frontierTargets) {
        final ReplayConfig c = withTarget(cfg, target);
        reactive.add(pool.submit(() -> {
          final Timeline tl = Simulation.run(demand, c, new ReactivePolicy(), t.start());
          return new Frontier.Point("reactive", "target_utilization", target,
              tl.replicaHours(), tl.sloViolationMinutes());
        }));
      }
      for (double r : cmd.frontierRisks) {
        PredictConfig pc = MeshcastPolicy.defaults(leadSeconds).withRules(cmd.surge, cmd.trendBound);
        if (cmd.forecastStep != null) {
          pc = pc.withStep(cmd.forecastStep);
        }
        final PredictConfig config = pc.withRisk(java.util.OptionalDouble.of(r));
        meshcast.add(pool.submit(() -> {
          final Timeline tl = Simulation.run(demand, cfg,
              new MeshcastPolicy(config, cfg.refreshInterval(), window > 0 ? window
                  : cfg.rateWindow(), t.start()), t.start());
          return new Frontier.Point("meshcast-predictive", "risk", r, tl.replicaHours(),
              tl.sloViolationMinutes());
        }));
      }
      final List<Frontier.Point> rp = collect(reactive);
      final List<Frontier.Point> mp = collect(meshcast);
      final Map<String, Object> out = Frontier.json(t.name(), rp, mp);
      final Path dir = cmd.plotDir != null ? cmd.plotDir : (cmd.json.toAbsolutePath().getParent() != null
          ? cmd.json.toAbsolutePath().getParent() : Path.of("."));
      Files.createDirectories(dir);
      if (!cmd.noPlots) {
        final Path png = dir.resolve(t.name() + "_frontier.png");
        Frontier.plot(png, t.name() + ": SLO-violation minutes vs replica-hours", rp, mp);
        out.put("plot", png.getFileName().toString());
      }
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(cmd.json.toFile(), out);
      for (Object row : (List<?>) out.get("meshcast")) {
        System.out.println("  " + row);
      }
      System.out.println("wrote " + cmd.json);
      return 0;
    } finally {
      pool.shutdownNow();
    }
  }

  private static List<Frontier.Point> collect(
      List<java.util.concurrent.Future<Frontier.Point>> futures) {
    final List<Frontier.Point> out = new ArrayList<>();
    for (java.util.concurrent.Future<Frontier.Point> f : futures) {
      try {
        out.add(f.get());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("frontier interrupted", e);
      } catch (java.util.concurrent.ExecutionException e) {
        throw new IllegalStateException("a frontier run failed: " + e.getCause(), e.getCause());
      }
    }
    return out;
  }
}
