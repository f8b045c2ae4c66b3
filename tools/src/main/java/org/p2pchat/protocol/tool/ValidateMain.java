package org.p2pchat.protocol.tool;

import java.io.InputStream;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.p2pchat.cli.Cli;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * Entry point of the tools module's runnable jar: {@code java -jar p2pchat-tools-VERSION-all.jar validate
 * FILE...}, which {@code bin/p2pchat validate} runs.
 *
 * <p>Exit codes: 0 every message valid, 1 some message invalid, 2 usage or I/O error.
 */
@Command(name = "p2pchat", synopsisSubcommandLabel = "COMMAND",
    description = "The p2pchat tools.",
    subcommands = CommandLine.HelpCommand.class)
public final class ValidateMain implements Callable<Integer> {
  @Spec
  private CommandSpec spec;

  private ValidateMain() {}

  public static void main(String[] args) {
    System.exit(run(args, System.in, Cli.writer(Cli.stdout()), Cli.writer(Cli.stderr())));
  }

  /** Runs the command line with the given streams and returns its exit code; never calls System.exit. */
  public static int run(String[] args, InputStream stdin, PrintWriter out, PrintWriter err) {
    CommandLine cmd = new CommandLine(new ValidateMain())
        .addSubcommand(new ValidateCommand(stdin))
        // A file named @x.json is a file, not a list of arguments.
        .setExpandAtFiles(false);
    return Cli.execute(Cli.configure(cmd, out, err), args);
  }

  @Override
  public Integer call() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing required command (try: validate)");
  }
}
