package org.p2pchat.peer;

import java.util.concurrent.Callable;
import org.p2pchat.cli.Cli;
import org.p2pchat.peer.internal.PeerCommand;
import org.p2pchat.peer.internal.Streams;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The reference peer's entry point: {@code peer}, the interactive chat peer. Exit codes (the
 * shared policy): 0 success, 1 ran and found a problem, 2 usage, environment or internal error.
 */
@Command(name = "p2pchat", mixinStandardHelpOptions = true, version = "p2pchat reference peer, protocol version 1",
    synopsisSubcommandLabel = "peer",
    description = "The p2pchat reference peer.")
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
    System.exit(run(args, new Streams(System.in, Cli.stdout(), Cli.stderr(), true)));
  }

  /** Parses {@code args} and runs the subcommand on the given streams; returns the exit code. */
  static int run(String[] args, Streams streams) {
    CommandLine cli = new CommandLine(new PeerMain())
        .addSubcommand(new CommandLine(new PeerCommand(streams)));
    return Cli.execute(Cli.configure(cli, Cli.writer(streams.out()), Cli.writer(streams.err())), args);
  }

  /** Logs go to stderr, warnings and up unless the caller chose otherwise with -D. */
  private static void defaultLogging() {
    Cli.logDefault("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    Cli.logDefault("org.slf4j.simpleLogger.showDateTime", "true");
    Cli.logDefault("org.slf4j.simpleLogger.dateTimeFormat", "HH:mm:ss.SSS");
    Cli.logDefault("org.slf4j.simpleLogger.showShortLogName", "true");
  }
}
