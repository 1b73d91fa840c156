package io.meshcast.loadtest.replay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshcast.loadtest.Main;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The CLI end to end on a short slice of the NASA trace: JSON contract, plots, sanity. */
final class ReplaySmokeTest {

  @TempDir Path out;

  @Test
  void replayCommand_onSixHoursOfNasa_writesTheJsonContractAndPlots() throws Exception {
    Path json = out.resolve("smoke.json");
    int code = new CommandLine(new Main()).execute("replay",
        "--trace", "data/traces/nasa_http_jul1995_per_min.csv",
        "--start", "1d", "--duration", "8h", "--warmup", "2h",
        "--peak-rps", "3000", "--json", json.toString());
    assertThat(code).isZero();
    JsonNode root = new ObjectMapper().readTree(json.toFile());
    assertThat(root.isArray()).isTrue();
    Map<String, JsonNode> byPolicy = new HashMap<>();
    for (JsonNode row : root) {
      for (String key : new String[] {"policy", "slo_violation_minutes", "dropped_requests",
          "replica_hours", "scale_events"}) {
        assertThat(row.has(key)).as("key %s in %s", key, row).isTrue();
      }
      byPolicy.put(row.get("policy").asText(), row);
      assertThat(Files.size(out.resolve(row.get("plot").asText()))).isPositive();
    }
    assertThat(byPolicy.keySet()).containsAll(Replay.POLICIES);
    JsonNode reactive = byPolicy.get("reactive");
    JsonNode oracle = byPolicy.get("oracle");
    assertThat(reactive.get("scored_minutes").asInt()).isEqualTo(6 * 60);
    assertThat(oracle.get("slo_violation_minutes").asInt())
        .isLessThanOrEqualTo(reactive.get("slo_violation_minutes").asInt());
    assertThat(reactive.get("replica_hours").asDouble()).isPositive();
  }

  @Test
  void badTrace_failsWithAClearMessage() throws Exception {
    Path csv = out.resolve("bad.csv");
    Files.writeString(csv, "timestamp,value\n2020-01-01 00:00:00,abc\n");
    CommandLine cl = new CommandLine(new Main());
    java.io.StringWriter err = new java.io.StringWriter();
    cl.setErr(new java.io.PrintWriter(err));
    int code = cl.execute("replay", "--trace", csv.toString(), "--json",
        out.resolve("x.json").toString());
    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("line 2").contains("'abc'");
  }
}
