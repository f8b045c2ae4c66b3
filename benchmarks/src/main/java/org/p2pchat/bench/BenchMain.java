package org.p2pchat.bench;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
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
    defaultProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    defaultProperty("org.slf4j.simpleLogger.showDateTime", "true");
    defaultProperty("org.slf4j.simpleLogger.dateTimeFormat", "HH:mm:ss.SSS");
    PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
    PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
    System.exit(run(args, out, err));
  }

  /** Runs the command line with the given streams and returns its exit code; never calls System.exit. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    PrintWriter outWriter = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true);
    PrintWriter errWriter = new PrintWriter(new OutputStreamWriter(err, StandardCharsets.UTF_8), true);
    CommandLine cmd = new CommandLine(new BenchMain())
        .addSubcommand(new BenchCommand(outWriter, err))
        .setOut(outWriter)
        .setErr(errWriter)
        .setExecutionExceptionHandler((e, commandLine, parseResult) -> {
          commandLine.getErr().println(commandLine.getCommandName() + ": " + e);
          return CommandLine.ExitCode.USAGE;
        });
    try {
      return cmd.execute(args);
    } finally {
      outWriter.flush();
      errWriter.flush();
    }
  }

  private static void defaultProperty(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }

  @Override
  public Integer call() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing required command (try: bench)");
  }
}
