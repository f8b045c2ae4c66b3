package org.p2pchat.sdk;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.p2pchat.protocol.HostPort;
import org.p2pchat.sdk.internal.FrameAssembler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts connections and reads each to end of stream as one frame, under a size cap and a read
 * deadline. It never parses: complete frames and rejections go to a {@link FrameSink}, which must hand
 * real work to other threads.
 *
 * <p>One I/O thread ({@code p2pchat-io-PORT}) accepts and reads every connection without blocking, so
 * an idle or stalled sender costs a buffer, not a thread, and never delays anyone else. A connection
 * that does not finish within the read deadline is cut off.
 *
 * <p>Accepted means handled: with {@code maxConnections} open at once, or while the sink says it is not
 * {@link FrameSink#ready() ready}, the listener stops accepting. New connections then wait in the
 * kernel's backlog (and the sender's connect timeout is the backpressure) rather than being accepted
 * and dropped.
 *
 * <p>Per source: one remote address may hold at most {@code maxConnectionsPerSource} connections open at
 * once; beyond that its new connections are accepted and closed unread (rejected as OVERLOADED), so one
 * source cannot take the slots everyone shares. No address is exempt unless listed in
 * {@code exemptSources} (not even loopback).
 */
public final class Listener implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Listener.class);
  private static final int ACCEPT_BATCH = 64;
  private static final long SWEEP_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

  /** Where the listener delivers what it read. Called on the I/O thread: return quickly. */
  public interface FrameSink {
    /** A connection that reached end of stream with at least one byte. */
    void onFrame(byte[] frame, InetSocketAddress remote, Instant receivedAt);

    /** A connection that was cut off or failed before it delivered a frame. */
    void onRejected(Rejection rejection);

    /**
     * Called after each pass over the ready connections, so that a sink can hand the frames of one pass
     * to another thread together rather than one at a time. Called on the I/O thread: return quickly.
     */
    default void onBatchEnd() {
    }

    /**
     * Whether the sink takes more frames now. While false the listener accepts no new connection (it
     * still finishes reading those it has), so nothing accepted has to be dropped. Called on the I/O thread.
     */
    default boolean ready() {
      return true;
    }
  }

  private final String host;
  private final int requestedPort;
  private final int maxBytes;
  private final long readTimeoutNanos;
  private final int maxConnections;
  private final int maxConnectionsPerSource;
  private final Set<InetAddress> exemptSources;
  /** Open connections by remote address; touched by the I/O thread only. */
  private final Map<InetAddress, Integer> openBySource = new HashMap<>();
  private final ByteBuffer scratch = ByteBuffer.allocateDirect(64 * 1024);

  private volatile boolean running;
  private Selector selector;
  private ServerSocketChannel server;
  private Thread ioThread;
  private HostPort boundAddress;
  private FrameSink sink;
  private int open;
  private SelectionKey acceptKey;

  private Listener(Builder b) {
    this.host = b.host;
    this.requestedPort = b.port;
    this.maxBytes = b.maxBytes;
    this.readTimeoutNanos = b.readTimeout.toNanos();
    this.maxConnections = b.maxConnections;
    this.maxConnectionsPerSource = b.maxConnectionsPerSource;
    this.exemptSources = Set.copyOf(b.exemptSources);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Binds and starts reading; frames go to {@code sink}. Throws if the address cannot be bound. */
  public synchronized Listener start(FrameSink sink) throws IOException {
    if (this.sink != null) {
      throw new IllegalStateException("already started");
    }
    this.sink = sink;
    selector = Selector.open();
    server = ServerSocketChannel.open();
    try {
      server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
      server.bind(new InetSocketAddress(host, requestedPort), 1024);
      server.configureBlocking(false);
      acceptKey = server.register(selector, SelectionKey.OP_ACCEPT);
    } catch (IOException e) {
      server.close();
      selector.close();
      throw new IOException("cannot listen on " + host + ":" + requestedPort + ": " + e.getMessage(), e);
    }
    InetSocketAddress local = (InetSocketAddress) server.getLocalAddress();
    boundAddress = new HostPort(host, local.getPort());
    running = true;
    ioThread = new Thread(this::run, "p2pchat-io-" + local.getPort());
    ioThread.setDaemon(true);
    ioThread.start();
    return this;
  }

  /** The bound address: the host asked for and the real port (never 0 once started). */
  public HostPort address() {
    return boundAddress;
  }

  public int maxBytes() {
    return maxBytes;
  }

  private void run() {
    long nextSweep = System.nanoTime() + SWEEP_INTERVAL_NANOS;
    try {
      while (running) {
        // Backpressure: no accept while full; the select timeout re-checks at least every sweep interval.
        acceptKey.interestOps(mayAccept() ? SelectionKey.OP_ACCEPT : 0);
        selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(nextSweep - System.nanoTime())));
        Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
        while (keys.hasNext()) {
          SelectionKey key = keys.next();
          keys.remove();
          if (!key.isValid()) {
            continue;
          }
          if (key.isAcceptable() && mayAccept()) {
            acceptAll();
          } else if (key.isReadable()) {
            read(key);
          }
        }
        sink.onBatchEnd();
        long now = System.nanoTime();
        if (now - nextSweep >= 0) {
          sweep(now);
          nextSweep = now + SWEEP_INTERVAL_NANOS;
        }
      }
    } catch (ClosedSelectorException e) {
      // close() raced us; the loop is over.
    } catch (IOException | RuntimeException e) {
      if (running) {
        log.error("listener on {} stopped unexpectedly", boundAddress, e);
      }
    }
  }

  private boolean mayAccept() {
    return open < maxConnections && sink.ready();
  }

  /**
   * Accepts at most a batch, then lets the loop read: accepting without bound while reads wait would
   * fill the connection limit with complete but unread messages under a burst.
   */
  private void acceptAll() {
    for (int i = 0; i < ACCEPT_BATCH && mayAccept(); i++) {
      SocketChannel channel;
      try {
        channel = server.accept();
      } catch (IOException e) {
        log.warn("accept failed on {}: {}", boundAddress, e.toString());
        return;
      }
      if (channel == null) {
        return;
      }
      InetSocketAddress remote = remoteOf(channel);
      InetAddress source = remote == null ? null : remote.getAddress();
      if (source != null && !exemptSources.contains(source)
          && openBySource.getOrDefault(source, 0) >= maxConnectionsPerSource) {
        closeQuietly(channel);
        sink.onRejected(new Rejection(RejectReason.OVERLOADED, remote, null,
            "source has " + maxConnectionsPerSource + " connections open already; closed without reading", null));
        continue;
      }
      open++;
      if (source != null) {
        openBySource.merge(source, 1, Integer::sum);
      }
      Connection conn = new Connection(remote, System.nanoTime() + readTimeoutNanos, maxBytes);
      try {
        channel.configureBlocking(false);
        // Most senders have written and closed before we accept: read now, and skip the selector.
        if (!read(channel, conn)) {
          channel.register(selector, SelectionKey.OP_READ, conn);
        }
      } catch (IOException e) {
        finish(channel, conn);
        sink.onRejected(new Rejection(RejectReason.IO_ERROR, remote, null, "cannot register: " + e, e));
      }
    }
  }

  private void read(SelectionKey key) {
    if (read((SocketChannel) key.channel(), (Connection) key.attachment())) {
      key.cancel();
    }
  }

  /** Reads what is available; true if the connection is finished (delivered, rejected or failed). */
  private boolean read(SocketChannel channel, Connection conn) {
    try {
      while (true) {
        scratch.clear();
        int n = channel.read(scratch);
        if (n < 0) {
          finish(channel, conn);
          if (conn.bytes.size() == 0) {
            sink.onRejected(new Rejection(RejectReason.EMPTY, conn.remote, null,
                "connection closed without sending anything", null));
          } else {
            sink.onFrame(conn.bytes.frame(), conn.remote, Instant.now());
          }
          return true;
        }
        if (n == 0) {
          return false;
        }
        scratch.flip();
        if (!conn.bytes.append(scratch)) {
          finish(channel, conn);
          sink.onRejected(new Rejection(RejectReason.TOO_LARGE, conn.remote, null,
              "message exceeds " + maxBytes + " bytes; connection closed after reading " + (conn.bytes.size() + n),
              null));
          return true;
        }
      }
    } catch (IOException e) {
      finish(channel, conn);
      sink.onRejected(new Rejection(RejectReason.IO_ERROR, conn.remote, null,
          "read failed after " + conn.bytes.size() + " bytes: " + e.getMessage(), e));
      return true;
    }
  }

  private void sweep(long now) {
    for (SelectionKey key : selector.keys()) {
      Object attachment = key.attachment();
      if (attachment instanceof Connection && now - ((Connection) attachment).deadline >= 0) {
        Connection conn = (Connection) attachment;
        key.cancel();
        finish((SocketChannel) key.channel(), conn);
        sink.onRejected(new Rejection(RejectReason.READ_TIMEOUT, conn.remote, null,
            conn.bytes.size() == 0 ? "sent nothing within the read deadline; connection closed"
                : "sent " + conn.bytes.size() + " bytes but no end of stream within the read deadline; connection closed",
            null));
      }
    }
  }

  private void finish(SocketChannel channel, Connection conn) {
    closeQuietly(channel);
    open--;
    InetAddress source = conn.remote == null ? null : conn.remote.getAddress();
    if (source != null) {
      openBySource.computeIfPresent(source, (k, n) -> n == 1 ? null : n - 1);
    }
  }

  @Override
  public void close() {
    Thread thread;
    synchronized (this) {
      if (!running) {
        return;
      }
      running = false;
      thread = ioThread;
    }
    selector.wakeup();
    try {
      thread.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      for (SelectionKey key : selector.keys()) {
        closeQuietly(key.channel());
      }
      selector.close();
    } catch (IOException | ClosedSelectorException e) {
      log.debug("closing selector of {}: {}", boundAddress, e.toString());
    }
    closeQuietly(server);
  }

  private static InetSocketAddress remoteOf(SocketChannel channel) {
    try {
      return (InetSocketAddress) channel.getRemoteAddress();
    } catch (IOException e) {
      return null;
    }
  }

  private static void closeQuietly(java.nio.channels.Channel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      log.debug("close failed: {}", e.toString());
    }
  }

  /** One connection being read. */
  private static final class Connection {
    final InetSocketAddress remote;
    final long deadline;
    final FrameAssembler bytes;

    Connection(InetSocketAddress remote, long deadline, int maxBytes) {
      this.remote = remote;
      this.deadline = deadline;
      this.bytes = new FrameAssembler(maxBytes);
    }
  }

  /** Listener settings; every default is documented on its setter. */
  public static final class Builder {
    private String host = "127.0.0.1";
    private int port = 0;
    private int maxBytes = 1024 * 1024;
    private Duration readTimeout = Duration.ofSeconds(10);
    private int maxConnections = 1024;
    private int maxConnectionsPerSource = 64;
    private Set<InetAddress> exemptSources = Set.of();

    /** Address to bind; default 127.0.0.1. */
    public Builder host(String host) {
      this.host = host;
      return this;
    }

    /** Port to bind; default 0 (a free port, see {@link Listener#address()}). */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be 0-65535, got " + port);
      }
      this.port = port;
      return this;
    }

    /** Largest message accepted; default 1 MiB. */
    public Builder maxBytes(int maxBytes) {
      if (maxBytes < 2) {
        throw new IllegalArgumentException("maxBytes must be at least 2, got " + maxBytes);
      }
      this.maxBytes = maxBytes;
      return this;
    }

    /** Time a sender has from connecting to end of stream; default 10 s. */
    public Builder readTimeout(Duration readTimeout) {
      this.readTimeout = Sender.positive(readTimeout, "readTimeout");
      return this;
    }

    /** Connections open at once; beyond it new ones wait in the kernel's backlog; default 1024. */
    public Builder maxConnections(int maxConnections) {
      if (maxConnections < 1) {
        throw new IllegalArgumentException("maxConnections must be at least 1, got " + maxConnections);
      }
      this.maxConnections = maxConnections;
      return this;
    }

    /**
     * Connections one remote address may hold open at once; beyond it its new connections are closed
     * unread (OVERLOADED); default 64. Loopback is not exempt: see {@link #exemptSources}.
     */
    public Builder maxConnectionsPerSource(int maxConnectionsPerSource) {
      if (maxConnectionsPerSource < 1) {
        throw new IllegalArgumentException("maxConnectionsPerSource must be at least 1, got " + maxConnectionsPerSource);
      }
      this.maxConnectionsPerSource = maxConnectionsPerSource;
      return this;
    }

    /** Remote addresses not held to {@link #maxConnectionsPerSource} (e.g. a trusted relay); default none. */
    public Builder exemptSources(Set<InetAddress> exemptSources) {
      this.exemptSources = Set.copyOf(exemptSources);
      return this;
    }

    public Listener build() {
      return new Listener(this);
    }
  }
}
