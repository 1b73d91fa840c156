package io.meshcast.loadtest.replay;

import io.meshcast.adapter.config.PredictConfig;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The {@code replay --mesh} run of {@link ReplayCommand}: every mesh policy on the call tree. */
final class MeshRun {

  private MeshRun() {}

  /** {@code --mesh}: every policy on the call tree, in parallel on {@code --c.threads}. */
  static int run(ReplayCommand c, Trace t, Demand demand, ReplayConfig cfg, long warm,
      java.util.function.LongFunction<PredictConfig> predictive) throws IOException {
    final PrintStream out = System.out;
    final MeshConfig meshCfg = c.meshConfig == null ? MeshConfig.defaults()
        : MeshConfig.read(c.meshConfig);
    final Map<String, ReplayConfig> configs = MeshReplay.tierConfigs(meshCfg, cfg);
    final List<String> names = c.spec.commandLine().getParseResult().hasMatchedOption("--c.policies")
        ? c.policies.stream().map(String::strip).toList() : MeshPolicy.POLICIES;
    final int window = c.meshcastRateWindow == null ? 0 : (int) c.meshcastRateWindow.toSeconds();
    out.printf(Locale.ROOT, "mesh replay of %s: %d intervals of %d s, %.1f h, entry %s at peak "
            + "%.0f rps, %d tiers, %d edges; warm-up %d s not scored%n", t.name(), t.size(),
        t.stepSeconds(), t.durationSeconds() / 3600.0, meshCfg.entry(), c.peakRps,
        meshCfg.tiers().size(), meshCfg.edges().size(), warm);
    final List<MeshPolicy> runs = new ArrayList<>();
    for (String name : names) {
      runs.add(MeshPolicy.create(name, meshCfg, configs, demand, t.start(), predictive, window));
    }
    final java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(Math.max(1, c.threads));
    final List<java.util.concurrent.Future<MeshSimulation.Result>> futures = new ArrayList<>();
    final List<Map<String, Object>> rows = new ArrayList<>();
    try {
      for (MeshPolicy p : runs) {
        futures.add(pool.submit(() -> MeshSimulation.run(demand, meshCfg, configs, p, t.start())));
      }
      final Path dir = c.plotDir != null ? c.plotDir : (c.json.toAbsolutePath().getParent() != null
          ? c.json.toAbsolutePath().getParent() : Path.of("."));
      Files.createDirectories(dir);
      for (int i = 0; i < runs.size(); i++) {
        final MeshSimulation.Result r = ReplayCommand.get(futures.get(i));
        final Map<String, Object> row = MeshReplay.row(r, t, meshCfg, configs);
        final MeshPolicy p = runs.get(i);
        final Map<String, Object> forecast = new LinkedHashMap<>();
        p.forecastPaths().forEach((tier, m) -> {
          Map<String, Object> f = new LinkedHashMap<>();
          f.put("forecast_served_share", Math.round(m.forecastShare() * 1000) / 1000.0);
          f.put("forecast_horizon_steps", m.leadSteps());
          f.put("forecast_rules", m.ruleCounts());
          forecast.put(tier, f);
        });
        if (!forecast.isEmpty()) {
          row.put("forecast", forecast);
        }
        if (!p.propagationReport().isEmpty()) {
          row.put("propagation", p.propagationReport());
        }
        if (!c.noPlots) {
          final Timeline entry = r.tiers().get(meshCfg.entry());
          final int[] zoom = Plot.peakWindow(entry, 6 * 60);
          final Path png = dir.resolve(t.name() + "_mesh_" + r.policy() + "_peak6h.png");
          MeshPlot.write(png, String.format(Locale.ROOT, "%s, mesh, %s: 6 h around the peak; "
                  + "total %d SLO-violation min, %.0f replica-h", t.name(), r.policy(),
              r.violationMinutes(), r.replicaHours()), r, configs, t.start(), zoom[0], zoom[1]);
          row.put("plot_peak_6h", png.getFileName().toString());
        }
        if (c.timelineDir != null) {
          Files.createDirectories(c.timelineDir);
          for (Map.Entry<String, Timeline> e : r.tiers().entrySet()) {
            e.getValue().writeCsv(c.timelineDir.resolve(t.name() + "_mesh_" + r.policy() + "_"
                + e.getKey() + ".csv"));
          }
        }
        rows.add(row);
        final StringBuilder perTier = new StringBuilder();
        r.tiers().forEach((tier, tl) -> perTier.append(String.format(Locale.ROOT, " %s %d/%.0f",
            tier, tl.sloViolationMinutes(), tl.replicaHours())));
        out.printf(Locale.ROOT, "  %-21s total SLO-violation min %6d (any tier %6d)  replica-h "
                + "%9.1f  tiers (min/replica-h):%s%n", r.policy(), r.violationMinutes(),
            r.anyTierViolationMinutes(), r.replicaHours(), perTier);
      }
    } finally {
      pool.shutdownNow();
    }
    MeshReplay.addRatiosAndGoals(rows, meshCfg);
    final ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    if (c.json.toAbsolutePath().getParent() != null) {
      Files.createDirectories(c.json.toAbsolutePath().getParent());
    }
    mapper.writeValue(c.json.toFile(), rows);
    if (c.markdown != null) {
      Files.writeString(c.markdown, MeshReplay.markdown(rows, meshCfg));
    }
    out.println("wrote " + c.json);
    return 0;
  }
}
