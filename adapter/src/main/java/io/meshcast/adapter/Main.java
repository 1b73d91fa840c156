package io.meshcast.adapter;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code meshcast.jar}. */
@Command(name = "meshcast", mixinStandardHelpOptions = true, subcommands = {io.meshcast.adapter.cli.ForecastCommand.class, io.meshcast.adapter.cli.AnomalyCommand.class})
public final class Main implements Runnable {

  @Override
  public void run() {}

  public static void main(String[] args) {
    System.exit(new CommandLine(new Main()).execute(args));
  }
}
