package org.p2pchat.conformance.testimpl;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.p2pchat.protocol.HostPort;
import org.p2pchat.sdk.Addresses;
import org.p2pchat.sdk.Dispatcher;
import org.p2pchat.sdk.Listener;
import org.p2pchat.sdk.MessageContext;
import org.p2pchat.sdk.RejectReason;
import org.p2pchat.sdk.Rejection;
import org.p2pchat.sdk.SendException;
import org.p2pchat.sdk.Sender;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A protocol endpoint assembled from SDK parts (transport, workers, {@link Dispatcher}, {@link Sender}) like
 * {@code Node}, but with seams where a {@link Flaw} can be built in. Without flaws it behaves like a Node.
 */
final class TestNode implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TestNode.class);

  private final Set<Flaw> flaws;
  private final Transport transport;
  private final Dispatcher dispatcher;
  private final Sender sender = Sender.builder().connectTimeout(Duration.ofSeconds(2)).build();
  private final ThreadPoolExecutor workers = new ThreadPoolExecutor(4, 4, 0, TimeUnit.SECONDS,
      new ArrayBlockingQueue<>(1000), r -> {
        Thread t = new Thread(r, "test-node-worker");
        t.setDaemon(true);
        return t;
      });

  TestNode(Set<Flaw> flaws, Dispatcher dispatcher) throws IOException {
    this.flaws = flaws.isEmpty() ? EnumSet.noneOf(Flaw.class) : EnumSet.copyOf(flaws);
    this.dispatcher = dispatcher;
    this.transport = flaws.contains(Flaw.STALLS_ON_IDLE) ? new BlockingTransport() : Transport.sdk();
    if (flaws.contains(Flaw.DIES_ON_MALFORMED_JSON) || flaws.contains(Flaw.DIES_ON_THIRD_MALFORMED)) {
      int dieAt = flaws.contains(Flaw.DIES_ON_MALFORMED_JSON) ? 1 : 3;
      AtomicInteger malformed = new AtomicInteger();
      dispatcher.onError(rejection -> {
        if (rejection.reason() == RejectReason.MALFORMED_JSON && malformed.incrementAndGet() == dieAt) {
          // Off the worker thread: closing waits for the transport's own thread.
          new Thread(transport::close, "broken-dies").start();
        }
      });
    }
  }

  TestNode start() throws IOException {
    transport.start(new Listener.FrameSink() {
      @Override
      public void onFrame(byte[] frame, InetSocketAddress remote, Instant receivedAt) {
        if (flaws.contains(Flaw.DIES_ON_LONG_MESSAGE) && frame.length > 1024) {
          new Thread(transport::close, "broken-dies").start();
          return;
        }
        byte[] read = flaws.contains(Flaw.TRUNCATES_AT_1024) && frame.length > 1024 ? Arrays.copyOf(frame, 1024)
            : frame;
        try {
          workers.execute(() -> dispatcher.dispatch(read, remote, receivedAt));
        } catch (RejectedExecutionException e) {
          dispatcher.reject(new Rejection(RejectReason.OVERLOADED, remote, null, "queue full", null));
        }
      }

      @Override
      public void onRejected(Rejection rejection) {
        dispatcher.reject(rejection);
      }
    });
    return this;
  }

  boolean has(Flaw flaw) {
    return flaws.contains(flaw);
  }

  HostPort address() {
    return new HostPort("127.0.0.1", transport.port());
  }

  /** Sends a reply to {@code advertised}, or with {@link Flaw#REPLIES_TO_SOURCE} to the source address. */
  void reply(HostPort advertised, MessageContext context, Object message) {
    send(flaws.contains(Flaw.REPLIES_TO_SOURCE) ? Addresses.of(context.remote()) : advertised, message);
  }

  void send(HostPort to, Object message) {
    try {
      sender.send(to, message);
    } catch (SendException e) {
      log.debug("reply not delivered: {}", e.getMessage());
    }
  }

  @Override
  public void close() {
    transport.close();
    workers.shutdownNow();
    sender.close();
  }
}
