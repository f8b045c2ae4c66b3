package org.p2pchat.demo;

import java.io.PrintStream;
import java.util.concurrent.Callable;
import org.p2pchat.cli.Cli;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * Entry point of the demo jar: {@code java -jar p2pchat-demo-VERSION-all.jar demo}, which {@code bin/p2pchat
 * demo} runs. Exit codes: 0 every step observed, 1 a step was not, 2 usage or environment error.
 */
@Command(name = "p2pchat", mixinStandardHelpOptions = true, version = "p2pchat demo, protocol version 1",
    synopsisSubcommandLabel = "demo", description = "The p2pchat demo.")
public final class DemoMain implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  private DemoMain() {}

  public static void main(String[] args) {
    Cli.logDefault("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    System.exit(run(args, Cli.stdout(), Cli.stderr()));
  }

  /** Runs the command line on the given streams and returns its exit code; never calls System.exit. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    CommandLine cli = new CommandLine(new DemoMain()).addSubcommand(new CommandLine(new DemoCommand(out)));
    return Cli.execute(Cli.configure(cli, Cli.writer(out), Cli.writer(err)), args);
  }

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return CommandLine.ExitCode.USAGE;
  }
}
