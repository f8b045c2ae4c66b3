package org.p2pchat.sdk;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.p2pchat.protocol.HostPort;
import org.p2pchat.protocol.MessageValidator;
import org.p2pchat.protocol.WireJson;
import org.p2pchat.sdk.internal.FrameHandoff;
import org.p2pchat.sdk.internal.NamedThreads;

/**
 * A protocol endpoint: a {@link Listener} that reads frames, a bounded pool of workers that decode and
 * dispatch them through a {@link Dispatcher}, and a {@link Sender} for outgoing messages, with one
 * start/stop lifecycle. Servers and peers are both nodes; they differ only in their handlers.
 *
 * <pre>{@code
 * Dispatcher dispatcher = new Dispatcher()
 *     .on(ChatMessage.class, (msg, ctx) -> System.out.println(msg.getPeername() + ": " + msg.getMessage()));
 * try (Node node = Node.builder().port(0).dispatcher(dispatcher).build().start()) {
 *   node.send(HostPort.parse("localhost:4000"), new ChatMessage().withPeername("me").withMessage("hi"));
 * }
 * }</pre>
 */
public final class Node implements AutoCloseable {
  /** Frames handed to one worker task at most, so that a burst still spreads over the workers. */
  private static final int MAX_BATCH = 16;

  /** The builder's settings, copied at {@link Builder#build()}: changing the builder later changes nothing. */
  private record Config(String name, String host, int port, int maxMessageBytes, int maxSendBytes,
      Duration readTimeout, Duration connectTimeout, Duration writeTimeout, int sendThreads, int sendQueue,
      Duration stopTimeout, int maxConnections, int maxConnectionsPerSource, Set<InetAddress> exemptSources,
      int workerThreads, int workQueue, boolean validateIncoming,
      boolean validateOutgoing, WireJson.Style style) {}

  private final Config config;
  private final Counters counters = new Counters();
  private final FrameDispatcher dispatch;
  private final Listener listener;
  private final Sender sender;
  private final ThreadPoolExecutor workers;
  private final FrameHandoff handoff;

  /** All the node's wiring, in one place. */
  private Node(Config c, Dispatcher handlers) {
    this.config = c;
    // One validator for incoming messages, one for outgoing (their size caps differ), each used for real.
    Codec incoming = new Codec(MessageValidator.withMaxBytes(Math.max(c.maxMessageBytes(), 2)), c.validateIncoming(),
        c.validateOutgoing(), c.style());
    this.dispatch = handlers.build(incoming, counters);
    this.listener = Listener.builder()
        .host(c.host())
        .port(c.port())
        .maxBytes(c.maxMessageBytes())
        .readTimeout(c.readTimeout())
        .maxConnections(c.maxConnections())
        .maxConnectionsPerSource(c.maxConnectionsPerSource())
        .exemptSources(c.exemptSources())
        .build();
    this.sender = Sender.builder()
        .codec(new Codec(MessageValidator.withMaxBytes(c.maxSendBytes()), c.validateOutgoing(), c.style()))
        .connectTimeout(c.connectTimeout())
        .writeTimeout(c.writeTimeout())
        .asyncThreads(c.sendThreads())
        .asyncQueue(c.sendQueue())
        .maxBytes(c.maxSendBytes())
        .counters(counters)
        .build();
    // Unbounded here, bounded by the hand-off: past workQueue frames the listener stops accepting, so at
    // most workQueue + maxConnections frames ever wait (accepted means handled).
    this.workers = new ThreadPoolExecutor(c.workerThreads(), c.workerThreads(), 0, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(), new NamedThreads(c.name() + "-worker"));
    this.handoff = new FrameHandoff(dispatch, workers, c.workQueue(), MAX_BATCH);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Binds the listener and starts serving; returns this. */
  public Node start() throws IOException {
    listener.start(handoff);
    return this;
  }

  /** The bound listening address (its real port once started). */
  public HostPort address() {
    return listener.address();
  }

  /** Encodes, validates and sends {@code message} to {@code target} on a new connection. */
  public void send(HostPort target, Object message) throws SendException {
    sender.send(target, message);
  }

  /** {@link #send} without blocking the caller. */
  public CompletableFuture<Void> sendAsync(HostPort target, Object message) {
    return sender.sendAsync(target, message);
  }

  public Sender sender() {
    return sender;
  }

  /** Whether this node has a handler for {@code type} (as its table was when the node was built). */
  public boolean handles(org.p2pchat.protocol.MessageType type) {
    return dispatch.handles(type);
  }

  public Counters.Snapshot counters() {
    return counters.snapshot();
  }

  /**
   * Stops: releases the port at once, then waits up to {@code timeout} for handlers in flight.
   * Returns false if some were still running when the time was up.
   */
  public boolean stop(Duration timeout) {
    listener.close();
    workers.shutdown();
    boolean done;
    try {
      done = workers.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      done = false;
    }
    if (!done) {
      workers.shutdownNow();
    }
    sender.close();
    return done;
  }

  /** {@link #stop} with the builder's stop timeout. */
  @Override
  public void close() {
    stop(config.stopTimeout());
  }

  /** Node settings; every default is documented on its setter. */
  public static final class Builder {
    private String name = "p2pchat";
    private String host = "127.0.0.1";
    private int port = 0;
    private int maxMessageBytes = 1024 * 1024;
    private int maxSendBytes = 16 * 1024 * 1024;
    private Duration readTimeout = Duration.ofSeconds(10);
    private Duration connectTimeout = Duration.ofSeconds(5);
    private Duration writeTimeout = Duration.ofSeconds(10);
    private int sendThreads = 8;
    private int sendQueue = 10_000;
    private Duration stopTimeout = Duration.ofSeconds(5);
    private int maxConnections = 1024;
    private int maxConnectionsPerSource = 64;
    private Set<InetAddress> exemptSources = Set.of();
    private int workerThreads = 4;
    private int workQueue = 10_000;
    private boolean validateIncoming = true;
    private boolean validateOutgoing = true;
    private WireJson.Style style = WireJson.Style.PYTHON;
    private Dispatcher dispatcher = new Dispatcher();

    /** Prefix of the worker threads' names; default {@code p2pchat}. */
    public Builder name(String name) {
      this.name = name;
      return this;
    }

    /** Address to listen on; default 127.0.0.1. */
    public Builder host(String host) {
      this.host = host;
      return this;
    }

    /** Port to listen on; default 0, a free port. */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    /** Largest incoming message; default 1 MiB. */
    public Builder maxMessageBytes(int maxMessageBytes) {
      this.maxMessageBytes = maxMessageBytes;
      return this;
    }

    /** Largest outgoing message; default 16 MiB. */
    public Builder maxSendBytes(int maxSendBytes) {
      this.maxSendBytes = maxSendBytes;
      return this;
    }

    /** Time a sender has to deliver its whole message; default 10 s. */
    public Builder readTimeout(Duration readTimeout) {
      this.readTimeout = readTimeout;
      return this;
    }

    /** Default 5 s. */
    public Builder connectTimeout(Duration connectTimeout) {
      this.connectTimeout = connectTimeout;
      return this;
    }

    /** Time a large write (over 64 KiB) may take before the connection is cut; default 10 s. */
    public Builder writeTimeout(Duration writeTimeout) {
      this.writeTimeout = writeTimeout;
      return this;
    }

    /** Threads for {@link Node#sendAsync}; default 8. More keep slow or dead addresses from delaying others. */
    public Builder sendThreads(int sendThreads) {
      this.sendThreads = sendThreads;
      return this;
    }

    /** Asynchronous sends queued before new ones fail; default 10,000. */
    public Builder sendQueue(int sendQueue) {
      this.sendQueue = sendQueue;
      return this;
    }

    /** How long {@link Node#close()} waits for handlers in flight; default 5 s. */
    public Builder stopTimeout(Duration stopTimeout) {
      this.stopTimeout = stopTimeout;
      return this;
    }

    /** Connections open at once; beyond it new ones wait in the kernel's backlog; default 1024. */
    public Builder maxConnections(int maxConnections) {
      this.maxConnections = maxConnections;
      return this;
    }

    /**
     * Connections one remote address may hold open at once; beyond it its new connections are closed
     * unread (OVERLOADED); default 64. Loopback is not exempt unless listed in {@link #exemptSources}.
     */
    public Builder maxConnectionsPerSource(int maxConnectionsPerSource) {
      this.maxConnectionsPerSource = maxConnectionsPerSource;
      return this;
    }

    /** Remote addresses not held to {@link #maxConnectionsPerSource}; default none. */
    public Builder exemptSources(Set<InetAddress> exemptSources) {
      this.exemptSources = Set.copyOf(exemptSources);
      return this;
    }

    /** Threads that decode and run handlers; default 4. */
    public Builder workerThreads(int workerThreads) {
      this.workerThreads = workerThreads;
      return this;
    }

    /** Messages waiting for a worker before the listener stops accepting (none is dropped); default 10,000. */
    public Builder workQueue(int workQueue) {
      this.workQueue = workQueue;
      return this;
    }

    /** Validate incoming msgdata against the schemas; default true. Turn off only to measure its cost. */
    public Builder validateIncoming(boolean validateIncoming) {
      this.validateIncoming = validateIncoming;
      return this;
    }

    /** Validate outgoing messages against the schemas; default true. */
    public Builder validateOutgoing(boolean validateOutgoing) {
      this.validateOutgoing = validateOutgoing;
      return this;
    }

    /** How outgoing JSON is written; default {@link WireJson.Style#PYTHON}, the 2018 program's form. */
    public Builder style(WireJson.Style style) {
      this.style = style;
      return this;
    }

    /** The handlers; default an empty dispatcher. */
    public Builder dispatcher(Dispatcher dispatcher) {
      this.dispatcher = dispatcher;
      return this;
    }

    public Node build() {
      return new Node(new Config(name, host, port, maxMessageBytes, maxSendBytes, readTimeout, connectTimeout,
          writeTimeout, sendThreads, sendQueue, stopTimeout, maxConnections, maxConnectionsPerSource, exemptSources,
          workerThreads, workQueue,
          validateIncoming, validateOutgoing, style), dispatcher);
    }
  }
}
