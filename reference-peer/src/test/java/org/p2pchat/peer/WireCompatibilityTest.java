package org.p2pchat.peer;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.p2pchat.peer.Peers.WAIT;
import static org.p2pchat.peer.Peers.assertShows;

import org.junit.jupiter.api.Test;
import org.p2pchat.protocol.HostPort;
import org.p2pchat.testing.FakePeer;

/** The exact bytes a 2018 program sends are understood, and what we send a 2018 program reads in one recv(1024). */
class WireCompatibilityTest {
  private static byte[] bytes(String text) {
    return text.getBytes(UTF_8);
  }

  @Test
  void understandsTheBytesA2018ServerAndPeerSend() throws Exception {
    Screen screen = new Screen("alice");
    try (FakePeer old = FakePeer.start();
        ChatPeer peer = Peers.peer("alice", new HostPort("127.0.0.1", old.address().port()), screen)
            .build().start()) {
      int oldPort = old.address().port();
      peer.execute("register");
      old.sendRaw(peer.address(), bytes("{\"msgtype\": \"REGISTER_SUCCESS\", \"msgdata\": {}}"));
      assertShows(screen, "Register Successful.");
      old.sendRaw(peer.address(), bytes("{\"msgtype\": \"LISTPEER\", \"msgdata\": {\"peerlist\": "
          + "{\"alice\": [\"localhost\", 4000], \"patchouli\": [\"localhost\", " + oldPort + "]}}}"));
      assertShows(screen, "display all peers:");
      assertShows(screen, "peername: alice---localhost:4000");
      assertShows(screen, "peername: patchouli---localhost:" + oldPort);

      old.sendRaw(peer.address(), bytes("{\"msgtype\": \"CHAT_REQUEST\", \"msgdata\": {\"peername\": \"patchouli\", "
          + "\"host\": \"localhost\", \"port\": " + oldPort + "}}"));
      assertShows(screen, "chat_request: patchouli --- localhost:" + oldPort);
      peer.execute("yes");
      assertShows(screen, "accepted chat request from patchouli --- localhost:" + oldPort);
      old.sendRaw(peer.address(), bytes("{\"msgtype\": \"CHAT_MESSAGE\", \"msgdata\": {\"peername\": \"patchouli\", "
          + "\"message\": \"Hello, alice. \\u4f60\\u597d\"}}"));
      assertShows(screen, "patchouli: Hello, alice. 你好");
      old.sendRaw(peer.address(), bytes("{\"msgtype\": \"DISCONNECT\", \"msgdata\": {\"peername\": \"patchouli\"}}"));
      assertShows(screen, "Disconnected from patchouli");

      peer.execute("chat request localhost " + oldPort);
      old.sendRaw(peer.address(), bytes("{\"msgtype\": \"CHAT_REFUSE\", \"msgdata\": {}}"));
      assertShows(screen, "CHAT REFUSE!");
      peer.execute("chat request localhost " + oldPort);
      old.sendRaw(peer.address(), bytes("{\"msgtype\": \"CHAT_ACCEPT\", \"msgdata\": {\"peername\": \"patchouli\", "
          + "\"host\": \"localhost\", \"port\": " + oldPort + "}}"));
      assertShows(screen, "chat accept: patchouli --- localhost:" + oldPort);
    }
  }

  @Test
  void everyMessageWeSendIsThe2018BytesAndFitsOneRecv() throws Exception {
    Screen screen = new Screen("patchouli");
    try (OneRecvReceiver old = new OneRecvReceiver();
        FakePeer helper = FakePeer.start();
        ChatPeer peer = Peers.peer("patchouli", old.address(), screen).build().start()) {
      int port = peer.address().port();
      String me = "\"peername\": \"patchouli\", \"host\": \"localhost\", \"port\": " + port;
      // CHAT_REQUEST and CHAT_ACCEPT add the optional since-2 "features" field, which a 2018 reader ignores.
      String meWithFeatures = me + ", \"features\": [\"eof\"]";

      peer.execute("register");
      assertReads(old, "{\"msgtype\": \"REGISTER\", \"msgdata\": {" + me + "}}");
      peer.execute("listpeer");
      assertReads(old, "{\"msgtype\": \"LISTPEER\", \"msgdata\": {\"peername\": \"patchouli\"}}");

      peer.execute("chat request 127.0.0.1 " + old.address().port());
      assertReads(old, "{\"msgtype\": \"CHAT_REQUEST\", \"msgdata\": {" + meWithFeatures + "}}");
      // The 2018 side answers through the helper, advertising the receiver's address.
      helper.sendRaw(peer.address(), bytes("{\"msgtype\": \"CHAT_ACCEPT\", \"msgdata\": {\"peername\": \"alice\", "
          + "\"host\": \"127.0.0.1\", \"port\": " + old.address().port() + "}}"));
      assertShows(screen, "chat accept: alice --- " + old.address());

      peer.execute("chat message alice Hello, alice. 你好\u007f");
      assertReads(old, "{\"msgtype\": \"CHAT_MESSAGE\", \"msgdata\": {\"peername\": \"patchouli\", "
          + "\"message\": \"Hello, alice. \\u4f60\\u597d\\u007f\"}}");
      String longest = "y".repeat(1024 - 80); // the message comes to exactly 1024 bytes
      peer.execute("chat message alice " + longest);
      assertReads(old, "{\"msgtype\": \"CHAT_MESSAGE\", \"msgdata\": {\"peername\": \"patchouli\", "
          + "\"message\": \"" + longest + "\"}}");
      peer.execute("disconnect alice");
      assertReads(old, "{\"msgtype\": \"DISCONNECT\", \"msgdata\": {\"peername\": \"patchouli\"}}");

      helper.sendRaw(peer.address(), bytes("{\"msgtype\": \"CHAT_REQUEST\", \"msgdata\": {\"peername\": \"alice\", "
          + "\"host\": \"127.0.0.1\", \"port\": " + old.address().port() + "}}"));
      assertShows(screen, "Please enter \"yes\" or \"no\":");
      peer.execute("yes");
      assertReads(old, "{\"msgtype\": \"CHAT_ACCEPT\", \"msgdata\": {" + meWithFeatures + "}}");
      helper.sendRaw(peer.address(), bytes("{\"msgtype\": \"CHAT_REQUEST\", \"msgdata\": {\"peername\": \"marisa\", "
          + "\"host\": \"127.0.0.1\", \"port\": " + old.address().port() + "}}"));
      assertShows(screen, "Please enter \"yes\" or \"no\":");
      peer.execute("no");
      assertReads(old, "{\"msgtype\": \"CHAT_REFUSE\", \"msgdata\": {}}");

      helper.sendRaw(peer.address(), bytes("{\"msgtype\": \"REGISTER_SUCCESS\", \"msgdata\": {}}"));
      assertShows(screen, "Register Successful.");
      peer.execute("exit");
      // alice is connected again (the accepted request): DISCONNECT, then EXIT_NETWORK, in either order.
      String first = new String(takeRead(old), UTF_8);
      String second = new String(takeRead(old), UTF_8);
      assertEquals(java.util.Set.of(
          "{\"msgtype\": \"DISCONNECT\", \"msgdata\": {\"peername\": \"patchouli\"}}",
          "{\"msgtype\": \"EXIT_NETWORK\", \"msgdata\": {\"peername\": \"patchouli\"}}"),
          java.util.Set.of(first, second));
    }
  }

  private static byte[] takeRead(OneRecvReceiver old) throws InterruptedException {
    byte[] read = old.take(WAIT);
    assertNotNull(read, "nothing arrived at the 2018-style receiver");
    return read;
  }

  private static void assertReads(OneRecvReceiver old, String expected) throws InterruptedException {
    byte[] read = takeRead(old);
    assertEquals(expected, new String(read, UTF_8));
    assertEquals(expected.getBytes(UTF_8).length, read.length);
  }
}
