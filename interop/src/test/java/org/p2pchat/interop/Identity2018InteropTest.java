package org.p2pchat.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.p2pchat.identity.IdentityKeyPair;
import org.p2pchat.identity.KnownPeers;
import org.p2pchat.peer.ChatPeer;
import org.p2pchat.protocol.HostPort;
import org.p2pchat.server.RendezvousServer;
import org.p2pchat.testing.Receiver2018;

/**
 * A 2018 peer and a 2018 client next to identity-enabled peers and server, over real sockets, in one run: the
 * 2018 programs are played as the 2018 receiver behaves (one recv(1024) per connection, json.loads, and the
 * receiving thread dies on anything it cannot decode or a msgtype it does not know), so what they are sent is
 * judged by what would kill or confuse them. They register, list, chat both ways with a p2pchat peer (plaintext,
 * shown as unverified), while two p2pchat peers chat verified and encrypted, and a 2018 client that tries a keyed
 * name and then types exit cannot remove it.
 */
class Identity2018InteropTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Duration WAIT = Duration.ofSeconds(10);

  /** Lines a peer prints, to wait for. */
  static final class Screen {
    final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    final List<String> all = new CopyOnWriteArrayList<>();

    void line(String text) {
      lines.add(text);
      all.add(text);
    }

    void expect(String fragment) throws InterruptedException {
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (System.nanoTime() < deadline) {
        String line = lines.poll(50, TimeUnit.MILLISECONDS);
        if (line != null && line.contains(fragment)) {
          return;
        }
      }
      throw new AssertionError("never shown: \"" + fragment + "\"; screen: " + all);
    }
  }

  private static ChatPeer keyedPeer(String name, HostPort server, Screen screen) throws IOException {
    return ChatPeer.builder().name(name).port(0).advertisedHost("127.0.0.1").server(server).autoAccept(true)
        .identity(IdentityKeyPair.generate(RANDOM), KnownPeers.inMemory()).output(screen::line).build().start();
  }

  private static void expectNoIdentityFields(JsonNode msg, String what) {
    for (Iterator<String> it = msg.get("msgdata").fieldNames(); it.hasNext(); ) {
      String field = it.next();
      assertFalse(Receiver2018.IDENTITY_FIELDS.contains(field),
          () -> what + " carries identity field " + field + ": " + msg);
    }
  }

  @Test
  void a2018PeerAndClientWorkBesideIdentityPeersAndServerAndAreNeverSentWhatKillsThem() throws Exception {
    RendezvousServer server = RendezvousServer.builder().host("127.0.0.1").port(0).build().start();
    Screen aScreen = new Screen();
    Screen bScreen = new Screen();
    try (ChatPeer alice = keyedPeer("alice", server.address(), aScreen);
        ChatPeer bob = keyedPeer("bob", server.address(), bScreen);
        Receiver2018 carol = new Receiver2018("carol");
        Receiver2018 dave = new Receiver2018("dave")) {
      HostPort at = server.address();
      alice.execute("register");
      aScreen.expect("Register Successful.");
      bob.execute("register");
      bScreen.expect("Register Successful.");
      assertTrue(server.registry().keyOf("alice").isPresent(), "alice's name is bound to her key");

      // The 2018 peer registers and lists: plain 2018 replies, keyed peers listed, no keys.
      Receiver2018.send(at, "REGISTER", "{\"peername\": \"carol\", \"host\": \"127.0.0.1\", \"port\": "
          + carol.address().port() + "}");
      expectNoIdentityFields(carol.expect("REGISTER_SUCCESS"), "REGISTER_SUCCESS to 2018 carol");
      Receiver2018.send(at, "LISTPEER", "{\"peername\": \"carol\"}");
      JsonNode list = carol.expect("LISTPEER");
      expectNoIdentityFields(list, "LISTPEER reply to 2018 carol");
      JsonNode peerlist = list.get("msgdata").get("peerlist");
      assertEquals(alice.address().port(), peerlist.get("alice").get(1).asInt(), list::toString);
      assertEquals(bob.address().port(), peerlist.get("bob").get(1).asInt(), list::toString);

      // A 2018 client tries the keyed name "alice", gets Register Error. and types exit: alice stays.
      Receiver2018.send(at, "REGISTER", "{\"peername\": \"alice\", \"host\": \"127.0.0.1\", \"port\": "
          + dave.address().port() + "}");
      expectNoIdentityFields(dave.expect("REGISTER_ERROR"), "REGISTER_ERROR to a 2018 client");
      Receiver2018.send(at, "EXIT_NETWORK", "{\"peername\": \"alice\"}");
      Receiver2018.send(at, "LISTPEER", "{\"peername\": \"carol\"}");
      JsonNode after = carol.expect("LISTPEER");
      assertEquals(alice.address().port(), after.get("msgdata").get("peerlist").get("alice").get(1).asInt(),
          "the 2018 client's EXIT_NETWORK for keyed alice must not remove her: " + after);
      assertTrue(server.registry().contains("alice"));

      // Two p2pchat peers: verified and encrypted.
      alice.execute("chat request 127.0.0.1 " + bob.address().port());
      aScreen.expect("chat with bob");
      bScreen.expect("is verified");
      alice.execute("chat message bob for bob only");
      bScreen.expect("alice: for bob only");
      alice.execute("whois bob");
      aScreen.expect("bob " + bob.fingerprint() + " verified");

      // The 2018 peer asks alice to chat: a plain CHAT_ACCEPT (features may be there; nothing of identity).
      Receiver2018.send(alice.address(), "CHAT_REQUEST", "{\"peername\": \"carol\", \"host\": \"127.0.0.1\", "
          + "\"port\": " + carol.address().port() + "}");
      expectNoIdentityFields(carol.expect("CHAT_ACCEPT"), "CHAT_ACCEPT to 2018 carol");
      Receiver2018.send(alice.address(), "CHAT_MESSAGE", "{\"peername\": \"carol\", \"message\": \"hi alice\"}");
      aScreen.expect("carol: hi alice");
      alice.execute("chat message carol hi carol, 你好");
      JsonNode toCarol = carol.expect("CHAT_MESSAGE");
      expectNoIdentityFields(toCarol, "CHAT_MESSAGE to 2018 carol");
      assertEquals("hi carol, 你好", toCarol.get("msgdata").get("message").asText());
      alice.execute("whois carol");
      aScreen.expect("carol unverified (2018 peer)");

      // Bob asks the 2018 peer to chat: its CHAT_REQUEST may carry the identity offer (ignored, under 1,024
      // bytes); carol answers as 2018 does, and gets no CHAT_CONFIRM and nothing sealed after it.
      bob.execute("chat request 127.0.0.1 " + carol.address().port());
      JsonNode request = carol.expect("CHAT_REQUEST");
      assertTrue(request.toString().getBytes(StandardCharsets.UTF_8).length < 1024, request::toString);
      Receiver2018.send(request.get("msgdata").get("host").asText().equals("localhost") ? bob.address()
          : new HostPort(request.get("msgdata").get("host").asText(), request.get("msgdata").get("port").asInt()),
          "CHAT_ACCEPT", "{\"peername\": \"carol\", \"host\": \"127.0.0.1\", \"port\": " + carol.address().port()
              + "}");
      bScreen.expect("chat accept: carol");
      bob.execute("chat message carol from bob");
      JsonNode fromBob = carol.expect("CHAT_MESSAGE");
      expectNoIdentityFields(fromBob, "CHAT_MESSAGE from bob to 2018 carol");
      assertEquals("from bob", fromBob.get("msgdata").get("message").asText());
      bob.execute("disconnect carol");
      expectNoIdentityFields(carol.expect("DISCONNECT"), "DISCONNECT to 2018 carol");
      alice.execute("disconnect carol");
      expectNoIdentityFields(carol.expect("DISCONNECT"), "DISCONNECT to 2018 carol");

      carol.expectNothing();
      dave.expectNothing();
      assertNull(carol.died, () -> "2018 carol's receiver died: " + carol.died);
      assertNull(dave.died, () -> "2018 dave's receiver died: " + dave.died);
      List<String> oversize = new ArrayList<>();
      for (String text : carol.raw) {
        if (text.getBytes(StandardCharsets.UTF_8).length >= 1024) {
          oversize.add(text);
        }
      }
      assertEquals(List.of(), oversize, "messages a single recv(1024) would cut");
      // And the p2pchat chat is still sealed and verified after all of it.
      bob.execute("chat message alice still sealed");
      aScreen.expect("bob: still sealed");
    } finally {
      server.stop(Duration.ofSeconds(2));
    }
  }
}
