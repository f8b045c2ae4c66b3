package org.p2pchat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.identity.Handshake;
import org.p2pchat.identity.IdentityKeyPair;
import org.p2pchat.protocol.HostPort;
import org.p2pchat.protocol.model.Heartbeat;
import org.p2pchat.protocol.model.Register;
import org.p2pchat.protocol.model.RegisterSuccess;
import org.p2pchat.server.internal.PeerTable;
import org.p2pchat.server.registry.Registration;
import org.p2pchat.testing.FakePeer;

/**
 * Leases over real sockets with an injected clock: announced only to peers that asked, renewed by
 * HEARTBEAT (signed for a keyed name), expired when they run out, never for a 2018 peer, and kept in
 * the state file across a restart.
 */
class LeaseTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final Duration LEASE = Duration.ofSeconds(90);

  /** A clock the test moves by hand. */
  static final class TestClock extends Clock {
    private volatile Instant now;

    TestClock(Instant start) {
      now = start;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }

  @TempDir
  Path dir;

  private final TestClock clock = new TestClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final ConcurrentLinkedQueue<String> events = new ConcurrentLinkedQueue<>();
  private final List<FakePeer> peers = new ArrayList<>();
  private RendezvousServer server;

  @AfterEach
  void stopAll() {
    peers.forEach(FakePeer::close);
    if (server != null) {
      server.stop(Duration.ofSeconds(5));
    }
  }

  private RendezvousServer start() throws Exception {
    server = RendezvousServer.builder().host("127.0.0.1").port(0).stateFile(dir.resolve("state.jsonl"))
        .lease(LEASE).clock(clock).events(events::add).build().start();
    // The first pass only notes that the registry answers (the grace after a start).
    server.sweepLeases();
    return server;
  }

  private FakePeer peer() throws Exception {
    FakePeer peer = FakePeer.start();
    peers.add(peer);
    return peer;
  }

  private static Register register(String name, HostPort at, boolean lease) {
    Register r = new Register().withPeername(name).withHost(at.host()).withPort(at.port());
    return lease ? r.withFeatures(Set.of("lease")) : r;
  }

  private Registration lookup(String name) throws Exception {
    return ((PeerTable) server.registry()).lookup(name).orElseThrow(() -> new AssertionError(name + " gone"));
  }

  @Test
  void theIntervalIsAnnouncedOnlyToAPeerThatAskedAndA2018PeerGetsTheEmptyReply() throws Exception {
    start();
    FakePeer leased = peer();
    leased.send(server.address(), register("leased", leased.address(), true));
    assertEquals(30, leased.expect(RegisterSuccess.class, WAIT).getLease());
    FakePeer old = peer();
    old.send(server.address(), register("old", old.address(), false));
    FakePeer.Received reply = old.take(WAIT);
    assertEquals("{\"msgtype\": \"REGISTER_SUCCESS\", \"msgdata\": {}}", reply.text());
    assertEquals(clock.instant().plus(LEASE), lookup("leased").leaseExpiry().orElseThrow());
    assertTrue(lookup("old").leaseExpiry().isEmpty());
  }

  @Test
  void aLeaseRunsOutWithoutHeartbeatsWhileA2018RegistrationStays() throws Exception {
    start();
    FakePeer leased = peer();
    leased.send(server.address(), register("leased", leased.address(), true));
    leased.expect(RegisterSuccess.class, WAIT);
    FakePeer old = peer();
    old.send(server.address(), register("old", old.address(), false));
    old.expect(RegisterSuccess.class, WAIT);

    clock.advance(LEASE.minusSeconds(1));
    server.sweepLeases();
    assertTrue(server.registry().contains("leased"));
    clock.advance(Duration.ofSeconds(1));
    // The background sweeper may get there first: either way, the lease is gone after this pass.
    server.sweepLeases();

    assertFalse(server.registry().contains("leased"));
    assertTrue(server.registry().contains("old"));
    assertTrue(events.stream().anyMatch(e -> e.startsWith("expired leased at")), events.toString());
    old.expectNothing(Duration.ofMillis(200));
    leased.expectNothing(Duration.ofMillis(200));
  }

  @Test
  void aHeartbeatPushesTheLeaseBack() throws Exception {
    start();
    FakePeer leased = peer();
    leased.send(server.address(), register("leased", leased.address(), true));
    leased.expect(RegisterSuccess.class, WAIT);
    clock.advance(Duration.ofSeconds(60));
    Instant renewedUntil = clock.instant().plus(LEASE);

    leased.send(server.address(), new Heartbeat().withPeername("leased"));
    Poll.until(WAIT, () -> {
      try {
        return lookup("leased").leaseExpiry().orElseThrow().equals(renewedUntil);
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    }, () -> "lease renewed");

    clock.advance(Duration.ofSeconds(60));
    server.sweepLeases();
    assertTrue(server.registry().contains("leased"));
    clock.advance(Duration.ofSeconds(30));
    server.sweepLeases();
    assertFalse(server.registry().contains("leased"));
  }

  @Test
  void aKeyedNameIsRenewedOnlyByAHeartbeatSignedWithItsKey() throws Exception {
    start();
    IdentityServerTest.Peer alice = new IdentityServerTest.Peer("alice", IdentityKeyPair.generate(new SecureRandom()),
        new IdentityServerTest.Inbox());
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("peername", "alice");
    data.put("host", "127.0.0.1");
    data.put("port", alice.inbox.port());
    data.put("features", List.of(Handshake.FEATURE, "lease"));
    data.put("idkey", alice.key.publicKey().base64url());
    Raw.send(server.address(), alice.request("REGISTER", data, Set.of("REGISTER_SUCCESS"), Instant.now()));
    JsonNode reply = alice.inbox.receive();
    assertEquals(30, alice.verify(reply, server).get("lease"));
    Instant first = lookup("alice").leaseExpiry().orElseThrow();
    clock.advance(Duration.ofSeconds(30));

    Raw.send(server.address(), "{\"msgtype\": \"HEARTBEAT\", \"msgdata\": {\"peername\": \"alice\"}}");
    Poll.until(WAIT, () -> events.stream().anyMatch(e -> e.contains("heartbeat alice ignored: MISSING_SIGNATURE")),
        events::toString);
    assertEquals(first, lookup("alice").leaseExpiry().orElseThrow());

    Raw.send(server.address(), alice.request("HEARTBEAT", new LinkedHashMap<>(Map.of("peername", "alice")), Set.of(),
        Instant.now()));
    Instant renewed = clock.instant().plus(LEASE);
    Poll.until(WAIT, () -> {
      try {
        return lookup("alice").leaseExpiry().orElseThrow().equals(renewed);
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    }, () -> "signed heartbeat renewed the lease");
    alice.inbox.close();
  }

  @Test
  void aHeartbeatForANameNotRegisteredChangesNothingAndIsLogged() throws Exception {
    start();
    FakePeer stranger = peer();
    stranger.send(server.address(), new Heartbeat().withPeername("nobody"));
    Poll.until(WAIT, () -> events.stream().anyMatch(e -> e.contains("heartbeat nobody ignored: not registered")),
        events::toString);
    assertEquals(0, server.registry().size());
    stranger.expectNothing(Duration.ofMillis(200));
  }

  @Test
  void leasesAndKeysAreKeptInTheStateFileAcrossARestartWithAGraceToRenew() throws Exception {
    start();
    FakePeer leased = peer();
    leased.send(server.address(), register("leased", leased.address(), true));
    leased.expect(RegisterSuccess.class, WAIT);
    Instant expiry = lookup("leased").leaseExpiry().orElseThrow();
    server.stop(Duration.ofSeconds(5));

    clock.advance(LEASE.multipliedBy(2));
    start();
    assertEquals(expiry, lookup("leased").leaseExpiry().orElseThrow());
    // Ran out while the server was down, but peers get one lease after a start to renew.
    server.sweepLeases();
    assertTrue(server.registry().contains("leased"));
    leased.send(server.address(), new Heartbeat().withPeername("leased"));
    Instant renewed = clock.instant().plus(LEASE);
    Poll.until(WAIT, () -> {
      try {
        return lookup("leased").leaseExpiry().orElseThrow().equals(renewed);
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    }, () -> "renewed after the restart");
    clock.advance(LEASE.minusSeconds(1));
    server.sweepLeases();
    assertTrue(server.registry().contains("leased"));
    clock.advance(Duration.ofSeconds(1));
    server.sweepLeases();
    assertFalse(server.registry().contains("leased"));
  }

  @Test
  void withoutTheLeaseFeatureNothingEverExpires() throws Exception {
    start();
    FakePeer old = peer();
    old.send(server.address(), register("old", old.address(), false));
    assertNull(old.expect(RegisterSuccess.class, WAIT).getLease());
    clock.advance(Duration.ofDays(30));
    server.sweepLeases();
    assertTrue(server.registry().contains("old"));
  }
}
