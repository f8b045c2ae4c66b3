package org.p2pchat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.protocol.HostPort;
import org.p2pchat.protocol.MessageType;
import org.p2pchat.protocol.model.ExitNetwork;
import org.p2pchat.protocol.model.ListpeerReply;
import org.p2pchat.protocol.model.ListpeerRequest;
import org.p2pchat.protocol.model.Register;
import org.p2pchat.protocol.model.RegisterError;
import org.p2pchat.protocol.model.RegisterSuccess;
import org.p2pchat.testing.FakePeer;

/** The server's protocol behaviour, with FakePeers as the peers, over real loopback sockets. */
class RendezvousServerTest {
  private static final Duration WAIT = Duration.ofSeconds(5);
  private static final Duration QUIET = Duration.ofMillis(300);

  @TempDir
  Path dir;

  private RendezvousServer server;
  private final List<FakePeer> peers = new ArrayList<>();

  @BeforeEach
  void startServer() throws IOException {
    server = RendezvousServer.builder().host("127.0.0.1").port(0).stateFile(dir.resolve("state.jsonl"))
        // Every test client is 127.0.0.1: one source. These tests are about the protocol, not the
        // per-source limits (SourceLimitsServerTest), so loopback is exempt here.
        .replyTimeout(Duration.ofSeconds(1)).exemptSources(java.util.Set.of(InetAddress.getLoopbackAddress()))
        .build().start();
  }

  @AfterEach
  void stopAll() {
    peers.forEach(FakePeer::close);
    server.stop(Duration.ofSeconds(5));
  }

  private FakePeer peer() throws IOException {
    FakePeer peer = FakePeer.start();
    peers.add(peer);
    return peer;
  }

  private static Register register(String name, HostPort at) {
    return new Register().withPeername(name).withHost(at.host()).withPort(at.port());
  }

  private FakePeer registered(String name) throws Exception {
    FakePeer peer = peer();
    peer.send(server.address(), register(name, peer.address()));
    peer.expect(RegisterSuccess.class, WAIT);
    return peer;
  }

  @Test
  void registerOfFreeNameIsAnsweredWithSuccessAtAdvertisedAddressNotAtSource() throws Exception {
    FakePeer alice = peer();
    FakePeer sender = peer();

    sender.send(server.address(), register("alice", alice.address()));

    alice.expect(RegisterSuccess.class, WAIT);
    sender.expectNothing(QUIET);
    assertEquals(Optional.of(alice.address()), server.registry().addressOf("alice"));
  }

  @Test
  void registeredPeerReceivesNothingButItsReply() throws Exception {
    FakePeer alice = registered("alice");
    registered("bob");
    FakePeer carol = registered("carol");
    carol.send(server.address(), new ListpeerRequest().withPeername("carol"));
    carol.expect(ListpeerReply.class, WAIT);

    alice.expectNothing(QUIET);
  }

  @Test
  void registerOfTakenNameIsAnsweredWithErrorAndFirstRegistrationStays() throws Exception {
    FakePeer first = registered("alice");
    FakePeer second = peer();

    second.send(server.address(), register("alice", second.address()));

    second.expect(RegisterError.class, WAIT);
    first.expectNothing(QUIET);
    assertEquals(Optional.of(first.address()), server.registry().addressOf("alice"));
  }

  @Test
  void namesAreCaseSensitive() throws Exception {
    registered("alice");
    FakePeer upper = peer();

    upper.send(server.address(), register("Alice", upper.address()));

    upper.expect(RegisterSuccess.class, WAIT);
    assertEquals(2, server.registry().size());
  }

  @Test
  void concurrentRegistersOfOneNameHaveExactlyOneWinner() throws Exception {
    int contenders = 8;
    List<FakePeer> rivals = new ArrayList<>();
    for (int i = 0; i < contenders; i++) {
      rivals.add(peer());
    }
    ExecutorService pool = Executors.newFixedThreadPool(contenders);
    try {
      for (int round = 0; round < 5; round++) {
        String name = "contested-" + round;
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> sends = new ArrayList<>();
        for (FakePeer rival : rivals) {
          sends.add(pool.submit(() -> {
            go.await(5, TimeUnit.SECONDS);
            rival.send(server.address(), register(name, rival.address()));
            return null;
          }));
        }
        go.countDown();
        for (Future<?> send : sends) {
          send.get(5, TimeUnit.SECONDS);
        }
        FakePeer winner = null;
        int errors = 0;
        for (FakePeer rival : rivals) {
          FakePeer.Received reply = rival.take(WAIT);
          assertNotNull(reply, "every contender gets an answer");
          if (reply.type() == MessageType.REGISTER_SUCCESS) {
            assertEquals(null, winner, "a second REGISTER_SUCCESS for " + name);
            winner = rival;
          } else {
            assertEquals(MessageType.REGISTER_ERROR, reply.type(), reply.describe());
            errors++;
          }
        }
        assertNotNull(winner, "nobody won " + name);
        assertEquals(contenders - 1, errors);
        assertEquals(Optional.of(winner.address()), server.registry().addressOf(name));
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void listpeerIsAnsweredAtRegisteredAddressWithEveryPeerInRegistrationOrder() throws Exception {
    FakePeer carol = registered("carol");
    FakePeer alice = registered("alice");
    FakePeer bob = registered("bob");
    FakePeer elsewhere = peer();

    elsewhere.send(server.address(), new ListpeerRequest().withPeername("alice"));

    ListpeerReply reply = alice.expect(ListpeerReply.class, WAIT);
    Map<String, HostPort> expected = new LinkedHashMap<>();
    expected.put("carol", carol.address());
    expected.put("alice", alice.address());
    expected.put("bob", bob.address());
    assertEquals(List.copyOf(expected.entrySet()), List.copyOf(reply.getPeerlist().entrySet()));
    elsewhere.expectNothing(QUIET);
  }

  @Test
  void listpeerFromUnregisteredNameGetsNoReply() throws Exception {
    FakePeer alice = registered("alice");
    FakePeer stranger = peer();

    stranger.send(server.address(), new ListpeerRequest().withPeername("stranger"));

    stranger.expectNothing(QUIET);
    alice.expectNothing(Duration.ZERO);
    Poll.until(WAIT, () -> server.counters().dispatched() >= 2, () -> "LISTPEER handled: " + server.counters());
  }

  @Test
  void exitNetworkRemovesPeerAndSendsNothing() throws Exception {
    FakePeer alice = registered("alice");
    FakePeer bob = registered("bob");

    alice.send(server.address(), new ExitNetwork().withPeername("alice"));

    Poll.until(WAIT, () -> !server.registry().contains("alice"), () -> "alice still registered");
    alice.expectNothing(QUIET);
    bob.send(server.address(), new ListpeerRequest().withPeername("bob"));
    assertEquals(List.of("bob"), List.copyOf(bob.expect(ListpeerReply.class, WAIT).getPeerlist().keySet()));
  }

  @Test
  void exitNetworkOfUnknownNameChangesNothing() throws Exception {
    registered("alice");
    FakePeer stranger = peer();

    stranger.send(server.address(), new ExitNetwork().withPeername("bob"));

    Poll.until(WAIT, () -> server.counters().dispatched() >= 2, () -> "EXIT_NETWORK handled: " + server.counters());
    assertEquals(List.of("alice"), List.copyOf(server.registry().snapshot().keySet()));
    stranger.expectNothing(QUIET);
  }

  @Test
  void nameIsFreeAgainAfterExit() throws Exception {
    FakePeer first = registered("alice");
    first.send(server.address(), new ExitNetwork().withPeername("alice"));
    Poll.until(WAIT, () -> !server.registry().contains("alice"), () -> "alice still registered");

    FakePeer second = registered("alice");

    assertEquals(Optional.of(second.address()), server.registry().addressOf("alice"));
  }

  @Test
  void registrationWhoseAddressRefusesSuccessIsDropped() throws Exception {
    HostPort dead = deadAddress();
    FakePeer sender = peer();

    sender.send(server.address(), register("ghost", dead));

    Poll.until(WAIT, () -> server.counters().sendFailures() >= 1 && !server.registry().contains("ghost"),
        () -> "ghost still registered: " + server.registry().snapshot());
    registered("alice");
    assertEquals(List.of("alice"), List.copyOf(server.registry().snapshot().keySet()));
  }

  @Test
  void askerWhoseAddressRefusesListpeerReplyIsDropped() throws Exception {
    FakePeer alice = registered("alice");
    FakePeer bob = registered("bob");
    HostPort aliceAddress = alice.address();
    alice.close();

    bob.send(server.address(), new ListpeerRequest().withPeername("alice"));

    Poll.until(WAIT, () -> !server.registry().contains("alice"), () -> "alice not dropped");
    bob.expectNothing(QUIET);
    assertEquals(Optional.empty(), server.registry().addressOf("alice"), "was at " + aliceAddress);
    bob.send(server.address(), new ListpeerRequest().withPeername("bob"));
    assertEquals(List.of("bob"), List.copyOf(bob.expect(ListpeerReply.class, WAIT).getPeerlist().keySet()));
  }

  @Test
  void refusedRegisterErrorDoesNotDropTheNamesHolder() throws Exception {
    FakePeer alice = registered("alice");
    FakePeer sender = peer();

    sender.send(server.address(), register("alice", deadAddress()));

    Poll.until(WAIT, () -> server.counters().sendFailures() >= 1, () -> "REGISTER_ERROR not attempted");
    assertEquals(Optional.of(alice.address()), server.registry().addressOf("alice"));
  }

  @Test
  void deadAndSlowPeersDoNotDelayOthers() throws Exception {
    // A peer that accepts connections (the kernel does) but never reads, and peers that refuse.
    try (ServerSocket neverReads = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      HostPort slow = new HostPort("127.0.0.1", neverReads.getLocalPort());
      FakePeer sender = peer();
      for (int i = 0; i < 20; i++) {
        sender.send(server.address(), register("slow-" + i, slow));
        sender.send(server.address(), register("dead-" + i, deadAddress()));
        sender.send(server.address(), new ListpeerRequest().withPeername("slow-" + i));
      }
      long start = System.nanoTime();

      FakePeer alice = registered("alice");
      alice.send(server.address(), new ListpeerRequest().withPeername("alice"));
      ListpeerReply reply = alice.expect(ListpeerReply.class, WAIT);

      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertTrue(millis < 3000, "a live peer waited " + millis + " ms behind dead and slow ones");
      assertTrue(reply.getPeerlist().containsKey("alice"));
      Poll.until(WAIT, () -> server.registry().snapshot().keySet().stream().noneMatch(n -> n.startsWith("dead-")),
          () -> "refused registrations not dropped: " + server.registry().snapshot().keySet());
    }
  }

  /** A loopback port nothing listens on (connections are refused). */
  private static HostPort deadAddress() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return new HostPort("127.0.0.1", socket.getLocalPort());
    }
  }
}
