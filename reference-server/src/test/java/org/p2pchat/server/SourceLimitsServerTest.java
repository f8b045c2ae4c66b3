package org.p2pchat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.protocol.HostPort;

/**
 * Per-source limits over real sockets, two loopback addresses standing for two hosts: a source over its
 * message rate is not served while another is; a source holding its names and a full registry get
 * REGISTER_ERROR; a LISTPEER reply aimed at an address the requester has not shown it owns carries at
 * most 20 bytes per request byte.
 */
class SourceLimitsServerTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  private RendezvousServer.Builder server() {
    return RendezvousServer.builder().port(0).host("127.0.0.1").stateFile(dir.resolve("state.jsonl"));
  }

  @Test
  void aSourceOverItsMessageRateIsNotServedWhileAnotherIs() throws Exception {
    InetAddress flooder = InetAddress.getByName("127.0.0.2");
    InetAddress other = InetAddress.getByName("127.0.0.1");
    try (Replies replies = new Replies();
        RendezvousServer server = server().messagesPerSource(1).build().start()) {
      HostPort to = server.address();
      int sent = 30;
      long start = System.nanoTime();
      for (int i = 0; i < sent; i++) {
        Replies.sendFrom(flooder, to, Replies.register("f" + i, "127.0.0.1", replies.port()));
      }
      long seconds = (System.nanoTime() - start) / 1_000_000_000L + 1;
      Replies.sendFrom(other, to, Replies.register("other", "127.0.0.1", replies.port()));
      Poll.until(Duration.ofSeconds(30), () -> server.registry().contains("other"), () -> "other not registered");
      Poll.until(Duration.ofSeconds(30), () -> server.limited() + server.registry().size() - 1 == sent,
          () -> "limited " + server.limited() + ", registered " + server.registry().size());
      long served = server.registry().size() - 1;
      // A burst of 2 and 1 a second: at most 2 + the seconds the sends took.
      assertTrue(served >= 2 && served <= 2 + seconds, "served " + served + " in " + seconds + " s");
    }
  }

  @Test
  void heartbeatsCountAgainstTheMessageRateLikeEveryRequest() throws Exception {
    InetAddress flooder = InetAddress.getByName("127.0.0.2");
    try (RendezvousServer server = server().messagesPerSource(1).lease(Duration.ofSeconds(90)).build().start()) {
      HostPort to = server.address();
      int sent = 30;
      long start = System.nanoTime();
      for (int i = 0; i < sent; i++) {
        Replies.sendFrom(flooder, to, "{\"msgtype\": \"HEARTBEAT\", \"msgdata\": {\"peername\": \"nobody\"}}");
      }
      long seconds = (System.nanoTime() - start) / 1_000_000_000L + 1;
      // A burst of 2 and 1 a second: every other HEARTBEAT is refused before its signature or lookup.
      long atLeast = sent - 2 - seconds;
      Poll.until(Duration.ofSeconds(30), () -> server.limited() >= atLeast,
          () -> "limited " + server.limited() + " of " + sent + " HEARTBEATs in " + seconds + " s");
      assertTrue(server.limited() <= sent, "limited " + server.limited());
    }
  }

  @Test
  void aSourceHoldingItsNamesGetsRegisterErrorUntilOneLeaves() throws Exception {
    InetAddress source = InetAddress.getByName("127.0.0.2");
    try (Replies replies = new Replies();
        RendezvousServer server = server().maxNamesPerSource(3).build().start()) {
      HostPort to = server.address();
      for (int i = 0; i < 3; i++) {
        Replies.sendFrom(source, to, Replies.register("n" + i, "127.0.0.1", replies.port()));
        assertTrue(replies.nextText(10).contains("REGISTER_SUCCESS"));
      }
      Replies.sendFrom(source, to, Replies.register("n3", "127.0.0.1", replies.port()));
      assertTrue(replies.nextText(10).contains("REGISTER_ERROR"), "the fourth name from one source");
      Replies.sendFrom(source, to, Replies.register("n0", "127.0.0.1", replies.port()));
      assertTrue(replies.nextText(10).contains("REGISTER_ERROR"), "a duplicate is still a duplicate");
      Replies.sendFrom(InetAddress.getByName("127.0.0.1"), to, Replies.register("x", "127.0.0.1", replies.port()));
      assertTrue(replies.nextText(10).contains("REGISTER_SUCCESS"), "another source is served");
      Replies.sendFrom(source, to, Replies.exit("n1"));
      Poll.until(Duration.ofSeconds(10), () -> !server.registry().contains("n1"), () -> "n1 still registered");
      Replies.sendFrom(source, to, Replies.register("n3", "127.0.0.1", replies.port()));
      assertTrue(replies.nextText(10).contains("REGISTER_SUCCESS"), "room again after an exit");
      assertEquals(Set.of("n0", "n2", "n3", "x"), server.registry().snapshot().keySet());
    }
  }

  @Test
  void aFullRegistryRefusesNewNames() throws Exception {
    try (Replies replies = new Replies();
        RendezvousServer server = server().maxPeers(2).build().start()) {
      HostPort to = server.address();
      Raw.send(to, Replies.register("a", "127.0.0.1", replies.port()));
      assertTrue(replies.nextText(10).contains("REGISTER_SUCCESS"));
      Raw.send(to, Replies.register("b", "127.0.0.1", replies.port()));
      assertTrue(replies.nextText(10).contains("REGISTER_SUCCESS"));
      Raw.send(to, Replies.register("c", "127.0.0.1", replies.port()));
      assertTrue(replies.nextText(10).contains("REGISTER_ERROR"), "full");
      assertEquals(2, server.registry().size());
      Raw.send(to, Replies.exit("a"));
      Poll.until(Duration.ofSeconds(10), () -> server.registry().size() == 1, () -> "a still registered");
      Raw.send(to, Replies.register("c", "127.0.0.1", replies.port()));
      assertTrue(replies.nextText(10).contains("REGISTER_SUCCESS"), "room again");
    }
  }

  @Test
  void aListpeerAimedAtAnAddressNotShownOwnedIsBoundedToTwentyTimesTheRequest() throws Exception {
    InetAddress stranger = InetAddress.getByName("127.0.0.2");
    InetAddress owner = InetAddress.getByName("127.0.0.1");
    Path state = dir.resolve("state.jsonl");
    StringBuilder file = new StringBuilder("{\"format\":\"p2pchat-server-state\",\"version\":1}\n");
    for (int i = 0; i < 300; i++) {
      file.append("{\"op\":\"register\",\"peername\":\"").append(String.format("peer-%04d", i))
          .append("\",\"host\":\"localhost\",\"port\":").append(1024 + i).append("}\n");
    }
    java.nio.file.Files.writeString(state, file);
    try (Replies replies = new Replies();
        RendezvousServer server = server().build().start()) {
      HostPort to = server.address();
      // Registered with features, so it would get the whole list; the reply goes to 127.0.0.1.
      Replies.sendFrom(owner, to, Replies.register("asker", "127.0.0.1", replies.port(), "eof"));
      assertTrue(replies.nextText(10).contains("REGISTER_SUCCESS"));

      String request = Replies.listpeer("asker");
      Replies.sendFrom(stranger, to, request);
      byte[] bounded = replies.next(10);
      assertTrue(bounded.length <= 20 * request.getBytes(StandardCharsets.UTF_8).length,
          bounded.length + " bytes for a request of " + request.length());
      JsonNode peers = JSON.readTree(bounded).path("msgdata").path("peerlist");
      assertTrue(peers.size() > 5 && peers.size() < 301, "the oldest that fit: " + peers.size());
      assertTrue(peers.has("peer-0000"));

      System.out.printf("amplification: %d-byte LISTPEER from a stranger: %d-byte reply (%.1fx), %d of 301 peers%n",
          request.length(), bounded.length, bounded.length / (double) request.length(), peers.size());
      Replies.sendFrom(owner, to, request);
      JsonNode all = JSON.readTree(replies.next(10)).path("msgdata").path("peerlist");
      assertEquals(301, all.size(), "from the reply's own address: the whole list");
    }
  }
}
