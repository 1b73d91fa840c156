package io.meshcast.adapter.docs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshcast.adapter.cli.RunningAdapter;
import io.meshcast.adapter.testing.Kubectl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code kubectl get --raw} and {@code curl} example in the fenced {@code sh} blocks of
 * README.md and docs/*.md runs against the embedded demo ({@code serve --demo}) and must succeed
 * with a JSON answer: a docs example that answers 404 fails the build. Pipes ({@code | jq ...})
 * and trailing comments are dropped; {@code --server}, {@code --token} and
 * {@code --insecure-skip-tls-verify} are replaced by a kubeconfig for the test server, and curl's
 * {@code https://127.0.0.1:6443} by its address.
 */
final class DocsExamplesIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path ROOT = Path.of("..");
  private static RunningAdapter adapter;
  private static Path kubeconfig;
  @TempDir static Path tmp;

  /** One example: where it is and its words, as the shell would split them. */
  record Example(String where, List<String> words, boolean clusterOnly) {}

  /**
   * Examples that need a real cluster with the user's own adapters: the migration guide's
   * side-by-side comparison with prometheus-adapter (the same request shape against a
   * prometheus-adapter rules file is checked by PrometheusAdapterRulesIT).
   */
  private static final List<String> CLUSTER_ONLY = List.of(
      "docs/migration.md: kubectl get --raw .../namespaces/shop/pods/*/http_requests_per_second",
      "docs/migration.md: curl -sk -H .../namespaces/shop/pods/*/http_requests_per_second");

  @BeforeAll
  static void start() throws Exception {
    adapter = RunningAdapter.start("--demo", "--insecure-authn");
    kubeconfig = adapter.kubeconfig(tmp);
  }

  @AfterAll
  static void stop() {
    if (adapter != null) {
      adapter.close();
    }
  }

  @Test
  void everyKubectlAndCurlExampleInTheDocs_succeedsAgainstTheDemo() throws Exception {
    List<Example> examples = examples();
    // The extraction itself must keep working: README.md has 7 and docs/install.md 2 today.
    assertThat(examples).as("examples found").hasSizeGreaterThanOrEqualTo(9);
    assertThat(examples).anySatisfy(e -> assertThat(e.words()).contains(
        "/apis/custom.metrics.k8s.io/v1beta2/namespaces/demo/metrics/kuma_rps"));
    // The demo's first refresh: wait (generously) until a plain metric answers.
    long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
    while (Kubectl.run(kubeconfig, "get", "--raw",
        "/apis/custom.metrics.k8s.io/v1beta2/namespaces/demo/services/frontend/kuma_rps")
        .exit() != 0) {
      assertThat(System.nanoTime()).as("demo serving within 180 s").isLessThan(deadline);
      Thread.sleep(500);
    }
    assertThat(examples.stream().filter(Example::clusterOnly)
        .map(e -> e.where().replaceAll(":\\d+$", "") + ": " + e.words().get(0) + " "
            + e.words().get(1) + " " + e.words().get(2) + " .../"
            + e.words().stream().filter(w -> w.contains("/apis/")).findFirst().orElse("")
                .replaceAll("^.*?/namespaces/", "namespaces/").replaceAll("\\?.*$", ""))
        .toList())
        .as("examples marked ```sh cluster (not run against the demo)")
        .containsExactlyElementsOf(CLUSTER_ONLY);
    for (Example e : examples) {
      if (e.clusterOnly()) {
        System.out.println("DocsExamplesIT: not run against the demo (needs a cluster): "
            + e.where());
        continue;
      }
      String out = run(e);
      JsonNode doc = JSON.readTree(out);
      String kind = doc.path("kind").asText();
      assertThat(kind).as(e.where() + ": " + out)
          .isIn("APIResourceList", "MetricValueList", "ExternalMetricValueList");
      if (!kind.equals("APIResourceList")) {
        assertThat(doc.get("items")).as(e.where() + ": " + out).isNotEmpty();
      }
    }
  }

  private static String run(Example e) throws Exception {
    List<String> w = e.words();
    if (w.get(0).equals("kubectl")) {
      List<String> args = new ArrayList<>();
      for (int i = 1; i < w.size(); i++) {
        String a = w.get(i);
        if (a.equals("--server") || a.equals("--token") || a.equals("-s")) {
          i++; // and its value
        } else if (!a.startsWith("--server=") && !a.startsWith("--token=")
            && !a.equals("--insecure-skip-tls-verify")) {
          args.add(a);
        }
      }
      Kubectl.Result r = Kubectl.run(kubeconfig, args.toArray(String[]::new));
      assertThat(r.exit()).as("%s: kubectl %s: %s", e.where(), args, r.stderr()).isZero();
      return r.stdout();
    }
    List<String> cmd = new ArrayList<>();
    for (String a : w) {
      cmd.add(a.replace("https://127.0.0.1:6443", adapter.url("")));
    }
    cmd.addAll(1, List.of("--fail", "--silent", "--show-error", "--insecure"));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
    String out = new String(p.getInputStream().readAllBytes());
    String err = new String(p.getErrorStream().readAllBytes());
    assertThat(p.waitFor()).as("%s: %s: %s", e.where(), cmd, err).isZero();
    return out;
  }

  /** The kubectl get --raw and curl commands of every fenced sh block. */
  static List<Example> examples() throws IOException {
    List<Path> files = new ArrayList<>(List.of(ROOT.resolve("README.md")));
    try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
      docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
    }
    List<Example> out = new ArrayList<>();
    for (Path f : files) {
      List<String> lines = Files.readAllLines(f);
      boolean inSh = false;
      boolean clusterOnly = false;
      StringBuilder command = new StringBuilder();
      int startLine = 0;
      for (int n = 0; n < lines.size(); n++) {
        String line = lines.get(n).strip();
        if (line.startsWith("```")) {
          // "```sh cluster" marks examples that need a user's cluster (another adapter, a token):
          // they are collected too, and must be listed in CLUSTER_ONLY, so skipping one is a
          // reviewed decision and never silent.
          inSh = !inSh && (line.equals("```sh") || line.equals("```sh cluster"));
          clusterOnly = inSh && line.equals("```sh cluster");
          continue;
        }
        if (!inSh) {
          continue;
        }
        if (command.length() == 0) {
          startLine = n + 1;
        }
        if (line.endsWith("\\")) {
          command.append(line, 0, line.length() - 1).append(' ');
          continue;
        }
        command.append(line);
        List<String> words = words(command.toString());
        command.setLength(0);
        boolean raw = words.size() > 1 && words.get(0).equals("kubectl")
            && words.contains("get") && words.contains("--raw");
        if (raw || (!words.isEmpty() && words.get(0).equals("curl"))) {
          out.add(new Example(ROOT.relativize(f) + ":" + startLine, words, clusterOnly));
        }
      }
    }
    return out;
  }

  /** Splits like sh for these examples: quotes, a trailing comment and a pipe end the words. */
  static List<String> words(String line) {
    List<String> out = new ArrayList<>();
    StringBuilder w = new StringBuilder();
    boolean inWord = false;
    char quote = 0;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else {
          w.append(c);
        }
      } else if (c == '"' || c == '\'') {
        quote = c;
        inWord = true;
      } else if (Character.isWhitespace(c)) {
        if (inWord) {
          out.add(w.toString());
          w.setLength(0);
          inWord = false;
        }
      } else if ((c == '#' && !inWord) || c == '|') {
        break;
      } else {
        w.append(c);
        inWord = true;
      }
    }
    if (inWord) {
      out.add(w.toString());
    }
    return out;
  }
}
