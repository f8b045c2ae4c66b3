package org.p2pchat.conformance;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
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
  static final int EXIT_OK = 0;
  static final int EXIT_FAILED = 1;
  static final int EXIT_USAGE = 2;

  @Spec
  private CommandSpec spec;

  public static void main(String[] args) {
    // The console report is what users read; the SDK's own logs stay quiet unless asked for.
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel",
        System.getProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn"));
    System.setProperty("org.slf4j.simpleLogger.showDateTime",
        System.getProperty("org.slf4j.simpleLogger.showDateTime", "true"));
    PrintWriter out = new PrintWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.out),
        StandardCharsets.UTF_8), true);
    PrintWriter err = new PrintWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.err),
        StandardCharsets.UTF_8), true);
    int code = run(args, out, err);
    out.flush();
    err.flush();
    System.exit(code);
  }

  /** Runs a command line with the given streams and returns its exit code; never calls System.exit. */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cmd = new CommandLine(new ConformanceMain())
        .setOut(out)
        .setErr(err)
        .setCaseInsensitiveEnumValuesAllowed(true)
        .setExecutionExceptionHandler((e, commandLine, parseResult) -> {
          commandLine.getErr().println(commandLine.getCommandName() + ": internal error: " + e);
          return EXIT_USAGE;
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
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing required command (try: conformance --help)");
  }
}
