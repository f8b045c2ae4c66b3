package org.p2pchat.server;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.Set;
import java.util.function.Consumer;
import org.p2pchat.cli.Durations;
import org.p2pchat.identity.FreshnessGuard;
import org.p2pchat.identity.IdentityKey;
import org.p2pchat.identity.IdentityKeyPair;
import org.p2pchat.protocol.HostPort;
import org.p2pchat.sdk.Counters;
import org.p2pchat.sdk.Dispatcher;
import org.p2pchat.sdk.Node;
import org.p2pchat.server.internal.LeaseHandlers;
import org.p2pchat.server.internal.PeerTable;
import org.p2pchat.server.internal.Plural;
import org.p2pchat.server.internal.RendezvousHandlers;
import org.p2pchat.server.internal.ReplyOutbox;
import org.p2pchat.server.internal.SourceLimits;
import org.p2pchat.server.internal.ServerIdentity;
import org.p2pchat.server.internal.StateLocations;
import org.p2pchat.server.registry.RegistryOptions;
import org.p2pchat.server.registry.RegistryStores;
import org.p2pchat.server.registry.RegistryUrl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rendezvous server: peers REGISTER their name and listening address, ask for the list of peers
 * (LISTPEER) and leave (EXIT_NETWORK), exactly as the 2018 server served them, with a registry that
 * survives a crash.
 *
 * <p>A registration is on disk before REGISTER_SUCCESS is sent. Replies go asynchronously to the
 * advertised address with a timeout, so a dead or slow peer never holds anyone else up; a registration
 * whose address refuses a reply is dropped. Thread-safe.
 *
 * <pre>{@code
 * try (RendezvousServer server = RendezvousServer.builder().port(0).stateFile(path).build().start()) {
 *   System.out.println("listening on " + server.address());
 * }
 * }</pre>
 */
public final class RendezvousServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RendezvousServer.class);

  /** Sends at once to one reply address, and replies waiting for it; then a reply there fails at once. */
  static final int REPLIES_IN_FLIGHT = 8;
  static final int REPLIES_QUEUED = 10_000;
  /** How long an address whose connect timed out gets one send at a time and no queue. */
  static final Duration SUSPECT = Duration.ofSeconds(10);

  private final Builder config;
  private volatile RendezvousHandlers handlers;
  private volatile PeerTable table;
  private volatile Node node;
  private volatile IdentityKey serverKey;
  private ScheduledExecutorService sweeper;
  private volatile LeaseHandlers leaseHandlers;
  private boolean temporaryState;
  private boolean stopped;

  private RendezvousServer(Builder config) {
    this.config = config;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Loads the state file, then binds and starts serving; returns this. Throws {@link StateFileException}
   * if the state file is unusable (it is left untouched), or an {@link IOException} if the address cannot
   * be bound.
   */
  public synchronized RendezvousServer start() throws IOException {
    if (table != null) {
      throw new IllegalStateException("already started");
    }
    PeerTable opened;
    if (config.registry != null && config.registry.kind() == RegistryUrl.Kind.POSTGRESQL) {
      // RegistryOpenException: one line (bad login, missing rights, unreachable), printed by the CLI.
      opened = PeerTable.over(RegistryStores.open(config.registry, config.registryOptions));
      log.info("registry {}: {} registered", opened.describe(), Plural.peers(opened.size()));
    } else {
      Path state = config.registry != null ? config.registry.file() : config.stateFile;
      if (state == null && config.port == 0) {
        state = StateLocations.temporary();
        temporaryState = true;
      } else if (state == null) {
        state = StateLocations.forPort(config.port);
      }
      try {
        opened = PeerTable.open(state);
      } catch (StateFileException e) {
        deleteTemporary(state);
        throw e;
      }
      reportLoad(opened);
    }
    IdentityKeyPair key = config.identity != null ? config.identity : IdentityKeyPair.generate(new SecureRandom());
    log.info("server key {}{}", key.publicKey().fingerprint(),
        config.identity != null ? "" : " (temporary: no identity given)");
    // Replies to one address never wait behind another's (a tarpit holds its own queue only).
    ReplyOutbox outbox = new ReplyOutbox((to, message) -> node.sendAsync(to, message), REPLIES_IN_FLIGHT,
        REPLIES_QUEUED, SUSPECT.toNanos(), System::nanoTime);
    SourceLimits limits = new SourceLimits(new SourceLimits.Settings(config.messagesPerSource,
        burst(config.messagesPerSource), config.listpeersPerSource, burst(config.listpeersPerSource),
        config.maxNamesPerSource, config.exemptSources), System::nanoTime);
    PeerTable store = opened;
    ServerIdentity serverIdentity = new ServerIdentity(key, new FreshnessGuard(), store::claimNonce);
    LeaseHandlers leases = new LeaseHandlers(opened, serverIdentity, config.clock, config.lease, config.events);
    RendezvousHandlers handlers = new RendezvousHandlers(opened, outbox, config.events, serverIdentity, limits,
        config.maxPeers, leases);
    this.handlers = handlers;
    serverKey = key.publicKey();
    Node built = Node.builder()
        .name("p2pchat-server")
        .host(bindHost(config.host))
        .port(config.port)
        .maxMessageBytes(config.maxMessageBytes)
        .maxSendBytes(config.maxReplyBytes)
        .readTimeout(config.readTimeout)
        .connectTimeout(config.replyTimeout)
        .writeTimeout(config.replyTimeout)
        // Replies to dead or slow addresses each hold a sender thread until their timeout; enough
        // threads keep them from delaying replies to live peers.
        .sendThreads(32)
        .workerThreads(config.workerThreads)
        .maxConnectionsPerSource(config.maxConnectionsPerSource)
        .exemptSources(config.exemptSources)
        .dispatcher(leases.install(handlers.install(new Dispatcher()), handlers))
        .build();
    table = opened;
    node = built;
    try {
      built.start();
    } catch (IOException | RuntimeException e) {
      node = null;
      table = null;
      opened.close();
      opened.stateFile().ifPresent(this::deleteTemporary);
      throw e;
    }
    sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "p2pchat-lease-sweeper");
      t.setDaemon(true);
      return t;
    });
    leaseHandlers = leases;
    sweeper.scheduleWithFixedDelay(leases::sweep, 0, 1, TimeUnit.SECONDS);
    log.info("listening on {} with {} registered; {} {}; leases of {} s to peers that ask", built.address(),
        Plural.peers(opened.size()), opened.stateFile().isPresent() ? "state file" : "registry",
        opened.stateFile().map(Path::toString).orElse(opened.describe()), config.lease.toSeconds());
    return this;
  }

  private static void reportLoad(PeerTable table) {
    log.info("state file {}: {} loaded from {} records", table.file(), Plural.peers(table.size()),
        table.loaded().records());
    if (table.loaded().torn()) {
      log.warn("state file {}: ignored a torn last line, a write cut short by a crash and never acknowledged: {}",
          table.file(), table.loaded().tornTail());
    }
  }

  /** "localhost" binds the IPv4 loopback, where a 2018 peer (an AF_INET socket) connects. */
  static String bindHost(String host) {
    return "localhost".equalsIgnoreCase(host) ? "127.0.0.1" : host;
  }

  /** The bound address (with the real port when started on port 0). */
  public HostPort address() {
    return started().address();
  }

  /** The server's identity key, which signs its replies to keyed peers (docs/identity.md 4.2). */
  public IdentityKey serverKey() {
    started();
    return serverKey;
  }

  /** The registered peers, live. */
  public Registry registry() {
    started();
    return table;
  }

  /** The state file in use; throws {@link IllegalStateException} when the registry is a database. */
  public synchronized Path stateFile() {
    started();
    return table.file();
  }

  /** Where the registry lives: the state file, or the database URL without its password. */
  public synchronized String registryDescription() {
    started();
    return table.describe();
  }

  /** True if the registry is a database shared with other servers, not a state file. */
  public synchronized boolean sharedRegistry() {
    started();
    return table.stateFile().isEmpty();
  }

  /** True if the state file is a temporary one (port 0 and no state file given), deleted on stop. */
  public synchronized boolean temporaryState() {
    return temporaryState;
  }

  /** A token bucket's burst for {@code perSecond}: two seconds' worth, at least one. */
  private static int burst(double perSecond) {
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, Math.ceil(2 * perSecond)));
  }

  /** Messages not served so far because their source was over a per-source rate or name limit. */
  public long limited() {
    started();
    return handlers.limited();
  }

  /** Messages received, rejected by reason, replies sent and failed. */
  public Counters.Snapshot counters() {
    return started().counters();
  }

  /**
   * Stops: releases the port at once, waits up to {@code timeout} for messages in hand, then writes the
   * registry compacted and releases the state file. Returns false if some handler was still running.
   */
  public synchronized boolean stop(Duration timeout) {
    if (stopped || table == null) {
      return true;
    }
    stopped = true;
    boolean clean = node.stop(timeout);
    log.info("traffic: {}", node.counters());
    sweeper.shutdownNow();
    if (table.stateFile().isEmpty()) {
      table.close();
      log.info("stopped; registry {} left to the other servers", table.describe());
      return clean;
    }
    int peers = table.size();
    table.close();
    if (temporaryState) {
      deleteTemporary(table.file());
      log.info("stopped; temporary state file {} deleted", table.file());
    } else {
      log.info("stopped; {} saved in {}", Plural.peers(peers), table.file());
    }
    return clean;
  }

  /** One pass of the lease sweeper now (it also runs every second): for tests with their own clock. */
  int sweepLeases() {
    started();
    return leaseHandlers.sweep();
  }

  /** {@link #stop} with a 5 s timeout. */
  @Override
  public void close() {
    stop(Duration.ofSeconds(5));
  }

  private Node started() {
    Node current = node;
    if (current == null) {
      throw new IllegalStateException("not started");
    }
    return current;
  }

  private void deleteTemporary(Path state) {
    if (!temporaryState) {
      return;
    }
    try {
      Files.deleteIfExists(state);
      Files.deleteIfExists(state.resolveSibling(state.getFileName() + ".lock"));
    } catch (IOException e) {
      log.warn("cannot delete temporary state file {}: {}", state, e.toString());
    }
  }

  /** Server settings; every default is documented on its setter. */
  public static final class Builder {
    private String host = "localhost";
    private int port = 30000;
    private Path stateFile;
    private Duration replyTimeout = Duration.ofSeconds(3);
    private Duration readTimeout = Duration.ofSeconds(10);
    private int maxMessageBytes = 64 * 1024;
    private int maxReplyBytes = 64 * 1024 * 1024;
    private int workerThreads = 4;
    private int maxConnectionsPerSource = 64;
    private double messagesPerSource = 100;
    private double listpeersPerSource = 10;
    private int maxNamesPerSource = 256;
    private int maxPeers = 100_000;
    private Set<InetAddress> exemptSources = Set.of();
    private Consumer<String> events = RendezvousHandlers.NO_EVENTS;
    private IdentityKeyPair identity;
    private RegistryUrl registry;
    private RegistryOptions registryOptions = RegistryOptions.defaults();
    private Duration lease = Duration.ofSeconds(90);
    private Clock clock = Clock.systemUTC();

    /**
     * Where registrations live: {@code file:PATH} (the same as {@link #stateFile}) or a PostgreSQL
     * database shared with other servers (docs/registry.md); default the state file.
     */
    public Builder registry(RegistryUrl registry) {
      this.registry = registry;
      return this;
    }

    /** Pool size, connect timeout and cap of the registry; default {@link RegistryOptions#defaults()}. */
    public Builder registryOptions(RegistryOptions registryOptions) {
      this.registryOptions = Objects.requireNonNull(registryOptions, "registryOptions");
      return this;
    }

    /**
     * How long a registration of a peer that advertised the lease feature lives without a heartbeat;
     * default 90 s (peers are told to renew every third of it). At least 3 s.
     */
    public Builder lease(Duration lease) {
      if (Durations.positive(lease, "lease").toSeconds() < 3) {
        throw new IllegalArgumentException("lease must be at least 3 s, got " + lease);
      }
      this.lease = lease;
      return this;
    }

    /** The clock leases are measured with; default the system clock (tests inject their own). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * The server's long-term identity key (ServerMain loads it from {@code --identity FILE}); default a
     * fresh key for this run only, for tests and embedding.
     */
    public Builder identity(IdentityKeyPair identity) {
      this.identity = identity;
      return this;
    }

    /**
     * Address to listen on; default {@code localhost}, which binds the IPv4 loopback 127.0.0.1 like the
     * 2018 server. {@code 0.0.0.0} serves a LAN.
     */
    public Builder host(String host) {
      this.host = Objects.requireNonNull(host, "host");
      return this;
    }

    /** Port to listen on; default 30000, the 2018 server's. 0 picks a free port. */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be 0-65535, got " + port);
      }
      this.port = port;
      return this;
    }

    /**
     * The registry's file; default {@code ~/.p2pchat/server-state-PORT.jsonl}, or with port 0 a
     * temporary file deleted on stop. Its directory is created if missing.
     */
    public Builder stateFile(Path stateFile) {
      this.stateFile = stateFile;
      return this;
    }

    /** Time to connect to a peer to deliver a reply; default 3 s. */
    public Builder replyTimeout(Duration replyTimeout) {
      this.replyTimeout = Durations.positive(replyTimeout, "replyTimeout");
      return this;
    }

    /** Time a sender has to deliver its whole message; default 10 s. */
    public Builder readTimeout(Duration readTimeout) {
      this.readTimeout = Durations.positive(readTimeout, "readTimeout");
      return this;
    }

    /** Largest incoming message; default 64 KiB (a REGISTER is under 400 bytes). */
    public Builder maxMessageBytes(int maxMessageBytes) {
      if (maxMessageBytes < 2) {
        throw new IllegalArgumentException("maxMessageBytes must be at least 2, got " + maxMessageBytes);
      }
      this.maxMessageBytes = maxMessageBytes;
      return this;
    }

    /** Largest reply; default 64 MiB (a LISTPEER reply of 100,000 peers is about 4 MB). */
    public Builder maxReplyBytes(int maxReplyBytes) {
      if (maxReplyBytes < 2) {
        throw new IllegalArgumentException("maxReplyBytes must be at least 2, got " + maxReplyBytes);
      }
      this.maxReplyBytes = maxReplyBytes;
      return this;
    }

    /** Threads that run handlers; default 4. */
    public Builder workerThreads(int workerThreads) {
      if (workerThreads < 1) {
        throw new IllegalArgumentException("workerThreads must be at least 1, got " + workerThreads);
      }
      this.workerThreads = workerThreads;
      return this;
    }

    /**
     * Connections one remote address may hold open at once; beyond it its new connections are closed
     * unread; default 64. Loopback is not exempt.
     */
    public Builder maxConnectionsPerSource(int maxConnectionsPerSource) {
      if (maxConnectionsPerSource < 1) {
        throw new IllegalArgumentException("maxConnectionsPerSource must be at least 1, got "
            + maxConnectionsPerSource);
      }
      this.maxConnectionsPerSource = maxConnectionsPerSource;
      return this;
    }

    /**
     * Messages (of any type) one source address may send a second, with bursts of twice that; beyond it
     * its messages are not served (counted, logged rate-limited); default 100. Loopback is not exempt.
     */
    public Builder messagesPerSource(double perSecond) {
      this.messagesPerSource = positive(perSecond, "messagesPerSource");
      return this;
    }

    /** LISTPEER requests one source address may send a second, bursts of twice that; default 10. */
    public Builder listpeersPerSource(double perSecond) {
      this.listpeersPerSource = positive(perSecond, "listpeersPerSource");
      return this;
    }

    /**
     * Names one source address may hold registered at once; beyond it a REGISTER of a new name gets
     * REGISTER_ERROR; default 256.
     */
    public Builder maxNamesPerSource(int maxNamesPerSource) {
      if (maxNamesPerSource < 1) {
        throw new IllegalArgumentException("maxNamesPerSource must be at least 1, got " + maxNamesPerSource);
      }
      this.maxNamesPerSource = maxNamesPerSource;
      return this;
    }

    /**
     * Names the registry holds at most; beyond it a REGISTER of a new name gets REGISTER_ERROR; default
     * 100,000 (a full LISTPEER reply then stays under 34 MB, within the 64 MiB reply cap).
     */
    public Builder maxPeers(int maxPeers) {
      if (maxPeers < 1) {
        throw new IllegalArgumentException("maxPeers must be at least 1, got " + maxPeers);
      }
      this.maxPeers = maxPeers;
      return this;
    }

    /**
     * Source addresses held to none of the per-source limits (connections, message and LISTPEER rates,
     * names); default none.
     */
    public Builder exemptSources(Set<InetAddress> exemptSources) {
      this.exemptSources = Set.copyOf(exemptSources);
      return this;
    }

    private static double positive(double value, String what) {
      if (!(value > 0) || Double.isInfinite(value)) {
        throw new IllegalArgumentException(what + " must be a positive number, got " + value);
      }
      return value;
    }

    /** Also tell {@code events} each event the server logs (register, duplicate, list, exit, dropped). */
    public Builder events(Consumer<String> events) {
      this.events = Objects.requireNonNull(events, "events");
      return this;
    }

    public RendezvousServer build() {
      return new RendezvousServer(this);
    }

  }
}
