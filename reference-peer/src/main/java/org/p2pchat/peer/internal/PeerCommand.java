package org.p2pchat.peer.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import org.p2pchat.identity.Fingerprint;
import org.p2pchat.identity.IdentityException;
import org.p2pchat.identity.IdentityFile;
import org.p2pchat.identity.KnownPeers;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.jline.terminal.Terminal;
import org.jline.utils.Signals;
import org.p2pchat.filetransfer.FileTransferLimits;
import org.p2pchat.peer.ChatPeer;
import org.p2pchat.protocol.HostPort;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code p2pchat peer}: the interactive chat peer. */
@Command(name = "peer", mixinStandardHelpOptions = true,
    description = {"The interactive chat peer: the 2018 commands and output lines, without its defects.",
        "",
        "With no --port/--name it asks 'serverport: ' and 'Your name: ' like the 2018 program. On a terminal",
        "it offers line editing, history and tab completion; otherwise it reads one command per line.",
        "Type 'help' for the commands. Ctrl-D, Ctrl-C, SIGTERM and 'exit' all leave cleanly (exit code 0)."})
public final class PeerCommand implements Callable<Integer> {
  @Option(names = "--name", paramLabel = "NAME", description = "This peer's name (one word).")
  String name;

  @Option(names = "--port", paramLabel = "PORT", description = "Port to listen on; 0 picks a free one.")
  Integer port;

  @Option(names = "--host", paramLabel = "HOST", defaultValue = "localhost",
      description = "Host to advertise to the server and peers (default: ${DEFAULT-VALUE}, as in 2018).")
  String host;

  @Option(names = "--bind", paramLabel = "ADDRESS",
      description = "Address to listen on (default: 127.0.0.1 when --host is local, else 0.0.0.0).")
  String bind;

  @Option(names = "--server", paramLabel = "HOST:PORT", defaultValue = "localhost:30000",
      converter = HostPortConverter.class, description = "The rendezvous server (default: ${DEFAULT-VALUE}).")
  HostPort server;

  @Option(names = "--no-server", description = "Run with no rendezvous server: register, listpeer and exit network "
      + "only say so; chat with peers directly.")
  boolean noServer;

  @Option(names = "--auto-accept", description = "Accept every chat request at once, printing what it accepted.")
  boolean autoAccept;

  @Option(names = "--request-expiry", paramLabel = "SECONDS", defaultValue = "60",
      description = "Refuse a chat request left unanswered this long (default: ${DEFAULT-VALUE}).")
  int requestExpirySeconds;

  @Option(names = "--identity", paramLabel = "FILE",
      description = "This peer's key file (identity-v1): created on first use, mode 600 "
          + "(default: ~/.p2pchat/NAME/identity; known_peers is kept beside it).")
  Path identityFile;

  @Option(names = "--server-key", paramLabel = "FINGERPRINT",
      description = "Pin the server's key fingerprint (32 hex digits, as its operator publishes it): "
          + "replies not signed by it are ignored.")
  String serverKey;

  @Option(names = "--downloads", paramLabel = "DIR",
      description = "Where received files go (default: ~/Downloads/p2pchat). Partial downloads wait there as"
          + " hidden .part files and resume when the same file is offered again.")
  Path downloads;

  @Option(names = "--max-file-size", paramLabel = "SIZE", defaultValue = "4G",
      description = "Largest file sent or accepted, in bytes or with K, M, G (default: ${DEFAULT-VALUE}).")
  String maxFileSize;

  @Option(names = "--max-transfers-per-peer", paramLabel = "N", defaultValue = "2",
      description = "File transfers at once with one peer, both directions (default: ${DEFAULT-VALUE}).")
  int maxTransfersPerPeer;

  @Option(names = "--file-rate", paramLabel = "SIZE", defaultValue = "32M",
      description = "File chunk bytes a second to one peer, with K, M, G (default: ${DEFAULT-VALUE}); chat"
          + " messages are never held back by it.")
  String fileRate;

  @Option(names = "--auto-accept-files", description = "Accept every file offer at once (demos, benchmarks).")
  boolean autoAcceptFiles;

  @Option(names = "--plain", description = "Read one command per line and print plain lines, even on a terminal.")
  boolean plain;

  @Option(names = "--log", paramLabel = "FILE",
      description = "Where warnings (bad messages from the network...) are logged (default: ~/.p2pchat/NAME.log).")
  Path log;

  @Option(names = "--verbose", description = "Show every log line on screen too, not one summary line a minute.")
  boolean verbose;

  @Option(names = "--timestamps", negatable = true,
      description = "HH:MM before incoming lines (default: on in a terminal, off in plain mode).")
  Boolean timestamps;

  private final Streams streams;

  public PeerCommand(Streams streams) {
    this.streams = streams;
  }

  /** picocli's converter for {@code HOST:PORT}. */
  public static final class HostPortConverter implements picocli.CommandLine.ITypeConverter<HostPort> {
    @Override
    public HostPort convert(String value) {
      return HostPort.parse(value);
    }
  }

  @Override
  public Integer call() {
    if (requestExpirySeconds < 1) {
      streams.err().println("p2pchat peer: --request-expiry must be at least 1 second");
      return 2;
    }
    FileTransferLimits limits;
    try {
      limits = FileTransferLimits.builder().maxFileSize(bytes(maxFileSize, "--max-file-size"))
          .maxTransfersPerPeer(maxTransfersPerPeer).bytesPerSecondPerPeer(bytes(fileRate, "--file-rate")).build();
    } catch (IllegalArgumentException e) {
      streams.err().println("p2pchat peer: " + e.getMessage());
      return 2;
    }
    if (name != null && Names.problem(name) != null) {
      streams.err().println("p2pchat peer: bad --name '" + name + "': " + Names.problem(name));
      return 2;
    }
    Fingerprint pinnedServer = null;
    if (serverKey != null) {
      try {
        pinnedServer = Fingerprint.parse(serverKey);
      } catch (IdentityException e) {
        streams.err().println("p2pchat peer: bad --server-key: " + e.getMessage());
        return 2;
      }
    }
    LogFile logFile = null;
    try (Console console = openConsole()) {
      boolean terminal = console instanceof JLineConsole;
      Integer listenPort = port != null ? port : askPort(console, terminal);
      String peerName = name != null ? name : askName(console);
      if (listenPort == null || peerName == null) {
        streams.err().println("p2pchat peer: no " + (listenPort == null ? "port" : "name") + " given");
        return 2;
      }
      Path keyFile = identityFile != null ? identityFile : defaultIdentity(peerName);
      IdentityFile id;
      KnownPeers known;
      try {
        id = IdentityFile.loadOrCreate(keyFile, new SecureRandom());
        known = KnownPeers.open(id.knownPeersPath());
      } catch (IdentityException e) {
        streams.err().println("p2pchat peer: " + e.getMessage());
        return 2;
      }
      // The log goes to a file so that warnings never land on the chat screen (tests running in-process
      // route it only when they ask with --log: standard error is the whole JVM's).
      if (streams.system() || log != null) {
        Path where = log != null ? log : LogFile.defaultPath(peerName);
        try {
          logFile = LogFile.install(where, verbose ? console::line : null);
        } catch (java.io.IOException | RuntimeException e) {
          streams.err().println("p2pchat peer: cannot write the log " + where + " (" + e + "); logging to stderr");
        }
      }
      ChatPeer peer = ChatPeer.builder()
          .name(peerName)
          .identity(id.keyPair(), known)
          .serverKey(pinnedServer)
          .port(listenPort)
          .noServer(noServer)
          .advertisedHost(host)
          .bindHost(bind != null ? bind : defaultBind(host))
          .server(server)
          .autoAccept(autoAccept)
          .requestExpiry(Duration.ofSeconds(requestExpirySeconds))
          .timestamps(timestamps != null ? timestamps : terminal)
          .verbose(verbose)
          .logName(logFile != null ? logFile.shortName() : "stderr")
          .output(console)
          .downloads(downloads != null ? downloads : ChatPeer.Builder.defaultDownloads())
          .fileLimits(limits)
          .autoAcceptFiles(autoAcceptFiles)
          .build();
      try {
        peer.start();
      } catch (IOException e) {
        streams.err().println("p2pchat peer: cannot listen on port " + listenPort + ": " + e.getMessage()
            + (port == null ? " (serverport asks for this peer's own port, not the server's;"
                + " the server is --server HOST:PORT, default localhost:30000; 0 picks a free port)" : ""));
        peer.close();
        return 2;
      }
      if (streams.system()) {
        handleSignals(peer, console);
      }
      console.line("listening on " + peer.address());
      console.line((id.created() ? "created identity " : "identity ") + keyFile + ", fingerprint "
          + id.keyPair().publicKey().fingerprint() + " (\"whois " + peerName + "\" shows it again)");
      Commands.helpLines().forEach(console::line);
      console.run(peer);
      return 0;
    } catch (IllegalArgumentException e) {
      streams.err().println("p2pchat peer: " + e.getMessage());
      return 2;
    } finally {
      if (logFile != null) {
        logFile.close();
      }
    }
  }

  private Console openConsole() {
    if (streams.system() && !plain && System.console() != null) {
      try {
        // The logs go to a file (--log), not above the prompt.
        JLineConsole console = JLineConsole.system(false);
        if (console.isInteractive()) {
          return console;
        }
        console.close();
      } catch (IOException | RuntimeException e) {
        streams.err().println("p2pchat peer: no usable terminal (" + e.getMessage() + "); reading plain lines");
      }
    }
    return new PlainConsole(streams.in(), streams.out());
  }

  /** On a terminal the 2018 question says what it asks for; a script sees the 2018 words exactly. */
  static final String PORT_QUESTION_TERMINAL = "serverport (this peer's own port; 0 picks one): ";

  private static Integer askPort(Console console, boolean terminal) {
    while (true) {
      String answer = console.ask(terminal ? PORT_QUESTION_TERMINAL : "serverport: ");
      if (answer == null) {
        return null;
      }
      try {
        int p = Integer.parseInt(answer.strip());
        if (p >= 0 && p <= 65535) {
          return p;
        }
      } catch (NumberFormatException e) {
        // Asked again below, as a person would expect.
      }
      console.line("a port is a number from 0 to 65535 (0 picks a free one)");
    }
  }

  private static String askName(Console console) {
    while (true) {
      String answer = console.ask("Your name: ");
      if (answer == null) {
        return null;
      }
      String problem = Names.problem(answer.strip());
      if (problem == null) {
        return answer.strip();
      }
      console.line(problem);
    }
  }

  /** {@code ~/.p2pchat/NAME/identity}: one key per name, so two local peers never share one. */
  static Path defaultIdentity(String peerName) {
    boolean plain = peerName.matches("[A-Za-z0-9_][A-Za-z0-9._-]*");
    String dir = plain ? peerName : "id-" + java.util.HexFormat.of().formatHex(
        peerName.getBytes(java.nio.charset.StandardCharsets.UTF_8)).substring(0, Math.min(32, 2 * peerName.length()));
    return IdentityFile.defaultPath().resolveSibling(dir).resolve("identity");
  }

  /** {@code 1234}, {@code 64K}, {@code 32M}, {@code 4G} (binary multiples) as bytes; must be positive. */
  static long bytes(String text, String option) {
    String t = text.strip().toUpperCase(Locale.ROOT);
    long unit = 1;
    if (!t.isEmpty() && "KMG".indexOf(t.charAt(t.length() - 1)) >= 0) {
      unit = 1L << (10 * ("KMG".indexOf(t.charAt(t.length() - 1)) + 1));
      t = t.substring(0, t.length() - 1);
    }
    try {
      long n = Long.parseLong(t);
      if (n < 1 || n > Long.MAX_VALUE / unit) {
        throw new NumberFormatException();
      }
      return n * unit;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " must be a positive size like 1048576, 64K, 32M or 4G, got '"
          + text + "'");
    }
  }

  /** Loopback stays on loopback; a host others can reach needs every interface. */
  static String defaultBind(String advertisedHost) {
    String h = advertisedHost.toLowerCase(Locale.ROOT);
    boolean local = h.equals("localhost") || h.startsWith("127.") || h.equals("::1") || h.equals("[::1]");
    return local ? "127.0.0.1" : "0.0.0.0";
  }

  /** SIGINT and SIGTERM leave like {@code exit} (DISCONNECT, EXIT_NETWORK if registered) and exit 0. */
  private static void handleSignals(ChatPeer peer, Console console) {
    Runnable leave = () -> {
      peer.close();
      console.close();
      System.exit(0);
    };
    Signals.register("TERM", leave);
    if (console instanceof JLineConsole) {
      // The terminal owns SIGINT: at the prompt Ctrl-C ends the read loop; elsewhere it comes here.
      ((JLineConsole) console).terminal().handle(Terminal.Signal.INT, signal -> leave.run());
    } else {
      Signals.register("INT", leave);
    }
  }
}
