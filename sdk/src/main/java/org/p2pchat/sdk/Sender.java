package org.p2pchat.sdk;

import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.p2pchat.protocol.HostPort;
import org.p2pchat.protocol.WireJson;
import org.p2pchat.sdk.internal.NamedThreads;

/**
 * Sends one message per connection: connect (with a timeout), write the whole message in one write,
 * shut down output, close. Nothing is read back: replies arrive as new connections to our listener.
 *
 * <p>Thread-safe. {@link #send} blocks until the bytes are handed to the kernel; {@link #sendAsync}
 * does the same on the sender's own bounded pool. Close it to stop that pool.
 */
public final class Sender implements AutoCloseable {
  /** Writes larger than this get a watchdog, since a socket write has no timeout of its own. */
  private static final int WATCHDOG_THRESHOLD = 64 * 1024;

  private final Codec codec;
  private final Duration connectTimeout;
  private final Duration writeTimeout;
  private final int maxBytes;
  private final Counters counters;
  private final ExecutorService pool;
  private final ScheduledExecutorService watchdog;

  private Sender(Builder b) {
    this.codec = b.codec;
    this.connectTimeout = b.connectTimeout;
    this.writeTimeout = b.writeTimeout;
    this.maxBytes = b.maxBytes;
    this.counters = b.counters;
    ThreadPoolExecutor executor = new ThreadPoolExecutor(b.asyncThreads, b.asyncThreads, 30, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(b.asyncQueue), new NamedThreads("p2pchat-send"));
    executor.allowCoreThreadTimeOut(true);
    this.pool = executor;
    ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, new NamedThreads("p2pchat-send-watchdog"));
    scheduler.setRemoveOnCancelPolicy(true);
    this.watchdog = scheduler;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Encodes (and by default validates) {@code message}, then sends it to {@code target}. */
  public void send(HostPort target, Object message) throws SendException {
    byte[] bytes;
    try {
      bytes = codec.encode(message);
    } catch (ProtocolException e) {
      counters.sendFailed();
      if (e.reason() == RejectReason.TOO_LARGE) {
        throw new SendException(SendException.Reason.OVERSIZED, target,
            "not sending " + e.msgtype() + " to " + target + ": " + e.violations().get(0).message(), e);
      }
      throw new SendException(SendException.Reason.INVALID_MESSAGE, target,
          "not sending invalid " + e.msgtype() + " to " + target + ": " + e.getMessage(), e);
    }
    sendRaw(target, bytes, WireJson.typeOf(message).wireName());
  }

  /** Sends bytes as they are, unvalidated: for tests, conformance probes and relaying. */
  public void sendRaw(HostPort target, byte[] bytes) throws SendException {
    sendRaw(target, bytes, "message");
  }

  /** {@link #send} on the sender's pool; the future fails with a {@link SendException}. */
  public CompletableFuture<Void> sendAsync(HostPort target, Object message) {
    CompletableFuture<Void> result = new CompletableFuture<>();
    try {
      pool.execute(() -> {
        try {
          send(target, message);
          result.complete(null);
        } catch (SendException e) {
          result.completeExceptionally(e);
        } catch (RuntimeException e) {
          result.completeExceptionally(e);
        }
      });
    } catch (RejectedExecutionException e) {
      counters.sendFailed();
      result.completeExceptionally(new SendException(SendException.Reason.IO, target,
          "send queue full or sender closed; not sending to " + target, e));
    }
    return result;
  }

  private void sendRaw(HostPort target, byte[] bytes, String what) throws SendException {
    Objects.requireNonNull(target, "target");
    if (bytes.length > maxBytes) {
      counters.sendFailed();
      throw new SendException(SendException.Reason.OVERSIZED, target,
          what + " of " + bytes.length + " bytes is over the sender's limit of " + maxBytes, null);
    }
    try (Socket socket = new Socket()) {
      socket.setTcpNoDelay(true);
      socket.connect(new InetSocketAddress(target.host(), target.port()), (int) connectTimeout.toMillis());
      ScheduledFuture<?> guard = bytes.length > WATCHDOG_THRESHOLD
          ? watchdog.schedule(() -> closeQuietly(socket), writeTimeout.toMillis(), TimeUnit.MILLISECONDS)
          : null;
      try {
        OutputStream out = socket.getOutputStream();
        // One write: a 2018 receiver does a single recv(1024) and must see the whole message.
        out.write(bytes);
        out.flush();
        socket.shutdownOutput();
      } finally {
        if (guard != null && !guard.cancel(false)) {
          throw new SocketTimeoutException("write did not finish within " + writeTimeout.toMillis() + " ms");
        }
      }
      counters.sent();
    } catch (IOException e) {
      counters.sendFailed();
      throw classify(target, what, e);
    }
  }

  private SendException classify(HostPort target, String what, IOException e) {
    String prefix = "cannot send " + what + " to " + target + ": ";
    if (e instanceof UnknownHostException) {
      return new SendException(SendException.Reason.UNKNOWN_HOST, target, prefix + "unknown host " + target.host(), e);
    }
    if (e instanceof SocketTimeoutException) {
      return new SendException(SendException.Reason.TIMED_OUT, target, prefix + "timed out ("
          + e.getMessage() + ")", e);
    }
    if (e instanceof NoRouteToHostException) {
      return new SendException(SendException.Reason.UNREACHABLE, target, prefix + "no route to host", e);
    }
    if (e instanceof ConnectException) {
      // ECONNREFUSED is the usual ConnectException; its text may be localized, so only "unreachable"
      // (ENETUNREACH, from the JDK's own wording) is told apart.
      String m = String.valueOf(e.getMessage());
      if (m.toLowerCase(java.util.Locale.ROOT).contains("unreachable")) {
        return new SendException(SendException.Reason.UNREACHABLE, target, prefix + m, e);
      }
      return new SendException(SendException.Reason.REFUSED, target, prefix
          + "connection refused (nothing is listening there)", e);
    }
    return new SendException(SendException.Reason.IO, target, prefix + e.getMessage(), e);
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // Closing is how the watchdog cancels a stuck write; nothing more to do.
    }
  }

  public Codec codec() {
    return codec;
  }

  @Override
  public void close() {
    pool.shutdown();
    watchdog.shutdownNow();
    try {
      if (!pool.awaitTermination(5, TimeUnit.SECONDS)) {
        pool.shutdownNow();
      }
    } catch (InterruptedException e) {
      pool.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  /** Sender settings; every default is documented on its setter. */
  public static final class Builder {
    private Codec codec;
    private Duration connectTimeout = Duration.ofSeconds(5);
    private Duration writeTimeout = Duration.ofSeconds(10);
    private int maxBytes = 16 * 1024 * 1024;
    private int asyncThreads = 8;
    private int asyncQueue = 10_000;
    private Counters counters = new Counters();

    /** The codec to encode and validate with; default {@link Codec#standard()}. */
    public Builder codec(Codec codec) {
      this.codec = codec;
      return this;
    }

    /** Default 5 s. */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = positive(timeout, "connectTimeout");
      return this;
    }

    /** Default 10 s; applies to writes over 64 KiB (smaller ones fit the kernel's buffer). */
    public Builder writeTimeout(Duration timeout) {
      this.writeTimeout = positive(timeout, "writeTimeout");
      return this;
    }

    /** Largest message sent; default 16 MiB (a LISTPEER reply of 100,000 peers fits). */
    public Builder maxBytes(int maxBytes) {
      this.maxBytes = maxBytes;
      return this;
    }

    /** Threads for {@link Sender#sendAsync}; default 8. */
    public Builder asyncThreads(int threads) {
      this.asyncThreads = threads;
      return this;
    }

    /** Sends queued for {@link Sender#sendAsync} before new ones fail; default 10,000. */
    public Builder asyncQueue(int size) {
      this.asyncQueue = size;
      return this;
    }

    /** Where to count sends; default a new {@link Counters}. */
    public Builder counters(Counters counters) {
      this.counters = counters;
      return this;
    }

    public Sender build() {
      if (codec == null) {
        codec = Codec.standard();
      }
      return new Sender(this);
    }
  }

  static Duration positive(Duration d, String name) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, got " + d);
    }
    return d;
  }
}
