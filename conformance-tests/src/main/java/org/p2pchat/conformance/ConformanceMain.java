package org.p2pchat.conformance;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.p2pchat.cli.Cli;
import org.p2pchat.cli.ExitCode;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * Entry point of the conformance jar: {@code java -jar p2pchat-conformance-tests-VERSION-all.jar conformance
 * ...}, which {@code bin/p2pchat conformance} runs.
 *
 * <p>Exit codes: 0 every case passed (known failures allowed), 1 a case failed, was unavailable, or a known
 * failure is stale, 2 usage or environment error (including a target that cannot be reached).
 */
@Command(name = "p2pchat", synopsisSubcommandLabel = "COMMAND",
    description = "The p2pchat conformance suite.",
    subcommands = {ConformanceCommand.class, CommandLine.HelpCommand.class})
public final class ConformanceMain implements Callable<Integer> {
  static final int EXIT_OK = ExitCode.OK;
  static final int EXIT_FAILED = ExitCode.PROBLEM;
  static final int EXIT_USAGE = ExitCode.ERROR;

  @Spec
  private CommandSpec spec;

  public static void main(String[] args) {
    // The console report is what users read; the SDK's own logs stay quiet unless asked for.
    Cli.logDefault("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    Cli.logDefault("org.slf4j.simpleLogger.showDateTime", "true");
    System.exit(run(args, Cli.writer(Cli.stdout()), Cli.writer(Cli.stderr())));
  }

  /** Runs a command line with the given streams and returns its exit code; never calls System.exit. */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cmd = new CommandLine(new ConformanceMain()).setCaseInsensitiveEnumValuesAllowed(true);
    return Cli.execute(Cli.configure(cmd, out, err), args);
  }

  @Override
  public Integer call() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing required command (try: conformance --help)");
  }
}
