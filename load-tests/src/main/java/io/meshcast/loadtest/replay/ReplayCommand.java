package io.meshcast.loadtest.replay;

import io.meshcast.adapter.cli.DurationConverter;
import io.meshcast.adapter.config.PredictConfig;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.meshcast.loadtest.hpa.ControllerConfig;
import io.meshcast.loadtest.hpa.HpaSpec;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code replay}: closed-loop autoscaling replay of a request trace under several autoscaling
 * policies and one Kubernetes HPA; writes a JSON summary (one object per policy) and one PNG per
 * policy. The option names are a stable interface (scripts depend on them).
 */
@Command(
    name = "replay",
    mixinStandardHelpOptions = true,
    description = "Closed-loop autoscaling replay of a request trace: reactive vs meshcast "
        + "predictive vs PHPA vs oracle, through the Kubernetes HPA algorithm.")
public final class ReplayCommand implements Callable<Integer> {

  @Option(names = "--trace", required = true, description = "CSV with 'timestamp,value' rows "
      + "(requests per interval)")
  Path trace;

  @Option(names = "--json", required = true, description = "output JSON file")
  Path json;

  @Option(names = "--plot-dir", description = "where the PNGs go (default: the JSON's directory)")
  Path plotDir;

  @Option(names = "--peak-rps", defaultValue = "2000",
      description = "the trace's busiest interval runs at this rate (default ${DEFAULT-VALUE})")
  double peakRps;

  @Option(names = "--capacity-rps", defaultValue = "100",
      description = "requests/s one pod serves at 100 %% utilisation (default ${DEFAULT-VALUE})")
  double capacityRps;

  @Option(names = "--workers-per-pod", defaultValue = "5",
      description = "concurrent workers per pod; service time = workers / capacity "
          + "(default ${DEFAULT-VALUE})")
  int workersPerPod;

  @Option(names = "--startup", defaultValue = "90s", converter = DurationConverter.class,
      description = "pod start-up delay before Ready (default ${DEFAULT-VALUE})")
  Duration startup;

  @Option(names = "--slo-ms", defaultValue = "250",
      description = "p99 latency objective in ms (default ${DEFAULT-VALUE})")
  double sloMs;

  @Option(names = "--max-queue", defaultValue = "5s", converter = DurationConverter.class,
      description = "requests that would wait longer are dropped (default ${DEFAULT-VALUE})")
  Duration maxQueue;

  @Option(names = "--target-utilization", defaultValue = "0.7",
      description = "HPA target per pod as a fraction of capacity (default ${DEFAULT-VALUE})")
  double targetUtilization;

  @Option(names = "--min-replicas", defaultValue = "2", description = "(default ${DEFAULT-VALUE})")
  int minReplicas;

  @Option(names = "--max-replicas", defaultValue = "100", description = "(default ${DEFAULT-VALUE})")
  int maxReplicas;

  @Option(names = "--hpa-behavior", defaultValue = "none",
      description = "the HPA's spec.behavior: 'none' (legacy normalisation, the default) or "
          + "'defaults' (behavior present, every field defaulted by the API server)")
  String hpaBehavior;

  @Option(names = "--seed", defaultValue = "1", description = "Poisson arrivals seed")
  long seed;

  @Option(names = "--warmup", converter = DurationConverter.class,
      description = "simulated but not scored; default 1d, or 0 when the replayed part is "
          + "shorter than 2 days")
  Duration warmup;

  @Option(names = "--start", defaultValue = "0s", converter = DurationConverter.class,
      description = "replay from this offset into the trace (default ${DEFAULT-VALUE})")
  Duration start;

  @Option(names = "--duration", converter = DurationConverter.class,
      description = "replay only this much of the trace (default: all of it)")
  Duration duration;

  @Option(names = "--policies", split = ",",
      defaultValue = "reactive,meshcast-predictive,phpa,oracle",
      description = "comma-separated subset of ${DEFAULT-VALUE}")
  List<String> policies;

  @Option(names = "--forecast-quantile", description = "meshcast-predictive serves this quantile"
      + " of the forecast distribution (same as --risk 1-q; sensitivity runs)")
  Double forecastQuantile;

  @Option(names = "--risk", description = "meshcast-predictive's forecast.risk: accepted "
      + "probability that demand over the lead exceeds the served value (default: the adapter's)")
  Double risk;

  @Option(names = "--timeline-dir", description = "also write per-minute CSVs (demand, pods, "
      + "late and dropped requests) per policy here, for analysis")
  Path timelineDir;

  @Option(names = "--lead", converter = DurationConverter.class, description = "how far ahead "
      + "meshcast-predictive looks (sensitivity runs; default: start-up + sync + scrape)")
  Duration lead;

  @Option(names = "--forecast-horizon", hidden = true, description = "no longer supported: the "
      + "horizon is the lead in model steps, as in the adapter")
  Integer forecastHorizon;

  @Option(names = "--forecast-step", converter = DurationConverter.class, description = "the "
      + "adapter's forecast.step (sensitivity runs; default: the refresh interval, 15 s)")
  Duration forecastStep;

  @Option(names = "--meshcast-rate-window", converter = DurationConverter.class,
      description = "the rate() range meshcast's adapter queries (kuma.rateWindow; default: the "
          + "replay's 1m, as reactive)")
  Duration meshcastRateWindow;

  @Option(names = "--surge", negatable = true, defaultValue = "false", fallbackValue = "true",
      description = "meshcast-predictive's forecast.surge (default ${DEFAULT-VALUE})")
  boolean surge;

  @Option(names = "--trend-bound", negatable = true, defaultValue = "true",
      fallbackValue = "true",
      description = "meshcast-predictive's forecast.trendBound (default ${DEFAULT-VALUE})")
  boolean trendBound;

  @Option(names = "--frontier", description = "instead of one run per policy: sweep reactive's "
      + "target (--frontier-targets) and meshcast's forecast.risk (--frontier-risks), write the "
      + "frontier JSON to --json and its PNG beside it")
  boolean frontier;

  @Option(names = "--frontier-targets", split = ",",
      defaultValue = "0.5,0.55,0.6,0.65,0.7,0.75,0.8",
      description = "reactive target utilisations of the frontier (default ${DEFAULT-VALUE})")
  List<Double> frontierTargets;

  @Option(names = "--frontier-risks", split = ",", defaultValue = "0.5,0.4,0.3,0.2,0.1",
      description = "meshcast forecast.risk values of the frontier (default ${DEFAULT-VALUE})")
  List<Double> frontierRisks;

  @Option(names = "--threads", defaultValue = "2",
      description = "frontier runs (or --mesh policies) in parallel (default ${DEFAULT-VALUE})")
  int threads;

  @Option(names = "--mesh", description = "multi-service replay: the trace drives the entry of "
      + "a call tree (default: gateway -> frontend -> {catalog, cart} -> backend), each tier with "
      + "its own HPA; policies reactive, meshcast-predictive, meshcast-propagation, oracle")
  boolean mesh;

  @Option(names = "--mesh-config", description = "the call tree for --mesh as a YAML/JSON file "
      + "(entry, tiers, edges; see load-tests/README); implies --mesh")
  Path meshConfig;

  @Option(names = "--no-plots", description = "skip the PNGs")
  boolean noPlots;

  @Option(names = "--markdown", description = "also write the results as a Markdown table here")
  Path markdown;

  /** Held so the level set in {@link #run()} is not lost to JUL's weak references. */
  private static final java.util.logging.Logger PREDICT_LOG =
      java.util.logging.Logger.getLogger("io.meshcast.adapter.predict");

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    try {
      return run();
    } catch (java.nio.file.NoSuchFileException e) {
      spec.commandLine().getErr().println("replay: file not found: " + e.getFile());
      return 2;
    } catch (IllegalArgumentException | IOException e) {
      // bad input: one clear line naming the problem, no stack trace
      spec.commandLine().getErr().println("replay: " + e.getMessage());
      return 2;
    }
  }

  private int run() throws IOException {
    // The forecast path logs changes of its fallback picture; in a replay they are the report.
    PREDICT_LOG.setLevel(java.util.logging.Level.WARNING);
    final PrintStream out = System.out;
    Trace t = Trace.read(trace);
    t = slice(t);
    final long seconds = t.durationSeconds();
    final long warm = warmup != null ? warmup.toSeconds()
        : (seconds < Duration.ofDays(2).toSeconds() ? 0 : Duration.ofDays(1).toSeconds());
    if (warm >= seconds) {
      throw new IllegalArgumentException("warm-up " + warm + " s leaves nothing of the "
          + seconds + " s replay to score");
    }
    final ReplayConfig cfg = new ReplayConfig(peakRps, capacityRps, workersPerPod,
        startup.toSeconds(), sloMs, maxQueue.toMillis() / 1000.0, targetUtilization, minReplicas,
        maxReplicas, seed, warm, 15, 60, 15, ControllerConfig.defaults(),
        switch (hpaBehavior) {
          case "none" -> null;
          case "defaults" -> new HpaSpec.Behavior(null, null);
          default -> throw new IllegalArgumentException(
              "--hpa-behavior must be 'none' or 'defaults', got '" + hpaBehavior + "'");
        });
    final Demand demand = Demand.of(t, peakRps, seed);
    if (frontier) {
      if (mesh || meshConfig != null) {
        throw new IllegalArgumentException("--frontier and --mesh cannot be combined");
      }
      return FrontierRun.run(this, t, demand, cfg, warm);
    }
    final long leadSeconds = lead == null ? cfg.leadSeconds() : lead.toSeconds();
    if (forecastHorizon != null) {
      throw new IllegalArgumentException("--forecast-horizon is no longer supported: the "
          + "forecaster's horizon is the lead in model steps, as in the adapter (use --lead)");
    }
    if (forecastQuantile != null && risk != null) {
      throw new IllegalArgumentException("give --risk or --forecast-quantile, not both");
    }
    PredictConfig predictive = MeshcastPolicy.defaults(leadSeconds)
        .withRules(surge, trendBound);
    if (forecastStep != null) {
      predictive = predictive.withStep(forecastStep);
    }
    if (risk != null || forecastQuantile != null) {
      predictive = predictive.withRisk(java.util.OptionalDouble.of(
          risk != null ? risk : 1 - forecastQuantile));
    }
    if (mesh || meshConfig != null) {
      final PredictConfig base = predictive;
      // --lead, when given, replaces the mesh-wide lead (MeshPolicy) for every tier.
      return MeshRun.run(this, t, demand, cfg, warm, meshLead -> base.withLead(
          Duration.ofSeconds(lead == null ? meshLead : lead.toSeconds())));
    }
    out.printf(Locale.ROOT, "trace %s: %d intervals of %d s (%d filled gaps), %.1f h; peak %.0f"
            + " rps (scale %.3f rps per count/s); warm-up %d s not scored%n",
        t.name(), t.size(), t.stepSeconds(), t.filledIntervals(), seconds / 3600.0, peakRps,
        demand.scale, warm);
    final Path dir = plotDir != null ? plotDir
        : (json.toAbsolutePath().getParent() != null ? json.toAbsolutePath().getParent() : Path.of("."));
    Files.createDirectories(dir);
    final List<Map<String, Object>> rows = new ArrayList<>();
    for (String name : policies) {
      final AutoscalingPolicy policy = Replay.policy(name.strip(), demand, cfg, t.start(),
          new Replay.Meshcast(predictive,
              meshcastRateWindow == null ? 0 : (int) meshcastRateWindow.toSeconds()));
      final long began = System.nanoTime();
      final Timeline tl = Simulation.run(demand, cfg, policy, t.start());
      final Map<String, Object> row = Replay.summary(policy.name(), t, cfg, tl);
      if (!noPlots) {
        final Path png = dir.resolve(t.name() + "_" + policy.name() + ".png");
        Plot.write(png, String.format(Locale.ROOT,
            "%s — %s: %d SLO-violation min, %.0f replica-h, %d scale events", t.name(),
            policy.name(), tl.sloViolationMinutes(), tl.replicaHours(), tl.scaleEvents), tl,
            capacityRps, t.start());
        row.put("plot", png.getFileName().toString());
        final int[] zoom = Plot.peakWindow(tl, 12 * 60);
        final Path zoomPng = dir.resolve(t.name() + "_" + policy.name() + "_peak12h.png");
        Plot.write(zoomPng, String.format(Locale.ROOT, "%s — %s, 12 h around the peak", t.name(),
            policy.name()), tl, capacityRps, t.start(), zoom[0], zoom[1]);
        row.put("plot_peak_12h", zoomPng.getFileName().toString());
      }
      if (timelineDir != null) {
        Files.createDirectories(timelineDir);
        tl.writeCsv(timelineDir.resolve(t.name() + "_" + policy.name() + ".csv"));
      }
      rows.add(row);
      out.printf(Locale.ROOT, "  %-20s SLO-violation min %6d  dropped %10d  replica-h %9.1f  "
              + "scale events %5d  (%.1f s)%n", policy.name(), tl.sloViolationMinutes(),
          tl.droppedRequests(), tl.replicaHours(), tl.scaleEvents,
          (System.nanoTime() - began) / 1e9);
      if (policy instanceof MeshcastPolicy p) {
        out.println("    " + p.describe());
        row.put("forecast_served_share", Math.round(p.forecastShare() * 1000) / 1000.0);
        row.put("forecast_lead_seconds", leadSeconds);
        row.put("forecast_horizon_steps", p.leadSteps());
        row.put("forecast_quantile", Double.isNaN(predictive.servedQuantile()) ? "mean"
            : predictive.servedQuantile());
        row.put("forecast_rules", p.ruleCounts());
        row.put("forecast_surge", predictive.surge());
        row.put("forecast_trend_bound", predictive.trendBound());
        row.put("signal", MeshcastPolicy.SIGNAL);
      }
    }
    Replay.addRatios(rows);
    final ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    if (json.toAbsolutePath().getParent() != null) {
      Files.createDirectories(json.toAbsolutePath().getParent());
    }
    mapper.writeValue(json.toFile(), rows);
    if (markdown != null) {
      Files.writeString(markdown, Replay.markdown(rows));
    }
    out.println("wrote " + json);
    return 0;
  }

  static <T> T get(java.util.concurrent.Future<T> f) {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("replay interrupted", e);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof IllegalArgumentException iae) {
        throw iae;
      }
      throw new IllegalStateException("a replay run failed: " + e.getCause(), e.getCause());
    }
  }

  private Trace slice(Trace t) {
    final long step = t.stepSeconds();
    if (start.toSeconds() % step != 0 || (duration != null && duration.toSeconds() % step != 0)) {
      throw new IllegalArgumentException("--start and --duration must be multiples of the trace"
          + " step (" + step + " s)");
    }
    final int from = (int) (start.toSeconds() / step);
    final int count = duration == null ? t.size() - from : (int) (duration.toSeconds() / step);
    if (from == 0 && count == t.size()) {
      return t;
    }
    return t.slice(from, count);
  }

  /** Keeps LinkedHashMap ordering for readable JSON. */
  static Map<String, Object> row() {
    return new LinkedHashMap<>();
  }
}
