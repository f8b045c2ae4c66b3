package org.p2pchat.server;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.p2pchat.cli.Cli;
import org.p2pchat.cli.ExitCode;
import org.p2pchat.identity.IdentityException;
import org.p2pchat.identity.IdentityFile;
import org.p2pchat.server.internal.Plural;
import org.p2pchat.server.registry.RegistryOpenException;
import org.p2pchat.server.registry.RegistryUrl;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The server's command line: {@code p2pchat server [--host H] [--port P] [--state FILE] ...}.
 *
 * <p>Exit codes (the shared policy): 0 for --help, or a clean stop by SIGINT or SIGTERM (state written in
 * a shutdown hook); 2 usage, environment or internal error (bad option, port in use, unusable state file).
 */
@Command(name = "p2pchat", mixinStandardHelpOptions = true, version = "p2pchat reference server 1.0.0",
    description = "The p2pchat rendezvous server.",
    subcommands = {ServerMain.ServerCommand.class, CommandLine.HelpCommand.class})
public final class ServerMain implements Callable<Integer> {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    // Before any logger exists: slf4j-simple reads its settings once.
    Cli.logDefault("org.slf4j.simpleLogger.defaultLogLevel", "info");
    Cli.logDefault("org.slf4j.simpleLogger.showDateTime", "true");
    Cli.logDefault("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd HH:mm:ss.SSS");
    Cli.logDefault("org.slf4j.simpleLogger.showShortLogName", "true");
    Cli.logDefault("org.slf4j.simpleLogger.showThreadName", "false");
    // The registry reports database trouble in one line of its own; the pool's stack traces are noise.
    Cli.logDefault("org.slf4j.simpleLogger.log.com.zaxxer.hikari", "off");
    System.exit(run(Cli.stdout(), Cli.stderr(), args));
  }

  /** Runs the command line and returns its exit code; {@code server} returns only if it cannot start. */
  public static int run(PrintStream out, PrintStream err, String... args) {
    CommandLine cli = Cli.configure(new CommandLine(new ServerMain()), Cli.writer(out), Cli.writer(err));
    return Cli.execute(cli, args);
  }

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return CommandLine.ExitCode.USAGE;
  }

  /** {@code p2pchat server}. */
  @Command(name = "server", mixinStandardHelpOptions = true, sortOptions = false,
      description = {
          "Runs the rendezvous server: peers register their name and address, list the registered peers "
              + "and leave, as with the 2018 server.",
          "Prints 'state file: FILE (N peers loaded)' and then 'listening on HOST:PORT' when ready; "
              + "logs one line per event on stderr. Stops cleanly on SIGINT or SIGTERM."},
      exitCodeListHeading = "Exit codes:%n",
      exitCodeList = {"0:--help or --version, or stopped by SIGINT (Ctrl-C) or SIGTERM after a clean stop with "
          + "the state saved",
          "2:usage error, address in use, unusable state file (left untouched), unusable registry (bad URL, "
              + "unreachable database, refused login, missing rights) or internal error"})
  static final class ServerCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--host", paramLabel = "HOST", defaultValue = "localhost",
        description = "Address to listen on (default: ${DEFAULT-VALUE}, which binds 127.0.0.1; "
            + "0.0.0.0 serves a LAN).")
    String host;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "30000",
        description = "Port to listen on (default: ${DEFAULT-VALUE}); 0 picks a free port.")
    int port;

    @Option(names = "--state", paramLabel = "FILE",
        description = "The registry's state file, kept across restarts (default: "
            + "~/.p2pchat/server-state-PORT.jsonl; with --port 0, a temporary file deleted on stop). "
            + "A corrupt or unreadable file is reported and left untouched (exit 2).")
    Path state;

    @Option(names = "--registry", paramLabel = "URL",
        description = "Where registrations live: file:PATH (the state file, as --state; the default) or "
            + "jdbc:postgresql://HOST:PORT/DB?user=U, a PostgreSQL database several servers share "
            + "(docs/registry.md). The password may be given as &password=P or, kept out of ps, in the "
            + "environment variable " + RegistryUrl.PASSWORD_ENV + ". A bad URL, an unreachable database or "
            + "missing rights: one line, exit 2.")
    String registry;

    @Option(names = "--lease", paramLabel = "DURATION", defaultValue = "90s",
        description = "How long a registration of a peer that advertised the lease feature lives without a "
            + "heartbeat (default: ${DEFAULT-VALUE}; peers renew every third of it; at least 3s). 2018 peers "
            + "never get a lease.")
    Duration lease;

    @Option(names = "--identity", paramLabel = "FILE",
        description = "The server's identity key file, created (mode 0600) on first start (default: "
            + "~/.p2pchat/server-identity). Refused (exit 2) if readable by others, unreadable or not an "
            + "identity file.")
    Path identity;

    @Option(names = "--reply-timeout", paramLabel = "DURATION", defaultValue = "3s",
        description = "Time to connect to a peer to deliver a reply (default: ${DEFAULT-VALUE}).")
    Duration replyTimeout;

    @Option(names = "--read-timeout", paramLabel = "DURATION", defaultValue = "10s",
        description = "Time a sender has to deliver its whole message (default: ${DEFAULT-VALUE}).")
    Duration readTimeout;

    @Option(names = "--max-message-bytes", paramLabel = "BYTES", defaultValue = "65536",
        description = "Largest message accepted (default: ${DEFAULT-VALUE}).")
    int maxMessageBytes;

    @Option(names = "--max-connections-per-source", paramLabel = "N", defaultValue = "64",
        description = "Connections one remote address may hold open at once; beyond it its new connections "
            + "are closed unread (default: ${DEFAULT-VALUE}; loopback is not exempt).")
    int maxConnectionsPerSource;

    @Option(names = "--max-messages-per-source", paramLabel = "N", defaultValue = "100",
        description = "Messages one remote address may send a second, bursts of twice that; beyond it they "
            + "are not served (default: ${DEFAULT-VALUE}; loopback is not exempt).")
    double maxMessagesPerSource;

    @Option(names = "--max-listpeers-per-source", paramLabel = "N", defaultValue = "10",
        description = "LISTPEER requests one remote address may send a second, bursts of twice that "
            + "(default: ${DEFAULT-VALUE}).")
    double maxListpeersPerSource;

    @Option(names = "--max-names-per-source", paramLabel = "N", defaultValue = "256",
        description = "Names one remote address may hold registered; beyond it REGISTER_ERROR "
            + "(default: ${DEFAULT-VALUE}).")
    int maxNamesPerSource;

    @Option(names = "--max-peers", paramLabel = "N", defaultValue = "100000",
        description = "Names the registry holds at most; beyond it REGISTER_ERROR (default: ${DEFAULT-VALUE}).")
    int maxPeers;

    @Option(names = "--exempt-source", paramLabel = "ADDRESS",
        description = "An IP address held to none of the per-source limits; repeat for more (default: none).")
    List<String> exemptSource = new ArrayList<>();

    @Option(names = "--log-level", paramLabel = "LEVEL", defaultValue = "info",
        description = "Log level on stderr: error, warn, info or debug (default: ${DEFAULT-VALUE}).")
    String logLevel;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      if (port < 0 || port > 65535) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--port must be 0-65535, got " + port);
      }
      if (maxMessageBytes < 2) {
        throw new CommandLine.ParameterException(spec.commandLine(),
            "--max-message-bytes must be at least 2, got " + maxMessageBytes);
      }
      if (maxConnectionsPerSource < 1) {
        throw new CommandLine.ParameterException(spec.commandLine(),
            "--max-connections-per-source must be at least 1, got " + maxConnectionsPerSource);
      }
      if (!(maxMessagesPerSource > 0) || !(maxListpeersPerSource > 0) || maxNamesPerSource < 1 || maxPeers < 1
          || Double.isInfinite(maxMessagesPerSource) || Double.isInfinite(maxListpeersPerSource)) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--max-messages-per-source and "
            + "--max-listpeers-per-source must be positive, --max-names-per-source and --max-peers at least 1");
      }
      Set<InetAddress> exempt = new java.util.HashSet<>();
      for (String address : exemptSource) {
        if (!address.matches("[0-9.]+|[0-9A-Fa-f.]*:[0-9A-Fa-f:.]*")) {
          throw new CommandLine.ParameterException(spec.commandLine(),
              "--exempt-source must be an IP address, got " + address);
        }
        try {
          exempt.add(InetAddress.getByName(address));
        } catch (java.net.UnknownHostException e) {
          throw new CommandLine.ParameterException(spec.commandLine(),
              "--exempt-source must be an IP address, got " + address);
        }
      }
      if (!logLevel.matches("error|warn|info|debug|trace")) {
        throw new CommandLine.ParameterException(spec.commandLine(),
            "--log-level must be error, warn, info or debug, got " + logLevel);
      }
      if (spec.commandLine().getParseResult().hasMatchedOption("--log-level")) {
        // Takes effect only if no logger exists yet, which is the case when run from main.
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", logLevel);
      }
      if (lease.toSeconds() < 3) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--lease must be at least 3s, got " + lease);
      }
      RegistryUrl registryUrl = null;
      if (registry != null) {
        try {
          registryUrl = RegistryUrl.parse(registry);
        } catch (RegistryOpenException e) {
          Cli.printError(err, "p2pchat server", e.getMessage());
          return ExitCode.ERROR;
        }
        if (state != null && (registryUrl.kind() != RegistryUrl.Kind.FILE
            || !registryUrl.file().toAbsolutePath().equals(state.toAbsolutePath()))) {
          throw new CommandLine.ParameterException(spec.commandLine(),
              "give either --state or --registry, not both");
        }
      }
      Path identityPath = identity != null ? identity
          : IdentityFile.defaultPath().resolveSibling("server-identity");
      IdentityFile identityFile;
      try {
        identityFile = IdentityFile.loadOrCreate(identityPath, new SecureRandom());
      } catch (IdentityException e) {
        Cli.printError(err, "p2pchat server", e.getMessage());
        return ExitCode.ERROR;
      }
      RendezvousServer server = RendezvousServer.builder()
          .identity(identityFile.keyPair())
          .host(host)
          .port(port)
          .stateFile(state)
          .registry(registryUrl)
          .lease(lease)
          .replyTimeout(replyTimeout)
          .readTimeout(readTimeout)
          .maxMessageBytes(maxMessageBytes)
          .maxConnectionsPerSource(maxConnectionsPerSource)
          .messagesPerSource(maxMessagesPerSource)
          .listpeersPerSource(maxListpeersPerSource)
          .maxNamesPerSource(maxNamesPerSource)
          .maxPeers(maxPeers)
          .exemptSources(exempt)
          .build();
      try {
        server.start();
      } catch (IOException e) {
        Cli.printError(err, "p2pchat server", e.getMessage());
        return ExitCode.ERROR;
      }
      CountDownLatch stopped = new CountDownLatch(1);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        server.stop(Duration.ofSeconds(5));
        stopped.countDown();
        // A signal is how this server is meant to stop: once the state is saved, that is success (0),
        // not the JVM's 128+signal status.
        Runtime.getRuntime().halt(ExitCode.OK);
      }, "p2pchat-server-shutdown"));
      if (server.sharedRegistry()) {
        out.println("registry: " + server.registryDescription() + " (" + Plural.peers(server.registry().size())
            + " registered)");
      } else {
        out.println("state file: " + server.stateFile() + " (" + Plural.peers(server.registry().size())
            + " loaded" + (server.temporaryState() ? "; temporary, deleted on stop" : "") + ")");
      }
      out.println("listening on " + server.address());
      out.flush();
      try {
        // The server runs until a signal: the shutdown hook stops it, then the JVM exits.
        stopped.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        server.stop(Duration.ofSeconds(5));
      }
      return CommandLine.ExitCode.OK;
    }
  }
}
