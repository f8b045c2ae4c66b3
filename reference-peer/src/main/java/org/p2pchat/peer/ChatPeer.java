package org.p2pchat.peer;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.function.Function;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.security.SecureRandom;
import org.p2pchat.cli.Durations;
import org.p2pchat.identity.Fingerprint;
import org.p2pchat.identity.HandshakeConfig;
import org.p2pchat.identity.IdentityException;
import org.p2pchat.identity.IdentityKeyPair;
import org.p2pchat.identity.KnownPeers;
import org.p2pchat.peer.internal.BadMessageNotice;
import org.p2pchat.peer.internal.Capabilities;
import org.p2pchat.filetransfer.FileTransferLimits;
import org.p2pchat.peer.internal.CommandRunner;
import org.p2pchat.peer.internal.ConnectedPeers;
import org.p2pchat.peer.internal.Conversations;
import org.p2pchat.peer.internal.FileTransfers;
import org.p2pchat.peer.internal.Identity;
import org.p2pchat.peer.internal.IncomingRequests;
import org.p2pchat.peer.internal.Lines;
import org.p2pchat.peer.internal.Names;
import org.p2pchat.peer.internal.Outbox;
import org.p2pchat.peer.internal.OutgoingRequests;
import org.p2pchat.peer.internal.PeerTrust;
import org.p2pchat.peer.internal.Wiring;
import org.p2pchat.peer.internal.ServerSession;
import org.p2pchat.protocol.HostPort;
import org.p2pchat.sdk.Dispatcher;
import org.p2pchat.sdk.Node;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A chat peer: the 2018 program's commands and output lines, driven by {@link #execute} one command line
 * at a time, with what happens shown through a {@link PeerOutput}.
 *
 * <pre>{@code
 * try (ChatPeer peer = ChatPeer.builder().name("alice").output(System.out::println).build().start()) {
 *   peer.execute("register");
 *   peer.execute("chat request localhost 40000");
 * }
 * }</pre>
 *
 * <p>Receiving runs on its own thread and never waits for the user: a chat request is a pending item
 * with a deadline, answered by {@code yes}/{@code no} (optionally naming the requester). {@link #close}
 * (and the {@code exit} command) disconnects from every connected peer and leaves the network if, and
 * only if, this peer's registration succeeded. Thread-safe.
 */
public final class ChatPeer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ChatPeer.class);

  private final String name;
  private final HostPort serverAddress;
  private final Duration connectTimeout;
  private final Node node;
  private final Identity identity;
  private final PeerTrust trust;
  private final ConnectedPeers connected = new ConnectedPeers();
  private final ServerSession server;
  private final IncomingRequests incoming;
  private final Conversations conversations;
  private final FileTransfers files;
  private final CommandRunner runner;
  private final ScheduledThreadPoolExecutor timer;
  private final Outbox outbox;
  private final PeerOutput output;
  /** The mesh (docs/mesh.md), or null without an identity or with the mesh off. */
  private final org.p2pchat.peer.internal.MeshLink mesh;
  private final BadMessageNotice badMessages;
  private final boolean verbose;
  private final java.util.concurrent.atomic.AtomicBoolean noticeScheduled = new java.util.concurrent.atomic.AtomicBoolean();
  /** True on the thread while it runs a typed command: lines shown then answer the user, not the network. */
  private final ThreadLocal<Boolean> typing = ThreadLocal.withInitial(() -> false);
  private static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("HH:mm ");
  private volatile boolean started;
  private volatile boolean closed;

  private ChatPeer(Builder b) {
    this.name = b.name;
    this.serverAddress = b.server;
    this.connectTimeout = b.connectTimeout;
    this.verbose = b.verbose;
    this.badMessages = new BadMessageNotice(Duration.ofMinutes(1), b.logName);
    // With timestamps, lines not caused by a typed command (messages, requests, answers) get HH:MM.
    // Every line passes the last guard: whatever came off the wire unescaped cannot reach the terminal raw.
    PeerOutput shown = b.timestamps
        ? text -> b.output.line(Lines.safeLine(typing.get() ? text : LocalTime.now().format(HH_MM) + text))
        : text -> b.output.line(Lines.safeLine(text));
    this.output = shown;
    Dispatcher dispatcher = new Dispatcher().onError(rejection -> onBadMessage());
    // The one list of what this peer advertises in CHAT_REQUEST/CHAT_ACCEPT (the handshake signs it as sent).
    Capabilities capabilities = new Capabilities(b.keys != null, b.mesh);
    this.identity = new Identity(b.name, b.advertisedHost, () -> node().address().port(), capabilities);
    this.timer = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "peer-" + b.name + "-timer");
      t.setDaemon(true);
      return t;
    });
    timer.setRemoveOnCancelPolicy(true);
    this.outbox = new Outbox(this::node, shown, b.connectTimeout);
    this.trust = b.keys == null ? null : trust(b, shown, capabilities);
    Function<String, String> verification = trust != null && b.verification == Conversations.NOT_VERIFIED
        ? peer -> connected.session(peer) != null ? "verified" : trust.status(peer)
        : b.verification;
    Wiring.Parts parts = Wiring.wire(identity, outbox, shown, connected, b.server, b.replyTimeout,
        b.requestExpiry, b.autoAccept, timer, Clock.systemUTC(), trust, capabilities, verification);
    this.server = parts.server();
    if (b.noServer) {
      server.withoutServer();
    }
    OutgoingRequests outgoing = parts.outgoing();
    this.incoming = parts.incoming();
    this.conversations = parts.conversations();
    server.registerHandlers(dispatcher);
    outgoing.registerHandlers(dispatcher);
    incoming.registerHandlers(dispatcher);
    conversations.registerHandlers(dispatcher);
    this.files = new FileTransfers(identity, connected, capabilities, shown,
        new FileTransfers.Settings(b.downloads, b.fileLimits, b.autoAcceptFiles), b.connectTimeout, trust);
    files.registerHandlers(dispatcher);
    this.mesh = trust != null && b.mesh ? Wiring.mesh(identity, trust, capabilities, connected, conversations,
        dispatcher, shown, Clock.systemUTC(), b.connectTimeout, b.meshConfig) : null;
    // Built after every handler is registered: the node copies the handler table at build().
    this.node = Node.builder()
        .name("peer-" + b.name)
        .host(b.bindHost)
        .port(b.port)
        .connectTimeout(b.connectTimeout)
        .maxSendBytes(b.maxSendBytes)
        // One worker: messages are shown in the order the listener hands them over. Handlers never block.
        .workerThreads(1)
        .dispatcher(dispatcher)
        .build();
    this.runner = new CommandRunner(server, outgoing, incoming, conversations, trust, files, shown, this::close);
  }

  private static PeerTrust trust(Builder b, PeerOutput shown, Capabilities capabilities) {
    try {
      return new PeerTrust(b.keys, b.knownPeers, b.server, b.serverKey, new SecureRandom(), Clock.systemUTC(),
          b.handshakeConfig.withFeatures(capabilities.advertisedList()), shown);
    } catch (IdentityException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  /** This peer's key fingerprint, or null when it runs without an identity (2018 behaviour). */
  public Fingerprint fingerprint() {
    return trust == null ? null : trust.fingerprint();
  }

  /** The node, for senders wired before it was built (it exists once the constructor has run). */
  private Node node() {
    return node;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Binds the listening port and starts receiving; returns this. */
  public synchronized ChatPeer start() throws IOException {
    if (closed) {
      throw new IllegalStateException("closed");
    }
    node.start();
    started = true;
    log.info("{} listening on {}, advertising {}, server {}", name, node.address(), identity.address(),
        serverAddress);
    return this;
  }

  /**
   * Runs one command line exactly as if it were typed. Returns false once the peer is closed (the line
   * was {@code exit}, or the peer was closed before).
   */
  public boolean execute(String line) {
    if (closed || !started) {
      return false;
    }
    typing.set(true);
    try {
      return runner.run(line);
    } finally {
      typing.set(false);
    }
  }

  /** The prompt to show: {@code >> }, or {@code NAME> } in a conversation with NAME. */
  public String prompt() {
    String current = conversations.current();
    return current == null ? org.p2pchat.peer.internal.JLineConsole.PROMPT : PeerOutput.printable(current) + "> ";
  }

  /** A message from the network was rejected: counted, in the log, and on screen at most once a minute. */
  private void onBadMessage() {
    if (verbose) {
      return; // the log lines themselves are on screen
    }
    String line = badMessages.count(Instant.now());
    if (line != null) {
      output.line(line);
      return;
    }
    Instant at = badMessages.nextLineAt();
    if (at != null && noticeScheduled.compareAndSet(false, true)) {
      try {
        timer.schedule(() -> {
          noticeScheduled.set(false);
          String later = badMessages.flush(Instant.now());
          if (later != null) {
            output.line(later);
          }
        }, Math.max(0, Duration.between(Instant.now(), at).toMillis()), TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        noticeScheduled.set(false); // shutting down
      }
    }
  }

  public String name() {
    return name;
  }

  /** Where this peer listens, as bound (its real port). */
  public HostPort address() {
    return node.address();
  }

  /** The address this peer tells others: the advertised host and the bound port. */
  public HostPort advertisedAddress() {
    return identity.address();
  }

  /** The peers this one chats with, name to address. */
  public Map<String, HostPort> connectedPeers() {
    return connected.snapshot();
  }

  /** True while the server has accepted this peer's registration and it has not left. */
  public boolean isRegistered() {
    return server.isRegistered();
  }

  /** Number of chat requests from other peers awaiting this user's answer. */
  public int pendingRequestCount() {
    return incoming.size();
  }

  /** Every peer name this peer knows (connected, last listpeer, awaiting an answer), for completion. */
  public Set<String> knownPeerNames() {
    Set<String> names = new LinkedHashSet<>(connected.snapshot().keySet());
    names.addAll(server.lastPeerList().keySet());
    names.addAll(incoming.requesterNames());
    names.remove(name); // never offer the user's own name
    return names;
  }

  public boolean isClosed() {
    return closed;
  }

  /**
   * Leaves and stops: refuses the chat requests still waiting, sends DISCONNECT to every connected peer
   * and EXIT_NETWORK if registered, waits for those sends (at most the connect timeout and a second),
   * then stops listening. Idempotent; a second caller waits for the first to finish.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (started) {
      List<CompletableFuture<Boolean>> sends = new ArrayList<>(incoming.refuseAll());
      sends.addAll(files.closeAll());
      sends.addAll(conversations.disconnectAll());
      sends.add(server.leave(Duration.ofSeconds(2)));
      awaitAll(sends, connectTimeout.plusSeconds(1));
    }
    timer.shutdownNow();
    files.shutdown();
    if (mesh != null) {
      mesh.close();
    }
    node.stop(Duration.ofSeconds(2));
    outbox.close();
  }

  /**
   * Stops at once without telling anyone, as a crash or {@code kill -9} would: no DISCONNECT, no EXIT_NETWORK.
   * For fault tests and the demo.
   */
  public synchronized void abort() {
    if (closed) {
      return;
    }
    closed = true;
    timer.shutdownNow();
    if (mesh != null) {
      mesh.close();
    }
    node.stop(Duration.ZERO);
    outbox.close();
  }

  /** Peers reachable through the mesh (name, hops, next hop), nearest first; empty without a mesh. */
  public List<org.p2pchat.mesh.RouteView> network() {
    return mesh == null ? List.of() : mesh.routes();
  }

  /** This peer's relayed messages still awaiting an end-to-end acknowledgement; 0 without a mesh. */
  public int meshPendingCount() {
    return mesh == null ? 0 : mesh.pendingCount();
  }

  /** The mesh links this peer has (direct neighbours that speak mesh); empty without a mesh. */
  public List<String> meshNeighbours() {
    return mesh == null ? List.of() : mesh.neighbours();
  }

  private static void awaitAll(List<CompletableFuture<Boolean>> sends, Duration timeout) {
    try {
      CompletableFuture.allOf(sends.toArray(new CompletableFuture<?>[0])).get(timeout.toMillis(),
          TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      log.warn("stopping with goodbye messages still unsent after {} ms", timeout.toMillis());
    } catch (ExecutionException e) {
      log.warn("sending goodbye messages failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Peer settings; every default is documented on its setter. */
  public static final class Builder {
    private String name;
    private String advertisedHost = "localhost";
    private String bindHost = "127.0.0.1";
    private int port = 0;
    private HostPort server = new HostPort("localhost", 30000);
    private Duration requestExpiry = Duration.ofSeconds(60);
    private Duration replyTimeout = Duration.ofSeconds(10);
    private Duration connectTimeout = Duration.ofSeconds(5);
    private boolean autoAccept = false;
    private int maxSendBytes = 1024;
    private PeerOutput output = text -> { };
    private IdentityKeyPair keys;
    private KnownPeers knownPeers;
    private Fingerprint serverKey;
    private HandshakeConfig handshakeConfig = HandshakeConfig.DEFAULTS;
    private boolean noServer = false;
    private boolean mesh = true;
    private org.p2pchat.mesh.MeshConfig meshConfig = org.p2pchat.mesh.MeshConfig.defaults();

    private boolean timestamps = false;
    private boolean verbose = false;
    private String logName = "the log";
    private Function<String, String> verification = Conversations.NOT_VERIFIED;
    private Path downloads = defaultDownloads();
    private FileTransferLimits fileLimits = FileTransferLimits.defaults();
    private boolean autoAcceptFiles = false;

    private Builder() {}

    /** Put HH:MM before lines that come from the network rather than from a typed command; default false. */
    public Builder timestamps(boolean timestamps) {
      this.timestamps = timestamps;
      return this;
    }

    /**
     * Where bad messages from the network are logged, as the screen's "N bad messages ignored (see LOG)"
     * line names it; default "the log". The line comes at most once a minute.
     */
    public Builder logName(String logName) {
      this.logName = Objects.requireNonNull(logName);
      return this;
    }

    /** The log lines themselves are shown (by whoever routes the log), so no summary line; default false. */
    public Builder verbose(boolean verbose) {
      this.verbose = verbose;
      return this;
    }

    /** What {@code who} shows as a peer's identity state; default "-" (not verified). */
    public Builder verification(Function<String, String> verification) {
      this.verification = Objects.requireNonNull(verification);
      return this;
    }

    /**
     * Speak identity-v1 (docs/identity.md) with this key pair and these pins; default none: the peer behaves
     * exactly as the 2018 program (plaintext, unsigned).
     */
    public Builder identity(IdentityKeyPair keys, KnownPeers knownPeers) {
      this.keys = Objects.requireNonNull(keys);
      this.knownPeers = Objects.requireNonNull(knownPeers);
      return this;
    }

    /** The server's key fingerprint, pinned up front ({@code --server-key}); default none (pinned on first use). */
    public Builder serverKey(Fingerprint serverKey) {
      this.serverKey = serverKey;
      return this;
    }

    /** Handshake deadlines; default {@link HandshakeConfig#DEFAULTS} (10 min for an answer, 60 s to confirm). */
    public Builder handshakeConfig(HandshakeConfig handshakeConfig) {
      this.handshakeConfig = Objects.requireNonNull(handshakeConfig);
      return this;
    }

    /** This peer's name; required. One word of 1 to 64 characters. */
    public Builder name(String name) {
      this.name = name;
      return this;
    }

    /** The host this peer tells others to reach it at; default {@code localhost}, as in 2018. */
    public Builder advertisedHost(String advertisedHost) {
      this.advertisedHost = Objects.requireNonNull(advertisedHost);
      return this;
    }

    /** The address to listen on; default 127.0.0.1 (0.0.0.0 listens on every interface). */
    public Builder bindHost(String bindHost) {
      this.bindHost = Objects.requireNonNull(bindHost);
      return this;
    }

    /** The port to listen on; default 0, a free port. */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port out of range 0-65535: " + port);
      }
      this.port = port;
      return this;
    }

    /**
     * Take part in the mesh (docs/mesh.md): advertise {@code mesh}, relay, route, {@code list network}; default
     * true. Needs an identity: a peer without one never speaks mesh.
     */
    public Builder mesh(boolean mesh) {
      this.mesh = mesh;
      return this;
    }

    /** The mesh's timers and bounds; default {@link org.p2pchat.mesh.MeshConfig#defaults()}. */
    public Builder meshConfig(org.p2pchat.mesh.MeshConfig meshConfig) {
      this.meshConfig = Objects.requireNonNull(meshConfig);
      return this;
    }

    /** Run with no rendezvous server ({@code --no-server}); default false. */
    public Builder noServer(boolean noServer) {
      this.noServer = noServer;
      return this;
    }

    /** The rendezvous server; default {@code localhost:30000}, as in 2018. */
    public Builder server(HostPort server) {
      this.server = Objects.requireNonNull(server);
      return this;
    }

    /**
     * How long an incoming chat request waits for the user's answer before it is refused; default 60 s.
     * Our own requests wait this long plus the reply timeout.
     */
    public Builder requestExpiry(Duration requestExpiry) {
      this.requestExpiry = Durations.positive(requestExpiry, "requestExpiry");
      return this;
    }

    /** How long to wait for the server to answer a register; default 10 s. */
    public Builder replyTimeout(Duration replyTimeout) {
      this.replyTimeout = Durations.positive(replyTimeout, "replyTimeout");
      return this;
    }

    /** How long connecting to a peer or the server may take; default 5 s. */
    public Builder connectTimeout(Duration connectTimeout) {
      this.connectTimeout = Durations.positive(connectTimeout, "connectTimeout");
      return this;
    }

    /** Accept every chat request at once (for demos, conformance runs and benchmarks); default false. */
    public Builder autoAccept(boolean autoAccept) {
      this.autoAccept = autoAccept;
      return this;
    }

    /**
     * Largest message this peer sends; default 1024 bytes, what a 2018 receiver reads in its one
     * {@code recv(1024)}: longer would be cut, and kill its receiving thread.
     */
    public Builder maxSendBytes(int maxSendBytes) {
      if (maxSendBytes < 64) {
        throw new IllegalArgumentException("maxSendBytes must be at least 64, got " + maxSendBytes);
      }
      this.maxSendBytes = maxSendBytes;
      return this;
    }

    /** Where lines are shown; default nowhere. Must be thread-safe. */
    public Builder output(PeerOutput output) {
      this.output = Objects.requireNonNull(output);
      return this;
    }

    /**
     * Where received files go; default {@code ~/Downloads/p2pchat} (created on the first download). Partial
     * downloads wait there as hidden {@code .part} files until they resume.
     */
    public Builder downloads(Path downloads) {
      this.downloads = Objects.requireNonNull(downloads).toAbsolutePath();
      return this;
    }

    /** File transfer limits (size, transfers per peer, bytes a second per peer, timeouts); default the engine's. */
    public Builder fileLimits(FileTransferLimits fileLimits) {
      this.fileLimits = Objects.requireNonNull(fileLimits);
      return this;
    }

    /** Accept every file offer at once (for demos and benchmarks); default false: the user answers each. */
    public Builder autoAcceptFiles(boolean autoAcceptFiles) {
      this.autoAcceptFiles = autoAcceptFiles;
      return this;
    }

    /** {@code ~/Downloads/p2pchat}: where people look for what they downloaded. */
    public static Path defaultDownloads() {
      return Path.of(System.getProperty("user.home"), "Downloads", "p2pchat");
    }

    /** Builds the peer; throws IllegalArgumentException naming the problem if the name is unusable. */
    public ChatPeer build() {
      String problem = Names.problem(name);
      if (problem != null) {
        throw new IllegalArgumentException("bad peer name '" + name + "': " + problem);
      }
      return new ChatPeer(this);
    }

  }
}
