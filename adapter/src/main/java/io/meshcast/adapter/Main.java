package io.meshcast.adapter;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code meshcast.jar}. */
@Command(name = "meshcast", mixinStandardHelpOptions = true, subcommands = {})
public final class Main implements Runnable {

  @Override
  public void run() {}

  public static void main(String[] args) {
    System.exit(new CommandLine(new Main()).execute(args));
  }
}
