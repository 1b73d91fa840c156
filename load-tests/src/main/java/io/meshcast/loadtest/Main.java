package io.meshcast.loadtest;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code meshcast-load-tests.jar}: benchmarks, evaluations and replays. */
@Command(
    name = "meshcast-load-tests",
    mixinStandardHelpOptions = true,
    subcommands = {
      io.meshcast.loadtest.refresh.RefreshBenchmarkCommand.class,
      io.meshcast.loadtest.eval.ForecasterEvaluationCommand.class,
      io.meshcast.loadtest.eval.AnomalyEvaluationCommand.class,
      io.meshcast.loadtest.replay.ReplayCommand.class,
      io.meshcast.loadtest.serving.ServingBenchCommand.class,
      io.meshcast.loadtest.serving.ServingTargetCommand.class
    },
    description = "meshcast benchmarks, forecast evaluation and autoscaling replays")
public final class Main implements Runnable {

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  public static void main(String[] args) {
    // The shipped binary's logging set-up: the serving target embeds the adapter, and its access
    // log must cost what it costs in `meshcast serve` (JDK's default format took another path).
    io.meshcast.adapter.Main.installLogging();
    System.exit(new CommandLine(new Main()).execute(args));
  }
}
