package io.meshcast.adapter.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The real {@code /usr/bin/kubectl} as a client of a meshcast server on 127.0.0.1. */
public final class Kubectl {

  /** What one kubectl invocation printed and returned. */
  public record Result(int exit, String stdout, String stderr) {}

  private Kubectl() {}

  /**
   * Writes a kubeconfig for {@code https://127.0.0.1:port}. kubectl wants some credential or it
   * prompts for one, so it carries a token (servers under test run with --insecure-authn or no
   * authentication filter).
   */
  public static Path kubeconfig(Path dir, int port) throws IOException {
    Path file = dir.resolve("kubeconfig-" + port + ".yaml");
    Files.writeString(file, String.join("\n",
        "apiVersion: v1", "kind: Config", "clusters:", "- name: meshcast", "  cluster:",
        "    server: https://127.0.0.1:" + port, "    insecure-skip-tls-verify: true",
        "users:", "- name: tester", "  user:", "    token: test-token", "contexts:",
        "- name: meshcast", "  context: {cluster: meshcast, user: tester}",
        "current-context: meshcast", ""));
    return file;
  }

  /** Runs kubectl with the kubeconfig and returns its exit code and output, whatever they are. */
  public static Result run(Path kubeconfig, String... args)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("/usr/bin/kubectl", "--kubeconfig",
        kubeconfig.toString()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd)
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(180, TimeUnit.SECONDS)).as("kubectl finished within 180 s").isTrue();
    return new Result(p.exitValue(), out, err);
  }

  /** Runs kubectl and returns stdout, failing the test (with stderr) on a non-zero exit. */
  public static String get(Path kubeconfig, String... args) throws Exception {
    Result r = run(kubeconfig, args);
    assertThat(r.exit()).as("kubectl %s: %s", List.of(args), r.stderr()).isZero();
    return r.stdout();
  }
}
