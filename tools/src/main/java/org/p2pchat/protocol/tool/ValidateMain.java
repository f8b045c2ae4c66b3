package org.p2pchat.protocol.tool;

import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * Entry point of the schema module's runnable jar: {@code java -jar p2pchat-schema-VERSION-all.jar validate
 * FILE...}, which {@code bin/p2pchat validate} runs.
 *
 * <p>Exit codes: 0 every message valid, 1 some message invalid, 2 usage or I/O error.
 */
@Command(name = "p2pchat", synopsisSubcommandLabel = "COMMAND",
    description = "Tools of the p2pchat schema module.",
    subcommands = CommandLine.HelpCommand.class)
public final class ValidateMain implements Callable<Integer> {
  @Spec
  private CommandSpec spec;

  private ValidateMain() {}

  public static void main(String[] args) {
    // stdout and stderr carry UTF-8 whatever the platform default, as the launcher promises.
    PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
    PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
    int code = run(args, System.in, out, err);
    out.flush();
    err.flush();
    System.exit(code);
  }

  /** Runs the command line with the given streams and returns its exit code; never calls System.exit. */
  public static int run(String[] args, InputStream stdin, PrintWriter out, PrintWriter err) {
    CommandLine cmd = new CommandLine(new ValidateMain())
        .addSubcommand(new ValidateCommand(stdin))
        .setOut(out)
        .setErr(err)
        // A file named @x.json is a file, not a list of arguments.
        .setExpandAtFiles(false)
        .setExecutionExceptionHandler((e, commandLine, parseResult) -> {
          commandLine.getErr().println(commandLine.getCommandName() + ": internal error: " + e);
          return ValidateCommand.EXIT_ERROR;
        });
    try {
      return cmd.execute(args);
    } finally {
      out.flush();
      err.flush();
    }
  }

  @Override
  public Integer call() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing required command (try: validate)");
  }
}
