package org.p2pchat.conformance.internal;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.p2pchat.protocol.MessageValidator;

/**
 * The suite's side of one case: simulated peers' listeners, connections to the target, and one inbox where
 * everything that arrives at any of them lands in order. Closing it closes all of them.
 *
 * <p>Every message is sent from a port the suite also listens on (a {@link Trap}), so a reply to the
 * source address shows up as an arrival like any other.
 */
public final class Harness implements AutoCloseable {
  private final Settings settings;
  private final WireLog log;
  private final MessageValidator validator;
  private final ScheduledExecutorService guards;
  private final LinkedBlockingQueue<Arrival> inbox = new LinkedBlockingQueue<>();
  private final Deque<AutoCloseable> resources = new ArrayDeque<>();
  private boolean trapsUnsupported;

  public Harness(Settings settings, WireLog log, MessageValidator validator, ScheduledExecutorService guards) {
    this.settings = settings;
    this.log = log;
    this.validator = validator;
    this.guards = guards;
  }

  public Settings settings() {
    return settings;
  }

  public WireLog log() {
    return log;
  }

  /** Starts a simulated peer's listener named {@code name}. */
  public Endpoint endpoint(String name) throws IOException {
    Endpoint endpoint = Endpoint.start(name, settings, validator, log, inbox::add);
    track(endpoint);
    return endpoint;
  }

  /** Sends one message on its own connection, from a trapped port, and closes it. */
  public void send(byte[] bytes) throws TargetDownException, IOException {
    try (RawConnection connection = connectTrapped()) {
      log.sent(target(connection), bytes);
      connection.write(bytes, writeTimeout());
      connection.finish();
    }
  }

  /**
   * Sends one message like {@link #send} but keeps reading the connection afterwards until the target closes
   * it or {@code wait} passes; returns what came back, which the protocol says must be nothing.
   */
  public byte[] sendAndReadBack(byte[] bytes, Duration wait) throws TargetDownException, IOException {
    try (RawConnection connection = connectTrapped()) {
      log.sent(target(connection), bytes);
      connection.write(bytes, writeTimeout());
      connection.finish();
      byte[] back = connection.readBack(wait);
      if (back.length > 0) {
        log.received("the request's own connection", back, java.time.Instant.now());
      }
      return back;
    }
  }

  /** An open connection for the caller to write to as it likes; closed with the harness. */
  public RawConnection open() throws TargetDownException {
    RawConnection connection = RawConnection.connect(new Socket(), settings.target(), settings.connectTimeout(), guards);
    track(connection);
    return connection;
  }

  /** Writes on a connection from {@link #open}, logging it. */
  public void write(RawConnection connection, byte[] bytes) throws IOException {
    log.sent(target(connection), bytes);
    connection.write(bytes, writeTimeout());
  }

  private RawConnection connectTrapped() throws TargetDownException, IOException {
    Trap trap = trapsUnsupported ? null : Trap.open(settings.bindHost(), validator, log, inbox::add);
    if (trap == null) {
      if (!trapsUnsupported) {
        log.note("this platform cannot share a port (SO_REUSEPORT): replies to the source address go unseen");
      }
      trapsUnsupported = true;
      return RawConnection.connect(new Socket(), settings.target(), settings.connectTimeout(), guards);
    }
    track(trap);
    return RawConnection.connect(trap.client(), settings.target(), settings.connectTimeout(), guards);
  }

  private String target(RawConnection connection) {
    return "target " + settings.target() + " (from :" + connection.localPort() + ")";
  }

  private Duration writeTimeout() {
    return settings.replyTimeout().plus(Duration.ofSeconds(5));
  }

  /** The next arrival at any listener, or null if none within {@code timeout}. */
  public Arrival next(Duration timeout) throws InterruptedException {
    return inbox.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Everything that arrives within {@code window}, which is waited out in full. */
  public List<Arrival> collect(Duration window) throws InterruptedException {
    List<Arrival> all = new ArrayList<>();
    long deadline = System.nanoTime() + window.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        break;
      }
      Arrival a = inbox.poll(left, TimeUnit.NANOSECONDS);
      if (a != null) {
        all.add(a);
      }
    }
    inbox.drainTo(all);
    return all;
  }

  private synchronized void track(AutoCloseable resource) {
    resources.push(resource);
  }

  @Override
  public void close() {
    List<AutoCloseable> all;
    synchronized (this) {
      all = new ArrayList<>(resources);
      resources.clear();
    }
    for (AutoCloseable resource : all) {
      try {
        resource.close();
      } catch (Exception e) {
        log.note("closing " + resource + ": " + e);
      }
    }
  }
}
