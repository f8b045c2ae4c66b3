package org.p2pchat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.protocol.HostPort;
import org.p2pchat.protocol.MessageType;
import org.p2pchat.protocol.model.ExitNetwork;
import org.p2pchat.protocol.model.ListpeerReply;
import org.p2pchat.protocol.model.ListpeerRequest;
import org.p2pchat.protocol.model.Register;
import org.p2pchat.protocol.model.RegisterSuccess;
import org.p2pchat.server.registry.EmbeddedPg;
import org.p2pchat.server.registry.RegistryOptions;
import org.p2pchat.testing.FakePeer;

/**
 * Several rendezvous servers on one PostgreSQL behave as one server: one name, one winner (by the
 * database's constraint), one order, one EXIT for all, and nothing acknowledged lost when one is killed.
 * One embedded PostgreSQL for the class, a fresh database per test.
 */
class SeveralServersTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final int RACES = 25;
  private static EmbeddedPg pg;

  @TempDir
  Path dir;

  private final List<RendezvousServer> servers = new ArrayList<>();
  private final List<FakePeer> peers = new ArrayList<>();

  @BeforeAll
  static void startDatabase() {
    pg = EmbeddedPg.start();
  }

  @AfterAll
  static void stopDatabase() {
    pg.close();
  }

  @AfterEach
  void stopAll() {
    peers.forEach(FakePeer::close);
    servers.forEach(s -> s.stop(Duration.ofSeconds(5)));
  }

  /** {@code count} servers on one fresh database. */
  private List<RendezvousServer> servers(int count) throws Exception {
    return servers(count, line -> { });
  }

  /** {@code count} servers on one fresh database, telling {@code events} what each logs. */
  private List<RendezvousServer> servers(int count, java.util.function.Consumer<String> events) throws Exception {
    String database = pg.createDatabase();
    List<RendezvousServer> started = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      RendezvousServer server = RendezvousServer.builder().host("127.0.0.1").port(0)
          .registry(pg.parsed(database)).registryOptions(RegistryOptions.defaults().withPoolSize(2))
          .replyTimeout(Duration.ofSeconds(2)).events(events).build().start();
      servers.add(server);
      started.add(server);
    }
    return started;
  }

  private FakePeer peer() throws Exception {
    FakePeer peer = FakePeer.start();
    peers.add(peer);
    return peer;
  }

  private static Register register(String name, HostPort at) {
    return new Register().withPeername(name).withHost(at.host()).withPort(at.port());
  }

  private FakePeer registered(RendezvousServer server, String name) throws Exception {
    FakePeer peer = peer();
    peer.send(server.address(), register(name, peer.address()));
    peer.expect(RegisterSuccess.class, WAIT);
    return peer;
  }

  @Test
  void ofTwoRegistrationsOfOneNameAtTwoServersAtOnceExactlyOneSucceedsEveryTime() throws Exception {
    List<RendezvousServer> two = servers(2);
    FakePeer a = peer();
    FakePeer b = peer();
    ExecutorService senders = Executors.newFixedThreadPool(2);
    try {
      for (int race = 0; race < RACES; race++) {
        String name = "race" + race;
        CountDownLatch go = new CountDownLatch(1);
        Future<?> first = senders.submit(() -> {
          go.await();
          a.send(two.get(0).address(), register(name, a.address()));
          return null;
        });
        Future<?> second = senders.submit(() -> {
          go.await();
          b.send(two.get(1).address(), register(name, b.address()));
          return null;
        });
        go.countDown();
        first.get();
        second.get();
        MessageType replyA = a.take(WAIT).type();
        MessageType replyB = b.take(WAIT).type();
        List<MessageType> replies = List.of(replyA, replyB);
        assertEquals(1, replies.stream().filter(MessageType.REGISTER_SUCCESS::equals).count(), "race " + race + ": "
            + replies);
        assertEquals(1, replies.stream().filter(MessageType.REGISTER_ERROR::equals).count(), "race " + race + ": "
            + replies);
        HostPort winner = replyA == MessageType.REGISTER_SUCCESS ? a.address() : b.address();
        assertEquals(winner, two.get(0).registry().addressOf(name).orElseThrow());
        assertEquals(winner, two.get(1).registry().addressOf(name).orElseThrow());
      }
    } finally {
      senders.shutdownNow();
    }
    assertEquals(RACES, two.get(1).registry().size());
  }

  @Test
  void everyServerListsEveryRegistrationInOneOrder() throws Exception {
    List<RendezvousServer> three = servers(3);
    Map<String, HostPort> expected = new LinkedHashMap<>();
    List<FakePeer> registeredPeers = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      String name = "p" + i;
      FakePeer peer = registered(three.get(i % 3), name);
      registeredPeers.add(peer);
      expected.put(name, peer.address());
    }
    for (int s = 0; s < 3; s++) {
      FakePeer asker = registeredPeers.get(s);
      asker.send(three.get(s).address(), new ListpeerRequest().withPeername("p" + s));
      ListpeerReply reply = asker.expect(ListpeerReply.class, WAIT);
      assertEquals(new ArrayList<>(expected.entrySet()), new ArrayList<>(reply.getPeerlist().entrySet()),
          "server " + s);
    }
  }

  @Test
  void anExitAtOneServerIsSeenAtAll() throws Exception {
    List<RendezvousServer> two = servers(2);
    FakePeer alice = registered(two.get(0), "alice");
    registered(two.get(1), "bob");

    alice.send(two.get(1).address(), new ExitNetwork().withPeername("alice"));

    Poll.until(WAIT, () -> two.get(0).registry().addressOf("alice").isEmpty(), () -> "alice still registered");
    assertTrue(two.get(1).registry().addressOf("alice").isEmpty());
    FakePeer again = peer();
    again.send(two.get(0).address(), register("alice", again.address()));
    again.expect(RegisterSuccess.class, WAIT);
  }

  @Test
  void aSignedExitAcceptedByOneServerIsRefusedAsAReplayByAnother() throws Exception {
    java.util.Queue<String> events = new java.util.concurrent.ConcurrentLinkedQueue<>();
    List<RendezvousServer> two = servers(2, events::add);
    IdentityServerTest.Peer alice = new IdentityServerTest.Peer("alice",
        org.p2pchat.identity.IdentityKeyPair.generate(new java.security.SecureRandom()), new IdentityServerTest.Inbox());
    try {
      Raw.send(two.get(0).address(), alice.register(java.time.Instant.now()));
      alice.verify(alice.inbox.receive(), two.get(0));
      String exit = alice.exit(java.time.Instant.now());
      Raw.send(two.get(0).address(), exit);
      Poll.until(WAIT, () -> two.get(1).registry().addressOf("alice").isEmpty(), () -> "alice removed by her exit");
      // alice comes back with the same key, within the freshness window of the exit she sent.
      Raw.send(two.get(0).address(), alice.register(java.time.Instant.now()));
      alice.verify(alice.inbox.receive(), two.get(0));

      // The recorded exit, replayed to the other server: its own nonce cache never saw it; the database did.
      Raw.send(two.get(1).address(), exit);
      Poll.until(WAIT, () -> events.stream().anyMatch(l -> l.contains("exit alice ignored: REPLAYED")),
          () -> "no refusal of the replayed exit; events: " + events);
      assertTrue(two.get(0).registry().addressOf("alice").isPresent(), "a replayed exit removed alice");
      assertTrue(two.get(1).registry().addressOf("alice").isPresent(), "a replayed exit removed alice");
    } finally {
      alice.inbox.close();
    }
  }

  @Test
  void aServerKilledWithSigkillLosesNothingItAcknowledged() throws Exception {
    String database = pg.createDatabase();
    RendezvousServer survivor = RendezvousServer.builder().host("127.0.0.1").port(0)
        .registry(pg.parsed(database)).build().start();
    servers.add(survivor);
    List<String> acknowledged = new ArrayList<>();
    try (ServerProcess doomed = ServerProcess.start(dir, "--host", "127.0.0.1", "--port", "0",
        "--registry", pg.url(database), "--identity", dir.resolve("id").toString())) {
      assertTrue(doomed.awaitLine("registry: ", WAIT).contains("user=postgres"));
      FakePeer peer = peer();
      // One at a time, so each REGISTER_SUCCESS (which names nobody) answers the name just sent.
      for (int i = 0; i < 10; i++) {
        String name = "k" + i;
        peer.send(doomed.address(), register(name, peer.address()));
        peer.expect(RegisterSuccess.class, WAIT);
        acknowledged.add(name);
      }
      // Then a burst still in flight when the process is killed: those may or may not have landed.
      for (int i = 10; i < 40; i++) {
        peer.send(doomed.address(), register("k" + i, peer.address()));
      }
      doomed.process().destroyForcibly();
      doomed.awaitExit(WAIT);
    }
    for (String name : acknowledged) {
      assertTrue(survivor.registry().contains(name), name + " lost");
    }
    FakePeer late = peer();
    late.send(survivor.address(), register("after-kill", late.address()));
    late.expect(RegisterSuccess.class, WAIT);
  }
}
