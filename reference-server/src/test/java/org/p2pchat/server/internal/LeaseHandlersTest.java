package org.p2pchat.server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.identity.FreshnessGuard;
import org.p2pchat.identity.IdentityKeyPair;
import org.p2pchat.identity.SignedMessages;
import org.p2pchat.protocol.HostPort;
import org.p2pchat.protocol.MessageType;
import org.p2pchat.protocol.model.Register;
import org.p2pchat.protocol.model.RegisterSuccess;
import org.p2pchat.server.registry.RegistryStore;
import org.p2pchat.server.registry.RegistryUnavailable;
import org.p2pchat.server.registry.internal.JournalRegistryStore;
import org.p2pchat.sdk.Dispatcher;

/**
 * Leases without a socket or a wall clock: what a registrant is promised, heartbeats (plain and signed), and
 * the sweep's rule that nothing expires before the registry has answered for a whole lease.
 */
class LeaseHandlersTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Instant T0 = Instant.parse("2026-12-03T12:00:00Z");
  private static final Duration LEASE = Duration.ofSeconds(90);
  private static final HostPort A = new HostPort("localhost", 4001);
  private static final HostPort B = new HostPort("localhost", 4002);

  @TempDir
  Path dir;

  /** A clock the test moves. */
  private static final class TestClock extends Clock {
    volatile Instant now = T0;

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  private final TestClock clock = new TestClock();
  private final List<String> events = new ArrayList<>();
  private final IdentityKeyPair serverKey = IdentityKeyPair.generate(RANDOM);
  private volatile boolean unavailable;
  private PeerTable table;
  private LeaseHandlers leases;

  /** The journal store, answering RegistryUnavailable to everything while {@link #unavailable} is set. */
  private PeerTable open() throws Exception {
    RegistryStore real = JournalRegistryStore.open(dir.resolve("state.jsonl"), 1_000);
    RegistryStore flaky = (RegistryStore) Proxy.newProxyInstance(RegistryStore.class.getClassLoader(),
        new Class<?>[] {RegistryStore.class}, (proxy, method, args) -> {
          if (unavailable && !method.getName().equals("close")) {
            throw new RegistryUnavailable("database down", null);
          }
          try {
            return method.invoke(real, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
    return PeerTable.over(flaky);
  }

  private void start() throws Exception {
    table = open();
    leases = new LeaseHandlers(table, new ServerIdentity(serverKey, new FreshnessGuard()), clock, LEASE,
        events::add);
  }

  @AfterEach
  void close() {
    unavailable = false;
    if (table != null) {
      table.close();
    }
  }

  private static Register register(String... features) {
    Register r = new Register().withPeername("alice").withHost("localhost").withPort(4001);
    return features.length == 0 ? r : r.withFeatures(new java.util.LinkedHashSet<>(List.of(features)));
  }

  private void heartbeat(Map<String, Object> msgdata) throws Exception {
    Dispatcher dispatcher = leases.install(new Dispatcher());
    byte[] frame = JSON.writeValueAsBytes(Map.of("msgtype", "HEARTBEAT", "msgdata", msgdata));
    dispatcher.dispatch(frame, new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 5000), clock.now);
  }

  private Optional<Instant> leaseOf(String name) throws Exception {
    return table.lookup(name).orElseThrow().leaseExpiry();
  }

  @Test
  void theIntervalIsAThirdOfTheLeaseAndAtLeastOneSecond() {
    assertEquals(30, LeaseHandlers.intervalSeconds(LEASE));
    assertEquals(1, LeaseHandlers.intervalSeconds(Duration.ofSeconds(3)));
    assertEquals(1, LeaseHandlers.intervalSeconds(Duration.ofSeconds(2)), "never 0");
    assertEquals(2, LeaseHandlers.intervalSeconds(Duration.ofSeconds(8)));
  }

  @Test
  void aLeaseShorterThanThreeSecondsIsRefused() throws Exception {
    table = open();
    ServerIdentity identity = new ServerIdentity(serverKey, new FreshnessGuard());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new LeaseHandlers(table, identity, clock, Duration.ofMillis(2_999), events::add));
    assertTrue(e.getMessage().contains("at least 3 s"), e.getMessage());
    new LeaseHandlers(table, identity, clock, Duration.ofSeconds(3), events::add);
    LeaseHandlers off = new LeaseHandlers(table, identity, clock, null, events::add);
    assertNull(off.expiryFor(register(LeaseHandlers.FEATURE)), "no lease configured: none granted");
    assertEquals(0, off.sweep());
  }

  @Test
  void onlyARegistrantThatAdvertisedTheFeatureGetsALease() throws Exception {
    start();
    assertEquals(T0.plus(LEASE), leases.expiryFor(register(LeaseHandlers.FEATURE, "chat-v2")));
    assertNull(leases.expiryFor(register("chat-v2")));
    assertNull(leases.expiryFor(register()), "no features at all");
    assertEquals(Integer.valueOf(30), leases.announce(register(LeaseHandlers.FEATURE), new RegisterSuccess())
        .getLease());
    assertNull(leases.announce(register("chat-v2"), new RegisterSuccess()).getLease());
    assertNull(leases.announce(register(), new RegisterSuccess()).getLease());
  }

  @Test
  void disabledLeasesGrantNothingAndInstallNothing() {
    LeaseHandlers off = LeaseHandlers.disabled();
    assertNull(off.expiryFor(register(LeaseHandlers.FEATURE)));
    RegisterSuccess success = new RegisterSuccess();
    assertSame(success, off.announce(register(LeaseHandlers.FEATURE), success));
    assertFalse(off.leased("alice"));
    assertEquals(0, off.sweep());
    Dispatcher dispatcher = new Dispatcher();
    assertSame(dispatcher, off.install(dispatcher));
    assertFalse(dispatcher.handles(MessageType.HEARTBEAT));
  }

  @Test
  void leasedTellsWhetherTheNameHoldsALease() throws Exception {
    start();
    assertTrue(leases.install(new Dispatcher()).handles(MessageType.HEARTBEAT));
    table.registerDurably("alice", A, null, T0.plus(LEASE)).join();
    table.register("bob", B);
    assertTrue(leases.leased("alice"));
    assertFalse(leases.leased("bob"), "registered without a lease");
    assertFalse(leases.leased("carol"), "not registered");
    unavailable = true;
    assertFalse(leases.leased("alice"), "unknown while the registry does not answer");
  }

  @Test
  void aHeartbeatRenewsTheLeaseFromNow() throws Exception {
    start();
    table.registerDurably("alice", A, null, T0.plus(LEASE)).join();
    clock.now = T0.plusSeconds(50);
    heartbeat(Map.of("peername", "alice"));
    assertEquals(Optional.of(T0.plusSeconds(50).plus(LEASE)), leaseOf("alice"));
    assertEquals(List.of(), events, "a renewal is not an event");
  }

  @Test
  void aHeartbeatForAnUnknownNameIsRefusedAndChangesNothing() throws Exception {
    start();
    heartbeat(Map.of("peername", "ghost"));
    assertEquals(List.of("heartbeat ghost ignored: not registered (from 127.0.0.1:5000)"), events);
    assertEquals(0, table.size());
    unavailable = true;
    heartbeat(Map.of("peername", "ghost"));
    assertEquals(1, events.size(), "a registry that does not answer: logged, not told");
  }

  @Test
  void aKeyedNameIsRenewedOnlyByAHeartbeatSignedWithItsKey() throws Exception {
    start();
    IdentityKeyPair alice = IdentityKeyPair.generate(RANDOM);
    table.registerDurably("alice", A, alice.publicKey().base64url(), T0.plus(LEASE)).join();
    clock.now = T0.plusSeconds(10);
    heartbeat(Map.of("peername", "alice"));
    assertEquals(1, events.size());
    assertTrue(events.get(0).startsWith("heartbeat alice ignored: MISSING_SIGNATURE"), events.get(0));
    assertEquals(Optional.of(T0.plus(LEASE)), leaseOf("alice"), "not renewed");

    byte[] nonce = new byte[16];
    RANDOM.nextBytes(nonce);
    Map<String, Object> signed = SignedMessages.signRequest(alice, "HEARTBEAT",
        new LinkedHashMap<>(Map.of("peername", "alice")), clock.now,
        Base64.getUrlEncoder().withoutPadding().encodeToString(nonce));
    heartbeat(signed);
    assertEquals(Optional.of(T0.plusSeconds(10).plus(LEASE)), leaseOf("alice"), "renewed");
    assertEquals(1, events.size());
  }

  @Test
  void nothingExpiresBeforeTheRegistryAnsweredForAWholeLease() throws Exception {
    start();
    table.registerDurably("alice", A, null, T0.plusSeconds(30)).join();
    table.registerDurably("bob", B, null, T0.plusSeconds(40)).join();
    table.register("plain", new HostPort("localhost", 4009));
    assertEquals(0, leases.sweep(), "the first sweep only starts the clock");
    clock.now = T0.plusSeconds(89);
    assertEquals(0, leases.sweep(), "not yet a whole lease since the registry answered");
    assertEquals(3, table.size());

    unavailable = true;
    clock.now = T0.plusSeconds(95);
    assertEquals(0, leases.sweep(), "the registry does not answer");
    unavailable = false;
    clock.now = T0.plusSeconds(96);
    assertEquals(0, leases.sweep(), "answering again: a whole lease from now");
    clock.now = T0.plusSeconds(96 + 89);
    assertEquals(0, leases.sweep());
    assertEquals(3, table.size());
    clock.now = T0.plusSeconds(96 + 90);
    assertEquals(2, leases.sweep(), "exactly a whole lease later");
    assertEquals(List.of("expired alice at localhost:4001: no heartbeat for 90 s",
        "expired bob at localhost:4002: no heartbeat for 90 s"), events);
    assertEquals(Set.of("plain"), table.snapshot().keySet(), "a 2018 registration never expires");
    assertEquals(0, leases.sweep());
  }

  @Test
  void aSweepWhileTheRegistryIsClosingExpiresNothing() throws Exception {
    start();
    table.registerDurably("alice", A, null, T0.plusSeconds(30)).join();
    leases.sweep();
    table.close();
    clock.now = T0.plusSeconds(200);
    assertEquals(0, leases.sweep());
    assertEquals(List.of(), events);
  }
}
