package org.p2pchat.bench;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.p2pchat.cli.Cli;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * Entry point of the benchmarks' runnable jar: {@code java -jar p2pchat-benchmarks-VERSION-all.jar bench
 * [OPTIONS]}, which {@code bin/p2pchat bench} runs. Tables go to stdout, progress and logs to stderr.
 *
 * <p>Exit codes: 0 measured, 1 a correctness check failed, 2 usage or environment error.
 */
@Command(name = "p2pchat", synopsisSubcommandLabel = "COMMAND", mixinStandardHelpOptions = true,
    description = "The p2pchat benchmarks.", subcommands = CommandLine.HelpCommand.class)
public final class BenchMain implements Callable<Integer> {
  @Spec
  private CommandSpec spec;

  private BenchMain() {}

  public static void main(String[] args) {
    Cli.logDefault("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    Cli.logDefault("org.slf4j.simpleLogger.showDateTime", "true");
    Cli.logDefault("org.slf4j.simpleLogger.dateTimeFormat", "HH:mm:ss.SSS");
    System.exit(run(args, Cli.stdout(), Cli.stderr()));
  }

  /** Runs the command line with the given streams and returns its exit code; never calls System.exit. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    PrintWriter outWriter = Cli.writer(out);
    CommandLine cmd = new CommandLine(new BenchMain()).addSubcommand(new BenchCommand(outWriter, err));
    return Cli.execute(Cli.configure(cmd, outWriter, Cli.writer(err)), args);
  }

  @Override
  public Integer call() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing required command (try: bench)");
  }
}
