package io.meshcast.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The package graph of the main sources of every module (forecaster, adapter, load-tests) has no
 * cycle, no package uses another module's {@code internal} packages (the forecaster's internals
 * stay behind its public API) and no main source file is over 400 lines: all checked by {@code
 * scripts/SourceStructure.java}, whose output names the cycle (with the files making each edge)
 * or the file. It runs here, in the last module of the build, once for all three.
 */
final class SourceStructureTest {

  @Test
  void mainSources_haveNoPackageCycle_andNoFileOver400Lines() throws Exception {
    Path repo = Path.of("").toAbsolutePath();
    while (!Files.exists(repo.resolve("scripts/SourceStructure.java"))) {
      repo = repo.getParent();
      assertThat(repo).as("scripts/SourceStructure.java above the module").isNotNull();
    }
    final Process p = new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            repo.resolve("scripts/SourceStructure.java").toString(),
            "--max-lines", "400", repo.resolve("forecaster/src/main/java").toString(),
            repo.resolve("adapter/src/main/java").toString(),
            repo.resolve("load-tests/src/main/java").toString())
        .redirectErrorStream(true)
        .start();
    final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(5, TimeUnit.MINUTES)).as("checker finished").isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out).contains("no package cycle", "no internal package used from outside");
  }
}
