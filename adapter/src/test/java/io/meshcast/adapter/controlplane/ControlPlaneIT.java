package io.meshcast.adapter.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * meshcast behind a real Kubernetes control plane: etcd, kube-apiserver with the aggregation
 * layer and kube-controller-manager with the HPA controller, all in a network namespace this test
 * creates. What is checked is listed in {@link ControlPlaneScenario}.
 *
 * <p>The Kubernetes binaries come from the folder named by {@code KUBEBUILDER_ASSETS} (envtest's
 * convention): {@code kube-apiserver} and {@code kube-controller-manager} (v1.24 is what CI uses),
 * {@code etcd} from there or from the PATH. Without the variable the test is skipped and says so.
 * It needs root (or CAP_SYS_ADMIN) for {@code unshare --net --pid}.
 *
 * <p>The JVM running this test stays in the host's namespace; the scenario runs as a second JVM
 * (same classpath) under {@code unshare --net --pid --fork --kill-child}, so every process it
 * starts — etcd, the apiserver, the controller manager, Prometheus, meshcast, kubectl — lives in
 * the new namespaces, and whatever is left when the scenario ends (or this test kills it) dies
 * with the PID namespace. The temp directory is deleted in all cases.
 */
final class ControlPlaneIT {

  /** envtest's variable: the folder holding the control-plane binaries. */
  static final String ASSETS_VARIABLE = "KUBEBUILDER_ASSETS";
  private static final String DIR_PREFIX = "meshcast-controlplane-";

  @Test
  void hpasScaleOnMeshcastMetricsThroughARealApiserver() throws Exception {
    String assets = System.getenv(ASSETS_VARIABLE);
    if (assets == null || assets.isBlank()) {
      String why = "ControlPlaneIT skipped: " + ASSETS_VARIABLE + " is not set (point it at a "
          + "folder with kube-apiserver and kube-controller-manager; .ci/run unpacks "
          + "../shared/k8s and sets it)";
      System.out.println(why);
      console(why);
      assumeTrue(false, why);
    }
    Path assetsDir = Path.of(assets).toAbsolutePath();
    assertThat(assetsDir.resolve("kube-apiserver")).as("%s/kube-apiserver", ASSETS_VARIABLE)
        .isExecutable();
    assertThat(assetsDir.resolve("kube-controller-manager"))
        .as("%s/kube-controller-manager", ASSETS_VARIABLE).isExecutable();
    Path jar = Path.of("target", "meshcast.jar").toAbsolutePath();
    assertThat(jar).as("the shaded jar (failsafe runs after package)").isRegularFile();
    Path manifests = Path.of("..", "manifests").toAbsolutePath().normalize();
    assertThat(manifests.resolve("kustomization.yaml")).isRegularFile();

    long t0 = System.nanoTime();
    // tmpfs when there is one: etcd fsyncs every write. A killed JVM cannot delete its folder, so
    // folders of runs that ended long ago (the scenario is bounded to 15 min) are swept first.
    Path shm = Path.of("/dev/shm");
    Path parent = Files.isDirectory(shm) && Files.isWritable(shm) ? shm
        : Path.of(System.getProperty("java.io.tmpdir"));
    sweepStale(parent);
    Path dir = Files.createTempDirectory(parent, DIR_PREFIX);
    List<String> output = new ArrayList<>();
    Process p = null;
    try {
      String java = ProcessHandle.current().info().command().orElse("java");
      List<String> cmd = new ArrayList<>();
      if (Files.isExecutable(Path.of("/usr/bin/setpriv"))) {
        // unshare dies with this JVM, and --kill-child takes the scenario down with it.
        cmd.addAll(List.of("/usr/bin/setpriv", "--pdeathsig", "KILL"));
      }
      cmd.add("unshare");
      if (!Files.getAttribute(Path.of("/proc/self"), "unix:uid").equals(0)) {
        // Without root: an unprivileged user namespace, where we are root, owns the others.
        cmd.addAll(List.of("--user", "--map-root-user"));
      }
      cmd.addAll(List.of("--net", "--pid", "--fork", "--kill-child", "--",
          java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
          ControlPlaneScenario.class.getName(), dir.toString(), assetsDir.toString(),
          manifests.toString(), jar.toString(),
          Files.readSymbolicLink(Path.of("/proc/self/ns/net")).toString()));
      p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
          StandardCharsets.UTF_8))) {
        // The scenario bounds each of its waits; this bounds the whole (a reader thread is not
        // needed: the process' output ends when it does, and a hung one is killed below).
        Thread killer = new Thread(killAfter(p, 15), "controlplane-timeout");
        killer.setDaemon(true);
        killer.start();
        for (String line; (line = r.readLine()) != null; ) {
          System.out.println(line);
          output.add(line);
        }
      }
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("scenario exited").isTrue();
      String summary = String.join("\n", output.stream()
          .filter(l -> l.startsWith("controlplane:")).toList());
      String took = String.format(Locale.ROOT, "ControlPlaneIT: scenario exited with %d after"
          + " %.1f s", p.exitValue(), (System.nanoTime() - t0) / 1e9);
      System.out.println(took);
      console(took);
      output.stream().filter(l -> l.startsWith("unshare:")).findFirst().ifPresent(l -> {
        throw new AssertionError("cannot create the test's network and PID namespaces: " + l
            + " (needs root, or unprivileged user namespaces for a normal user)");
      });
      assertThat(p.exitValue()).as("scenario exit code; its output:\n%s", tail(output, 200))
          .isZero();
      assertThat(summary).contains("every HPA scaled its Deployment to 1");
    } finally {
      if (p != null && p.isAlive()) {
        p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      }
      deleteTree(dir);
    }
  }

  /**
   * Writes a line to the fork's own stderr, which Maven shows on its console: failsafe sends
   * System.out/err to a report file and prints no skip reasons. The stream is never closed (that
   * would close file descriptor 2).
   */
  private static void console(String line) {
    PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true,
        StandardCharsets.UTF_8);
    err.println(line);
    err.flush();
  }

  private static void sweepStale(Path parent) throws IOException {
    FileTime hourAgo = FileTime.from(Instant.now().minus(Duration.ofHours(1)));
    try (Stream<Path> s = Files.list(parent)) {
      for (Path old : s.filter(d -> d.getFileName().toString().startsWith(DIR_PREFIX)).toList()) {
        try {
          if (Files.getLastModifiedTime(old).compareTo(hourAgo) < 0) {
            deleteTree(old);
          }
        } catch (IOException e) {
          // best effort: another run may be sweeping the same folder
        }
      }
    }
  }

  private static Runnable killAfter(Process p, int minutes) {
    return () -> {
      try {
        if (!p.waitFor(minutes, TimeUnit.MINUTES)) {
          System.out.println("ControlPlaneIT: scenario still running after " + minutes
              + " min, killing it");
          p.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    };
  }

  private static String tail(List<String> lines, int n) {
    return String.join("\n", lines.subList(Math.max(0, lines.size() - n), lines.size()));
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
  }
}
