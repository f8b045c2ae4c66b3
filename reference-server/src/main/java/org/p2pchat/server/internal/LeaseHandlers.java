package org.p2pchat.server.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.p2pchat.identity.IdentityException;
import org.p2pchat.protocol.Printable;
import org.p2pchat.protocol.model.Heartbeat;
import org.p2pchat.protocol.model.Register;
import org.p2pchat.protocol.model.RegisterSuccess;
import org.p2pchat.sdk.Addresses;
import org.p2pchat.sdk.Dispatcher;
import org.p2pchat.sdk.MessageContext;
import org.p2pchat.server.RendezvousServer;
import org.p2pchat.server.registry.Registration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leases: a registrant that advertised the {@value #FEATURE} feature is told a heartbeat interval in its
 * REGISTER_SUCCESS, renews with HEARTBEAT (signed when its name is keyed), and is expired when its lease
 * runs out. A 2018 registrant never gets a lease (nor any new message) and keeps the 2018 rule: it leaves
 * on EXIT_NETWORK or when a reply to it is refused.
 *
 * <p>The lease is three heartbeat intervals, so one lost heartbeat never expires anyone. After the server
 * starts, and after the registry was unreachable, nothing is expired until the registry has answered for
 * one whole lease: peers that could not renew meanwhile get a chance to. Time comes from the injected
 * clock. Thread-safe.
 */
public final class LeaseHandlers {
  /** The feature name a REGISTER advertises to get a lease. */
  public static final String FEATURE = "lease";
  private static final Logger log = LoggerFactory.getLogger(RendezvousServer.class);

  private final PeerTable table;
  private final ServerIdentity identity;
  private final Clock clock;
  /** Null when leases are off (tests and embedders that build handlers without them). */
  private final Duration lease;
  private final Consumer<String> events;
  private final RateLimitedLog refusals = new RateLimitedLog(log, 20, 10_000_000_000L);
  private final RateLimitedLog expiries = RateLimitedLog.events(log);
  /** Since when the registry has answered every sweep; null after a failure (or before the first sweep). */
  private Instant healthySince;

  public LeaseHandlers(PeerTable table, ServerIdentity identity, Clock clock, Duration lease,
      Consumer<String> events) {
    this.table = Objects.requireNonNull(table, "table");
    this.identity = Objects.requireNonNull(identity, "identity");
    this.clock = Objects.requireNonNull(clock, "clock");
    if (lease != null && lease.toSeconds() < 3) {
      throw new IllegalArgumentException("a lease must be at least 3 s, got " + lease);
    }
    this.lease = lease;
    this.events = Objects.requireNonNull(events, "events");
  }

  /** Handlers that grant no lease and ignore heartbeats: the server as it was before leases. */
  public static LeaseHandlers disabled() {
    return new LeaseHandlers();
  }

  private LeaseHandlers() {
    this.table = null;
    this.identity = null;
    this.clock = Clock.systemUTC();
    this.lease = null;
    this.events = line -> { };
  }

  /** The heartbeat interval announced: a third of the lease. */
  public static long intervalSeconds(Duration lease) {
    return Math.max(1, lease.toSeconds() / 3);
  }

  /** Registers the HEARTBEAT handler on {@code dispatcher}. */
  public Dispatcher install(Dispatcher dispatcher) {
    return lease == null ? dispatcher : dispatcher.on(Heartbeat.class, this::onHeartbeat);
  }

  /** As {@link #install(Dispatcher)}, with HEARTBEATs held to the per-source message rate of {@code handlers}. */
  public Dispatcher install(Dispatcher dispatcher, RendezvousHandlers handlers) {
    return lease == null ? dispatcher : handlers.limited(dispatcher, Heartbeat.class, this::onHeartbeat);
  }

  /** When {@code register}'s lease runs out if it advertised the feature, else null (no lease: 2018 rule). */
  public Instant expiryFor(Register register) {
    return advertised(register) ? clock.instant().plus(lease) : null;
  }

  /** {@code success} with the heartbeat interval, only for a registrant that advertised the feature. */
  public RegisterSuccess announce(Register register, RegisterSuccess success) {
    return advertised(register) ? success.withLease((int) intervalSeconds(lease)) : success;
  }

  /**
   * True if {@code name} holds a lease, so it advertised features at registration, possibly to another
   * server on the same database (which then is not in this server's memory). False if unknown.
   */
  public boolean leased(String name) {
    try {
      return lease != null && table.lookup(name).flatMap(Registration::leaseExpiry).isPresent();
    } catch (IOException | IllegalStateException e) {
      return false;
    }
  }

  private boolean advertised(Register register) {
    return lease != null && register.getFeatures() != null && register.getFeatures().contains(FEATURE);
  }

  void onHeartbeat(Heartbeat heartbeat, MessageContext context) {
    String name = PeerNames.lookup(heartbeat.getPeername());
    String from = Addresses.describe(context.remote());
    Optional<Registration> registration;
    try {
      registration = table.lookup(name);
    } catch (IOException | IllegalStateException e) {
      log.error("heartbeat {} not recorded: {} (from {})", Printable.of(name), e.getMessage(), from);
      return;
    }
    if (registration.isEmpty()) {
      refused("heartbeat {} ignored: not registered (from {})", name, from);
      return;
    }
    Optional<byte[]> key = registration.get().publicKey();
    if (key.isPresent()) {
      try {
        identity.verifyRequest(JournalTable.text(key.get()), context.tree(), context.receivedAt());
      } catch (IdentityException e) {
        refused("heartbeat {} ignored: {} {} (from {})", name, e.reason(), e.getMessage(), from);
        return;
      }
    }
    try {
      if (table.renew(name, clock.instant().plus(lease))) {
        log.debug("heartbeat {}: lease renewed for {} (from {})", Printable.of(name), lease, from);
      }
    } catch (IOException | IllegalStateException e) {
      log.error("heartbeat {} not recorded: {} (from {})", Printable.of(name), e.getMessage(), from);
    }
  }

  /**
   * Expires the registrations whose lease ran out, unless the registry has not answered for a whole
   * lease yet (after a start or an outage). Returns how many were expired. Called by the server's
   * sweeper thread, or by a test with its own clock.
   */
  public synchronized int sweep() {
    if (lease == null) {
      return 0;
    }
    Instant now = clock.instant();
    try {
      if (healthySince == null) {
        table.size();
        healthySince = now;
        return 0;
      }
      if (now.isBefore(healthySince.plus(lease))) {
        return 0;
      }
      List<Registration> expired = table.expire(now);
      for (Registration r : expired) {
        String line = Printable.of("expired " + r.name() + " at " + r.address() + ": no heartbeat for "
            + lease.toSeconds() + " s");
        expiries.event(line);
        events.accept(line);
      }
      return expired.size();
    } catch (IOException | UncheckedIOException e) {
      if (healthySince != null) {
        log.warn("leases not checked: {}", e.getMessage());
      }
      healthySince = null;
      return 0;
    } catch (IllegalStateException e) {
      // The registry is closing: the server is stopping.
      return 0;
    }
  }

  private void refused(String format, Object... args) {
    String line = Printable.of(org.slf4j.helpers.MessageFormatter.arrayFormat(format, args).getMessage());
    refusals.warn(line);
    events.accept(line);
  }
}
