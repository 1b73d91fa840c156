package io.meshcast.loadtest.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshcast.loadtest.Main;
import io.meshcast.loadtest.hpa.ControllerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The multi-service replay: flow through the call tree, the cascade, the CLI contract. */
final class MeshSimulationTest {

  @TempDir Path dir;

  /** 3 h per minute: flat, a 15-minute ramp to 6× held for an hour, then flat again. */
  private static Trace wave() {
    double[] v = new double[180];
    for (int m = 0; m < v.length; m++) {
      v[m] = m < 60 ? 1000 : m < 75 ? 1000 + (m - 60) * 5000 / 15.0 : m < 135 ? 6000 : 1000;
    }
    return new Trace("wave", Instant.parse("2020-01-01T00:00:00Z"), 60, v, 0);
  }

  private static ReplayConfig base() {
    return new ReplayConfig(1500, 100, 5, 90, 250, 5, 0.7, 2, 100, 1, 0, 15, 60, 15,
        ControllerConfig.defaults(), null);
  }

  private static double arrivals(Timeline tl, int fromMinute, int toMinute) {
    double sum = 0;
    for (int m = fromMinute; m < toMinute; m++) {
      sum += tl.arrivals[m];
    }
    return sum;
  }

  @Test
  void unsaturatedMesh_passesEveryRequestDownAtTheFanOut() {
    MeshConfig mesh = MeshConfig.defaults();
    Map<String, ReplayConfig> configs = MeshReplay.tierConfigs(mesh, base());
    Trace t = wave();
    Demand d = Demand.of(t, 1500, 1);
    MeshSimulation.Result r = MeshSimulation.run(d, mesh, configs,
        MeshPolicy.create("oracle", mesh, configs, d, t.start(), null, 0), t.start());
    double entry = arrivals(r.tiers().get("gateway"), 0, 180);
    assertThat(r.tiers().keySet())
        .containsExactly("gateway", "frontend", "catalog", "cart", "backend");
    // The oracle keeps every tier ahead of its demand, so calls pass on at the configured ratios
    // (up to the carried fraction of a call).
    assertThat(arrivals(r.tiers().get("frontend"), 0, 180) / entry).isCloseTo(1.0, within(1e-3));
    assertThat(arrivals(r.tiers().get("catalog"), 0, 180) / entry).isCloseTo(2.5, within(1e-3));
    assertThat(arrivals(r.tiers().get("cart"), 0, 180) / entry).isCloseTo(0.3, within(1e-3));
    assertThat(arrivals(r.tiers().get("backend"), 0, 180) / entry).isCloseTo(2.8, within(1e-3));
    assertThat(r.violationMinutes()).isZero();
  }

  @Test
  void saturatedCaller_holdsLoadBack_andItsCalleesSeeOnlyWhatItServes() {
    // The frontend is pinned at 4 pods (400 rps): during the wave its callees see its capacity
    // times the fan-out, not their demand.
    MeshConfig d0 = MeshConfig.defaults();
    List<MeshConfig.Tier> tiers = new java.util.ArrayList<>();
    for (MeshConfig.Tier t : d0.tiers()) {
      tiers.add(t.name().equals("frontend")
          ? new MeshConfig.Tier("frontend", t.capacityRps(), t.startupSeconds(), 4, 4) : t);
    }
    MeshConfig mesh = new MeshConfig(d0.entry(), tiers, d0.edges());
    Map<String, ReplayConfig> configs = MeshReplay.tierConfigs(mesh, base());
    Trace t = wave();
    Demand d = Demand.of(t, 1500, 1);
    MeshSimulation.Result r = MeshSimulation.run(d, mesh, configs,
        MeshPolicy.create("reactive", mesh, configs, d, t.start(), null, 0), t.start());
    Timeline gateway = r.tiers().get("gateway");
    Timeline frontend = r.tiers().get("frontend");
    Timeline backend = r.tiers().get("backend");
    double seconds = 50 * 60;
    assertThat(arrivals(gateway, 80, 130) / seconds).isCloseTo(1500, within(30.0));
    assertThat(arrivals(backend, 80, 130) / seconds).isCloseTo(2.8 * 400, within(5.0));
    // The frontend holds up to max-queue seconds of load and drops the rest...
    assertThat(frontend.droppedRequests()).isPositive();
    assertThat(frontend.sloViolationMinutes()).isGreaterThanOrEqualTo(50);
    // ...so the backend, which scaled on what it saw, has no violation during the wave.
    for (int m = 80; m < 130; m++) {
      assertThat(backend.violated(m)).as("backend minute %d", m).isFalse();
    }
    assertThat(r.anyTierViolationMinutes()).isLessThanOrEqualTo(r.violationMinutes());
  }

  @Test
  void reactiveMesh_violatesDownstreamDuringTheRamp_oracleDoesNot() {
    MeshConfig mesh = MeshConfig.defaults();
    Map<String, ReplayConfig> configs = MeshReplay.tierConfigs(mesh, base());
    Trace t = wave();
    Demand d = Demand.of(t, 1500, 1);
    MeshSimulation.Result reactive = MeshSimulation.run(d, mesh, configs,
        MeshPolicy.create("reactive", mesh, configs, d, t.start(), null, 0), t.start());
    assertThat(reactive.tiers().get("backend").sloViolationMinutes()).isPositive();
    assertThat(reactive.tiers().get("backend").droppedRequests()).isPositive();
  }

  @Test
  void meshCli_writesOneRowPerPolicy_withTiersTotalsAndGoals() throws Exception {
    Path csv = dir.resolve("wave.csv");
    StringBuilder b = new StringBuilder("timestamp,value\n");
    double[] v = wave().values();
    for (int m = 0; m < v.length; m++) {
      b.append(String.format("2020-01-01 %02d:%02d:00,%.0f%n", m / 60, m % 60, v[m]));
    }
    Files.writeString(csv, b);
    Path json = dir.resolve("mesh.json");
    Path md = dir.resolve("mesh.md");
    int code = new CommandLine(new Main()).execute("replay", "--mesh", "--trace", csv.toString(),
        "--peak-rps", "1500", "--warmup", "30m", "--json", json.toString(), "--markdown",
        md.toString());
    assertThat(code).isZero();
    JsonNode rows = new ObjectMapper().readTree(json.toFile());
    assertThat(rows).hasSize(4);
    List<String> policies = new java.util.ArrayList<>();
    for (JsonNode row : rows) {
      policies.add(row.get("policy").asText());
      assertThat(row.get("mode").asText()).isEqualTo("mesh");
      assertThat(row.get("tiers")).hasSize(5);
      int sum = 0;
      double hours = 0;
      for (JsonNode tier : row.get("tiers")) {
        sum += tier.get("slo_violation_minutes").asInt();
        hours += tier.get("replica_hours").asDouble();
      }
      assertThat(row.get("slo_violation_minutes").asInt()).isEqualTo(sum);
      assertThat(row.get("replica_hours").asDouble()).isCloseTo(hours, within(0.05));
      assertThat(row.get("goals").get("deepest_tier").asText()).isEqualTo("backend");
      assertThat(Files.size(dir.resolve(row.get("plot_peak_6h").asText()))).isPositive();
    }
    assertThat(policies).containsExactlyElementsOf(MeshPolicy.POLICIES);
    assertThat(rows.get(2).get("propagation").get("edges").get("frontend->catalog").asDouble())
        .isCloseTo(2.5, within(0.1));
    assertThat(rows.get(3).get("slo_violation_minutes").asInt())
        .isLessThanOrEqualTo(rows.get(0).get("slo_violation_minutes").asInt());
    assertThat(Files.readString(md)).contains("| wave | meshcast-propagation |");
  }

  @Test
  void meshFile_isValidated_withTheKeyAndFileNamed() throws Exception {
    Path ok = dir.resolve("ok.yaml");
    Files.writeString(ok, """
        entry: edge
        tiers:
          - {name: edge, capacityRps: 200, startup: 20}
          - {name: api, capacityRps: 80, startup: 60, maxReplicas: 40}
        edges:
          - {from: edge, to: api, ratio: 1.5}
        """);
    MeshConfig m = MeshConfig.read(ok);
    assertThat(m.gains()).containsEntry("api", 1.5);
    assertThat(m.tier("api").maxReplicas()).isEqualTo(40);
    Path typo = dir.resolve("typo.yaml");
    Files.writeString(typo, """
        entry: edge
        tiers:
          - {name: edge, capacity: 200}
        edges:
          - {from: edge, to: edge, ratio: 1}
        """);
    assertThatThrownBy(() -> MeshConfig.read(typo)).hasMessageContaining("typo.yaml")
        .hasMessageContaining("unknown key 'capacity'");
    assertThatThrownBy(() -> new MeshConfig("a",
        List.of(new MeshConfig.Tier("a", 10, 0, 1, 0), new MeshConfig.Tier("b", 10, 0, 1, 0),
            new MeshConfig.Tier("c", 10, 0, 1, 0)),
        List.of(new MeshConfig.Edge("a", "b", 1), new MeshConfig.Edge("b", "c", 1),
            new MeshConfig.Edge("c", "b", 1))))
        .hasMessageContaining("unreachable").hasMessageContaining("cycle");
    assertThatThrownBy(() -> new MeshConfig("a", List.of(new MeshConfig.Tier("a", 10, 0, 1, 0)),
        List.of(new MeshConfig.Edge("a", "x", 1)))).hasMessageContaining("unknown tier");
    // 5 workers at 10 rps: a 500 ms service time cannot meet the 250 ms SLO; the tier is named.
    MeshConfig slow = new MeshConfig("a", List.of(new MeshConfig.Tier("a", 10, 0, 1, 0)),
        List.of());
    assertThatThrownBy(() -> MeshReplay.tierConfigs(slow, base()))
        .hasMessageStartingWith("mesh tier 'a': slo-ms");
  }
}
