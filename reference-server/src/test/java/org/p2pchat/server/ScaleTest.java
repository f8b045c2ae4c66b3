package org.p2pchat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.protocol.HostPort;
import org.p2pchat.protocol.MessageType;
import org.p2pchat.protocol.model.ListpeerReply;
import org.p2pchat.protocol.model.ListpeerRequest;
import org.p2pchat.protocol.model.Register;
import org.p2pchat.protocol.model.RegisterSuccess;
import org.p2pchat.testing.FakePeer;

/**
 * 100,000 registered peers, and a LISTPEER of all of them received whole. The registry is loaded from a
 * state file written here (one line a peer, the documented format), which keeps the test fast.
 */
class ScaleTest {
  private static final int PEERS = 100_000;

  @TempDir
  Path dir;

  private static String name(int i) {
    return String.format("peer-%06d", i);
  }

  @Test
  void listpeerOfHundredThousandPeersIsReceivedWholeInRegistrationOrder() throws Exception {
    Path state = dir.resolve("state.jsonl");
    try (BufferedWriter out = Files.newBufferedWriter(state, StandardCharsets.UTF_8)) {
      out.write("{\"format\":\"p2pchat-server-state\",\"version\":1}\n");
      for (int i = 0; i < PEERS; i++) {
        out.write("{\"op\":\"register\",\"peername\":\"" + name(i) + "\",\"host\":\"localhost\",\"port\":"
            + (1024 + i % 60000) + "}\n");
      }
    }
    long loadStart = System.nanoTime();
    // The registry's default cap is 100,000 names: one more for the asker.
    try (RendezvousServer server = RendezvousServer.builder().port(0).stateFile(state).maxPeers(PEERS + 1).build()
        .start();
        FakePeer asker = FakePeer.start()) {
      long loadMillis = millisSince(loadStart);
      assertEquals(PEERS, server.registry().size());
      asker.send(server.address(), new Register().withPeername("asker").withFeatures(java.util.Set.of("eof")).withHost(asker.address().host())
          .withPort(asker.address().port()));
      asker.expect(RegisterSuccess.class, Duration.ofSeconds(5));

      long start = System.nanoTime();
      asker.send(server.address(), new ListpeerRequest().withPeername("asker"));
      FakePeer.Received received = asker.take(Duration.ofSeconds(60));
      long listMillis = millisSince(start);

      assertTrue(received != null && received.type() == MessageType.LISTPEER_REPLY,
          () -> "no whole LISTPEER reply: " + (received == null ? "nothing" : received.validation().summary()));
      Map<String, HostPort> peerlist = received.as(ListpeerReply.class).getPeerlist();
      assertEquals(PEERS + 1, peerlist.size());
      Iterator<Map.Entry<String, HostPort>> it = peerlist.entrySet().iterator();
      for (int i = 0; i < PEERS; i++) {
        Map.Entry<String, HostPort> entry = it.next();
        assertEquals(name(i), entry.getKey());
        assertEquals(1024 + i % 60000, entry.getValue().port());
      }
      assertEquals("asker", it.next().getKey());
      System.out.printf("scale: loaded %d peers in %d ms; LISTPEER of %d peers (%d bytes) received whole in %d ms%n",
          PEERS, loadMillis, peerlist.size(), received.bytes().length, listMillis);
    }
  }

  @Test
  void registrationsOverTheNetworkAreDurableAndFast() throws Exception {
    int count = 2_000;
    int threads = 8;
    Path state = dir.resolve("state.jsonl");
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    // One loopback address stands for many peers here: held to no per-source rate or name limit.
    try (RendezvousServer server = RendezvousServer.builder().port(0).stateFile(state)
        .exemptSources(java.util.Set.of(java.net.InetAddress.getByName("127.0.0.1"))).build().start();
        FakePeer peer = FakePeer.start()) {
      long start = System.nanoTime();
      List<Future<?>> sends = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int first = t;
        sends.add(pool.submit(() -> {
          for (int i = first; i < count; i += threads) {
            peer.send(server.address(), new Register().withPeername(name(i)).withHost(peer.address().host())
                .withPort(peer.address().port()));
          }
          return null;
        }));
      }
      for (Future<?> send : sends) {
        send.get(60, TimeUnit.SECONDS);
      }
      for (int i = 0; i < count; i++) {
        peer.expect(RegisterSuccess.class, Duration.ofSeconds(10));
      }
      long millis = millisSince(start);

      assertEquals(count, server.registry().size());
      long lines = Files.lines(state).count();
      assertEquals(count + 1, lines, "every acknowledged registration is in the state file");
      System.out.printf("scale: %d registrations over the network, each on disk before its ack, in %d ms "
          + "(%.0f/s)%n", count, millis, count * 1000.0 / Math.max(1, millis));
    } finally {
      pool.shutdownNow();
    }
  }

  private static long millisSince(long start) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
  }
}
