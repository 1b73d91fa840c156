package io.meshcast.adapter;

import io.meshcast.adapter.cli.ServeCommand;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of {@code meshcast.jar}: the composition root's command line. {@code serve} is the
 * default subcommand, so {@code java -jar meshcast.jar --demo} serves the demo.
 */
@Command(
    name = "meshcast",
    mixinStandardHelpOptions = true,
    version = "meshcast 0.1.0",
    subcommands = {
      ServeCommand.class,
      io.meshcast.adapter.cli.ForecastCommand.class,
      io.meshcast.adapter.cli.AnomalyCommand.class
    },
    description = "Predictive custom/external metrics adapter for Kuma service meshes.")
public final class Main implements Runnable {

  private static final Set<String> TOP_LEVEL = Set.of("-h", "--help", "-V", "--version");

  @Override
  public void run() {
    // Not reached: main() routes an empty command line to "serve".
  }

  public static void main(String[] args) {
    installLogging();
    CommandLine cli = new CommandLine(new Main());
    cli.setParameterExceptionHandler(Main::usageError);
    System.exit(cli.execute(withDefaultSubcommand(args)));
  }

  /**
   * The process's logging set-up as {@code meshcast} has it (one JUL format, Vert.x on JUL; see
   * {@code LogFormat}). Call it first thing; an entry point that embeds the adapter (the load
   * tests' serving target) calls it too, so it logs, and pays for logging, what the binary does.
   */
  public static void installLogging() {
    LogFormat.install();
  }

  /**
   * A bad flag or value: one line naming it and where to find the usage, instead of the message
   * followed by the whole usage text (which pushes the message out of a terminal or a pod log).
   */
  static int usageError(CommandLine.ParameterException e, String[] args) {
    CommandLine cmd = e.getCommandLine();
    String name = cmd.getCommandSpec().qualifiedName();
    cmd.getErr().println(name + ": " + e.getMessage() + " (see '" + name + " --help')");
    return cmd.getCommandSpec().exitCodeOnInvalidInput();
  }

  /** Prepends {@code serve} when no subcommand is named. */
  static String[] withDefaultSubcommand(String[] args) {
    if (args.length > 0 && (!args[0].startsWith("-") || TOP_LEVEL.contains(args[0]))) {
      return args;
    }
    String[] out = new String[args.length + 1];
    out[0] = "serve";
    System.arraycopy(args, 0, out, 1, args.length);
    return out;
  }
}
