package org.p2pchat.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import picocli.CommandLine;

/**
 * The shared bootstrap of every entry point: UTF-8 streams, the duration grammar, the error printer and
 * the exit-code policy ({@link ExitCode}).
 */
public final class Cli {
  private Cli() {}

  /** Standard output as UTF-8, whatever the platform default, as the launcher promises. */
  public static PrintStream stdout() {
    return new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
  }

  /** Standard error as UTF-8. */
  public static PrintStream stderr() {
    return new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
  }

  /** A flushing UTF-8 writer over {@code stream}. */
  public static PrintWriter writer(PrintStream stream) {
    return new PrintWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), true);
  }

  /** Sets a logging default (slf4j-simple reads its settings once) unless the caller chose with -D. */
  public static void logDefault(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }

  /**
   * Wires {@code cmd} to the streams with the one duration grammar, usage errors exiting 2 and any
   * unexpected exception printed as one line {@code NAME: internal error: ...} exiting 2.
   */
  public static CommandLine configure(CommandLine cmd, PrintWriter out, PrintWriter err) {
    return cmd.setOut(out)
        .setErr(err)
        .registerConverter(Duration.class, new DurationConverter())
        .setExecutionExceptionHandler((e, commandLine, parseResult) -> {
          printError(commandLine.getErr(), commandLine.getCommandName(), "internal error: " + Failures.unwrap(e));
          return ExitCode.ERROR;
        })
        .setExitCodeExceptionMapper(e -> ExitCode.ERROR);
  }

  /** Runs a configured command line and returns its exit code; never calls System.exit. */
  public static int execute(CommandLine cmd, String... args) {
    try {
      return cmd.execute(args);
    } finally {
      cmd.getOut().flush();
      cmd.getErr().flush();
    }
  }

  /** The one error line: {@code COMMAND: MESSAGE}. */
  public static void printError(PrintWriter err, String command, String message) {
    err.println(command + ": " + message);
    err.flush();
  }
}
