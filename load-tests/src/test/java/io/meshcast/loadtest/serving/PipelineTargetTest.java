package io.meshcast.loadtest.serving;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipeline target of the serving benchmark: the real serve composition over {@link
 * MeshPrometheus} answers every request kind of the mix with the forecasts, bootstraps only the
 * Services' history and shares it with the pods (issue 14).
 */
final class PipelineTargetTest {

  @Test
  @Timeout(600) // a hang guard only
  void smallMesh_servesTheForecastMix_withServiceModelsOnly(@TempDir Path dir) throws Exception {
    PipelineMesh mesh = PipelineMesh.of(1000, 20);
    try (PipelineTarget t = PipelineTarget.start(mesh, Duration.ofSeconds(5), 400, false, 20,
        dir, Duration.ofMinutes(5))) {
      List<String> mix = RequestMix.paths(mesh.services(), 32, 11, "_forecast");
      try (LoadGenerator gen = new LoadGenerator(t.port(), 2)) {
        for (String path : mix) {
          LoadGenerator.Response r = gen.get(path).toCompletionStage().toCompletableFuture()
              .get(60, java.util.concurrent.TimeUnit.SECONDS);
          assertThat(r.status()).as("%s: %s", path, r.body()).isEqualTo(200);
          assertThat(r.body().toString()).as(path).doesNotContain("\"items\":[]");
        }
      }
      String stats = t.stats();
      // 7 Service-level signals (kuma_demand_rps has no pod level), 6 per pod shared.
      assertThat(stats).contains("models=" + 7 * mesh.services().size() + " ")
          .contains("sharedPodSeries=" + 6 * mesh.pods() + " ")
          .contains("promPodRangeQueries=0");
    }
  }
}
