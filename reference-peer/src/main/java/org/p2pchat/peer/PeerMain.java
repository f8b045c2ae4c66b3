package org.p2pchat.peer;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.p2pchat.peer.internal.DemoCommand;
import org.p2pchat.peer.internal.PeerCommand;
import org.p2pchat.peer.internal.Streams;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The reference peer's entry point: {@code peer} (the interactive chat peer) and {@code demo}. Exit
 * codes: 0 success, 1 ran and found a problem, 2 usage or environment error.
 */
@Command(name = "p2pchat", mixinStandardHelpOptions = true, version = "p2pchat reference peer, protocol version 1",
    synopsisSubcommandLabel = "(peer | demo)",
    description = "The p2pchat reference peer and demo.")
public final class PeerMain implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return CommandLine.ExitCode.USAGE;
  }

  public static void main(String[] args) {
    defaultLogging();
    PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, UTF_8);
    PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, UTF_8);
    System.exit(run(args, new Streams(System.in, out, err, true)));
  }

  /** Parses {@code args} and runs the subcommand on the given streams; returns the exit code. */
  static int run(String[] args, Streams streams) {
    CommandLine cli = new CommandLine(new PeerMain())
        .addSubcommand(new CommandLine(new PeerCommand(streams)))
        .addSubcommand(new CommandLine(new DemoCommand(streams)));
    cli.setOut(new PrintWriter(streams.out(), true));
    cli.setErr(new PrintWriter(streams.err(), true));
    cli.setExitCodeExceptionMapper(e -> e instanceof CommandLine.ParameterException
        ? CommandLine.ExitCode.USAGE : CommandLine.ExitCode.SOFTWARE);
    return cli.execute(args);
  }

  /** Logs go to stderr, warnings and up unless the caller chose otherwise with -D. */
  private static void defaultLogging() {
    setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    setIfAbsent("org.slf4j.simpleLogger.showDateTime", "true");
    setIfAbsent("org.slf4j.simpleLogger.dateTimeFormat", "HH:mm:ss.SSS");
    setIfAbsent("org.slf4j.simpleLogger.showShortLogName", "true");
  }

  private static void setIfAbsent(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }
}
