package io.meshcast.loadtest.eval;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshcast.forecast.BacktestResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keeps the evaluation pipeline exercised in CI on a small slice; the full run is a script. */
class ForecasterEvaluationSmokeTest {
  private static final Path DATA = Path.of("data");

  @Test
  void backtestOnTwoDaysOfNasa_reportsMeshcastAndBaselines() throws Exception {
    final BacktestResult r = BacktestSuite.run(DATA, BacktestSuite.quick(), 2_880);
    assertThat(r.rows()).extracting(BacktestResult.Row::method)
        .contains("meshcast", "naive", "ses-tuned");
    for (BacktestResult.Row row : r.rows()) {
      assertThat(row.n()).isGreaterThan(1_000);
      assertThat(row.mae()).isFinite();
      if (row.method().equals("meshcast")) {
        assertThat(row.coverage80()).isBetween(0.6, 0.95);
      }
    }
    final String md = BacktestSuite.markdown(BacktestSuite.quick(), r, 1);
    assertThat(md).contains("| **meshcast** | 30 | 30 |");
  }

  @Test
  void nabRun_writesNabLayoutWithScoresInUnitInterval(@TempDir Path out) throws Exception {
    final List<String> keys = NabRun.run(DATA.resolve("nab"), out, 1);
    assertThat(keys).hasSize(1);
    final List<String> lines = Files.readAllLines(out.resolve(keys.get(0)));
    final List<String> input = Files.readAllLines(DATA.resolve("nab").resolve(keys.get(0)));
    assertThat(lines).hasSameSizeAs(input);
    assertThat(lines.get(0)).isEqualTo("timestamp,value,anomaly_score");
    for (String line : lines.subList(1, lines.size())) {
      assertThat(Double.parseDouble(line.split(",")[2])).isBetween(0.0, 1.0);
    }
  }
}
