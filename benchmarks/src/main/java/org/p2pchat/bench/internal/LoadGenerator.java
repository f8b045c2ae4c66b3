package org.p2pchat.bench.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;
import org.p2pchat.protocol.HostPort;

/**
 * The minimal sender, which is also the load generator: {@code concurrency} threads, each in a loop
 * connect, write one message, close, for a fixed time or until a number of messages is sent, whichever
 * comes first. It does nothing per message beyond what the protocol needs, so every receiver is measured
 * under the same load.
 *
 * <p>Runs are bounded by time rather than count because a connection whose SYN the kernel drops waits a
 * whole second for its retransmission: with a fixed count, one such straggler would set the length of a
 * short run. Bounded by time, it costs one sender one second, as it would any real client.
 */
public final class LoadGenerator {
  private static final int CONNECT_TIMEOUT_MILLIS = 5_000;

  private LoadGenerator() {}

  /**
   * What one load run did.
   *
   * @param sent messages written and closed without error
   * @param failed connections that failed
   * @param nanos from start until the last sender finished
   * @param firstError the first failure, or empty
   */
  public record Result(long sent, long failed, long nanos, String firstError) {}

  /** Starts sending {@code payload.apply(i)}, i = 0, 1, ..., to {@code target}; see {@link Load}. */
  public static Load start(HostPort target, IntFunction<byte[]> payload, int maxMessages, int concurrency,
      Duration duration, Gate gate) throws IOException {
    return new Load(new InetSocketAddress(InetAddress.getByName(target.host()), target.port()), payload, maxMessages,
        concurrency, duration, gate);
  }

  /** Sends up to {@code messages} messages for at most {@code timeLimit}, and waits for the senders to end. */
  public static Result run(HostPort target, IntFunction<byte[]> payload, int messages, int concurrency,
      Duration timeLimit) throws IOException {
    return run(target, payload, messages, concurrency, timeLimit, null);
  }

  /** As {@link #run(HostPort, IntFunction, int, int, Duration)}, each message first passing {@code gate}. */
  public static Result run(HostPort target, IntFunction<byte[]> payload, int messages, int concurrency,
      Duration timeLimit, Gate gate) throws IOException {
    Load load = start(target, payload, messages, concurrency, timeLimit, gate);
    return load.finish();
  }

  /** One run in progress. If it has a {@link Gate}, each message first passes it (null: no gate). */
  public static final class Load {
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicReference<String> firstError = new AtomicReference<>("");
    private final CountDownLatch finished;
    private final List<Thread> threads = new ArrayList<>();
    private final long start;
    private final long deadline;
    private final Duration duration;

    private Load(InetSocketAddress address, IntFunction<byte[]> payload, int maxMessages, int concurrency,
        Duration duration, Gate gate) {
      this.duration = duration;
      this.finished = new CountDownLatch(concurrency);
      this.start = System.nanoTime();
      this.deadline = start + duration.toNanos();
      for (int t = 0; t < concurrency; t++) {
        Thread thread = new Thread(() -> {
          try {
            sendUntilDone(address, payload, maxMessages, gate);
          } finally {
            finished.countDown();
          }
        }, "load-" + t);
        thread.setDaemon(true);
        threads.add(thread);
      }
      threads.forEach(Thread::start);
    }

    private void sendUntilDone(InetSocketAddress address, IntFunction<byte[]> payload, int maxMessages,
        Gate gate) {
      int i;
      while (System.nanoTime() - deadline < 0 && (i = next.getAndIncrement()) < maxMessages) {
        try {
          if (gate != null && !gate.pass(deadline)) {
            return;
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
        try {
          send(address, payload.apply(i));
          sent.incrementAndGet();
        } catch (IOException e) {
          failed.incrementAndGet();
          firstError.compareAndSet("", e.toString());
        }
      }
    }

    /** Waits until the run's time is up or every sender is done, whichever comes first. */
    public void awaitEnd() throws InterruptedException {
      finished.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    /** Messages sent so far. */
    public long sent() {
      return sent.get();
    }

    /** Waits for every sender to finish its last message (a connect times out after 5 s). */
    public Result finish() {
      try {
        long joinDeadline = deadline + TimeUnit.MILLISECONDS.toNanos(2L * CONNECT_TIMEOUT_MILLIS);
        if (!finished.await(Math.max(1, joinDeadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
          firstError.compareAndSet("", "senders still busy " + duration.toSeconds() + " s + 10 s after the start");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return new Result(sent.get(), failed.get(), System.nanoTime() - start, firstError.get());
    }
  }

  /** Connect, write, close: the whole protocol, for one message. */
  public static void send(InetSocketAddress address, byte[] bytes) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(address, CONNECT_TIMEOUT_MILLIS);
      OutputStream out = socket.getOutputStream();
      out.write(bytes);
    }
  }
}
