package org.p2pchat.peer;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.p2pchat.peer.Peers.QUIET;
import static org.p2pchat.peer.Peers.WAIT;
import static org.p2pchat.peer.Peers.assertShows;
import static org.p2pchat.peer.Peers.requestFrom;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.p2pchat.protocol.HostPort;
import org.p2pchat.protocol.model.ChatAccept;
import org.p2pchat.protocol.model.ChatMessage;
import org.p2pchat.protocol.model.ChatRefuse;
import org.p2pchat.protocol.model.ChatRequest;
import org.p2pchat.protocol.model.Disconnect;
import org.p2pchat.protocol.model.ExitNetwork;
import org.p2pchat.protocol.model.ListpeerReply;
import org.p2pchat.protocol.model.ListpeerRequest;
import org.p2pchat.protocol.model.Register;
import org.p2pchat.protocol.model.RegisterError;
import org.p2pchat.testing.FakePeer;

class ChatCommandsTest {
  private static ChatMessage message(String from, String text) {
    return new ChatMessage().withPeername(from).withMessage(text);
  }

  /** Connects {@code fake} (named {@code name}) to {@code peer} by a request from the fake answered "yes". */
  private static void connectFrom(FakePeer fake, String name, ChatPeer peer, Screen screen) throws Exception {
    fake.send(peer.address(), requestFrom(name, fake.address()));
    assertShows(screen, "Please enter \"yes\" or \"no\":");
    peer.execute("yes " + name);
    fake.expect(ChatAccept.class, WAIT);
  }

  @Test
  void chatRequestThatIsAcceptedShowsChatAcceptAndConnects() throws Exception {
    Screen screen = new Screen("patchouli");
    try (FakePeer alice = Peers.acceptingPeer("alice");
        ChatPeer peer = Peers.peer("patchouli", Peers.deadAddress(), screen).build().start()) {
      HostPort aliceAt = alice.address();
      peer.execute("chat request " + aliceAt.host() + " " + aliceAt.port());

      ChatRequest request = alice.expect(ChatRequest.class, WAIT);
      assertEquals("patchouli", request.getPeername());
      assertEquals("localhost", request.getHost());
      assertEquals(peer.address().port(), request.getPort());
      // alice advertises "localhost", as a 2018 peer does, though we asked 127.0.0.1.
      assertShows(screen, "chat accept: alice --- localhost:" + aliceAt.port());
      assertEquals(Map.of("alice", aliceAt), peer.connectedPeers());

      peer.execute("chat message alice Hello, alice.");
      ChatMessage sent = alice.expect(ChatMessage.class, WAIT);
      assertEquals("patchouli", sent.getPeername());
      assertEquals("Hello, alice.", sent.getMessage());
    }
  }

  @Test
  void chatRequestThatIsRefusedShowsChatRefuse() throws Exception {
    Screen screen = new Screen("patchouli");
    try (FakePeer alice = FakePeer.start();
        ChatPeer peer = Peers.peer("patchouli", Peers.deadAddress(), screen).build().start()) {
      alice.on(ChatRequest.class, (req, r) ->
          FakePeer.reply(new HostPort(req.getHost(), req.getPort()), new ChatRefuse()));
      peer.execute("chat request localhost " + alice.address().port());

      assertShows(screen, "CHAT REFUSE!");
      assertTrue(peer.connectedPeers().isEmpty());
    }
  }

  @Test
  void chatRequestWithoutAnswerGivesUpAfterTheExpiryAndReplyTimeout() throws Exception {
    Screen screen = new Screen("patchouli");
    try (FakePeer alice = FakePeer.start();
        ChatPeer peer = Peers.peer("patchouli", Peers.deadAddress(), screen)
            .requestExpiry(Duration.ofMillis(200)).replyTimeout(Duration.ofMillis(100)).build().start()) {
      peer.execute("chat request 127.0.0.1 " + alice.address().port());

      alice.expect(ChatRequest.class, WAIT);
      assertShows(screen, "no answer to the chat request to " + alice.address() + " within 300 ms; gave up");
      // A late accept is then one nobody asked for.
      alice.send(peer.address(), new ChatAccept().withPeername("alice").withHost("127.0.0.1")
          .withPort(alice.address().port()));
      alice.send(peer.address(), requestFrom("bob", alice.address()));
      assertShows(screen, "chat_request: bob --- " + alice.address());
      assertTrue(peer.connectedPeers().isEmpty());
    }
  }

  @Test
  void chatRequestByNameUsesTheAddressFromTheLastListpeer() throws Exception {
    Screen screen = new Screen("patchouli");
    try (FakePeer server = Peers.acceptingServer();
        FakePeer alice = Peers.acceptingPeer("alice");
        ChatPeer peer = Peers.peer("patchouli", server.address(), screen).build().start()) {
      peer.execute("chat request alice");
      assertShows(screen, "unknown peer alice: not in the last listpeer (run listpeer, or use chat request HOST PORT)");

      LinkedHashMap<String, HostPort> list = new LinkedHashMap<>();
      list.put("alice", alice.address());
      server.on(ListpeerRequest.class, (req, r) ->
          FakePeer.reply(peer.advertisedAddress(), new ListpeerReply().withPeerlist(list)));
      peer.execute("listpeer");
      assertShows(screen, "peername: alice---" + alice.address());
      peer.execute("chat request alice");

      assertEquals("patchouli", alice.expect(ChatRequest.class, WAIT).getPeername());
      assertShows(screen, "chat accept: alice --- localhost:" + alice.address().port());
    }
  }

  @Test
  void incomingRequestAsksAndYesAcceptsIt() throws Exception {
    Screen screen = new Screen("alice");
    try (FakePeer patchouli = FakePeer.start();
        ChatPeer peer = Peers.peer("alice", Peers.deadAddress(), screen).build().start()) {
      patchouli.send(peer.address(), requestFrom("patchouli", patchouli.address()));

      assertShows(screen, "chat_request: patchouli --- " + patchouli.address());
      assertShows(screen, "Please enter \"yes\" or \"no\":");
      patchouli.expectNothing(QUIET);
      peer.execute("yes");

      ChatAccept accept = patchouli.expect(ChatAccept.class, WAIT);
      assertEquals("alice", accept.getPeername());
      assertEquals("localhost", accept.getHost());
      assertEquals(peer.address().port(), accept.getPort());
      assertShows(screen, "accepted chat request from patchouli --- " + patchouli.address());
      patchouli.send(peer.address(), message("patchouli", "Hello, alice."));
      assertShows(screen, "patchouli: Hello, alice.");
    }
  }

  @Test
  void noRefusesTheRequestWithChatRefuse() throws Exception {
    Screen screen = new Screen("alice");
    try (FakePeer patchouli = FakePeer.start();
        ChatPeer peer = Peers.peer("alice", Peers.deadAddress(), screen).build().start()) {
      patchouli.send(peer.address(), requestFrom("patchouli", patchouli.address()));
      assertShows(screen, "Please enter \"yes\" or \"no\":");

      peer.execute("no");

      assertEquals("{\"msgtype\": \"CHAT_REFUSE\", \"msgdata\": {}}", patchouli.take(WAIT).text());
      assertShows(screen, "refused chat request from patchouli --- " + patchouli.address());
      assertTrue(peer.connectedPeers().isEmpty());
    }
  }

  @Test
  void aStrayYesChangesNothingAndALaterRequestStillAsks() throws Exception {
    Screen screen = new Screen("alice");
    try (FakePeer patchouli = FakePeer.start();
        ChatPeer peer = Peers.peer("alice", Peers.deadAddress(), screen).build().start()) {
      peer.execute("yes");
      assertShows(screen, "no chat request is pending");

      patchouli.send(peer.address(), requestFrom("patchouli", patchouli.address()));

      assertShows(screen, "Please enter \"yes\" or \"no\":");
      patchouli.expectNothing(QUIET);
      assertEquals(1, peer.pendingRequestCount());
      assertTrue(peer.connectedPeers().isEmpty());
    }
  }

  @Test
  void yesNameAndNoNameAnswerThatPeersRequestOnly() throws Exception {
    Screen screen = new Screen("alice");
    try (FakePeer patchouli = FakePeer.start();
        FakePeer marisa = FakePeer.start();
        ChatPeer peer = Peers.peer("alice", Peers.deadAddress(), screen).build().start()) {
      patchouli.send(peer.address(), requestFrom("patchouli", patchouli.address()));
      assertShows(screen, "chat_request: patchouli --- " + patchouli.address());
      marisa.send(peer.address(), requestFrom("marisa", marisa.address()));
      assertShows(screen, "chat_request: marisa --- " + marisa.address());

      peer.execute("yes nobody");
      assertShows(screen, "no chat request from nobody is pending");
      peer.execute("no marisa");
      assertShows(screen, "refused chat request from marisa --- " + marisa.address());
      assertShows(screen, "1 more chat request pending (\"pending\" lists them)");
      marisa.expect(ChatRefuse.class, WAIT);
      patchouli.expectNothing(QUIET);

      peer.execute("pending");
      assertShows(screen, "pending chat requests:");
      peer.execute("yes patchouli");
      patchouli.expect(ChatAccept.class, WAIT);
      assertEquals(Map.of("patchouli", patchouli.address()), peer.connectedPeers());
      marisa.expectNothing(QUIET);
    }
  }

  @Test
  void anUnansweredRequestExpiresWithChatRefuseAndALine() throws Exception {
    Screen screen = new Screen("alice");
    try (FakePeer patchouli = FakePeer.start();
        ChatPeer peer = Peers.peer("alice", Peers.deadAddress(), screen)
            .requestExpiry(Duration.ofMillis(200)).build().start()) {
      patchouli.send(peer.address(), requestFrom("patchouli", patchouli.address()));

      patchouli.expect(ChatRefuse.class, WAIT);
      assertShows(screen, "chat request from patchouli --- " + patchouli.address() + " expired after 200 ms; refused");
      peer.execute("yes");
      assertShows(screen, "no chat request is pending");
      patchouli.expectNothing(QUIET);
    }
  }

  @Test
  void messagesKeepArrivingWhileARequestWaitsForAnAnswer() throws Exception {
    Screen screen = new Screen("alice");
    try (FakePeer patchouli = FakePeer.start();
        FakePeer marisa = FakePeer.start();
        ChatPeer peer = Peers.peer("alice", Peers.deadAddress(), screen).build().start()) {
      connectFrom(patchouli, "patchouli", peer, screen);
      marisa.send(peer.address(), requestFrom("marisa", marisa.address()));
      assertShows(screen, "chat_request: marisa --- " + marisa.address());

      patchouli.send(peer.address(), message("patchouli", "are you there?"));
      patchouli.send(peer.address(), message("patchouli", "still here"));

      List<String> both = List.of("patchouli: are you there?", "patchouli: still here");
      assertTrue(screen.awaitAll(both, WAIT), () -> "expected " + both + " in " + screen.lines());
      assertEquals(1, peer.pendingRequestCount());
    }
  }

  @Test
  void aChatAcceptNobodyAskedForIsIgnored() throws Exception {
    Screen screen = new Screen("patchouli");
    try (FakePeer mallory = FakePeer.start();
        ChatPeer peer = Peers.peer("patchouli", Peers.deadAddress(), screen).build().start()) {
      mallory.send(peer.address(), new ChatAccept().withPeername("mallory").withHost("127.0.0.1")
          .withPort(mallory.address().port()));
      mallory.send(peer.address(), message("mallory", "I am connected, right?"));
      // The next valid request is still served, and shows the accept left no trace.
      mallory.send(peer.address(), requestFrom("mallory", mallory.address()));

      assertShows(screen, "chat_request: mallory --- " + mallory.address());
      assertTrue(peer.connectedPeers().isEmpty());
      assertFalse(screen.lines().contains("chat accept: mallory --- " + mallory.address()));
      assertFalse(screen.lines().contains("mallory: I am connected, right?"));
      peer.execute("chat message mallory hi");
      assertShows(screen, "not connected to mallory (\"list connected peer\" shows who is)");
      mallory.expectNothing(QUIET);
    }
  }

  @Test
  void chatMessageKeepsTheRestOfTheLineWithItsSpaces() throws Exception {
    Screen screen = new Screen("alice");
    try (FakePeer patchouli = FakePeer.start();
        ChatPeer peer = Peers.peer("alice", Peers.deadAddress(), screen).build().start()) {
      connectFrom(patchouli, "patchouli", peer, screen);

      peer.execute("chat message patchouli   two  spaces,\tone tab and \"quotes\" it's fine!  ");

      assertEquals("two  spaces,\tone tab and \"quotes\" it's fine!",
          patchouli.expect(ChatMessage.class, WAIT).getMessage());
    }
  }

  @Test
  void aMessageTooLongForA2018PeerIsNotSentAndSaysSo() throws Exception {
    Screen screen = new Screen("alice");
    try (FakePeer patchouli = FakePeer.start();
        ChatPeer peer = Peers.peer("alice", Peers.deadAddress(), screen).build().start()) {
      connectFrom(patchouli, "patchouli", peer, screen);

      peer.execute("chat message patchouli " + "x".repeat(1000));

      assertShows(screen, "not sending CHAT_MESSAGE to " + patchouli.address() + ": message is 1076 bytes,"
          + " over the limit of 1024 (a 2018 peer reads at most 1024 bytes; send a shorter message)");
      patchouli.expectNothing(QUIET);
      peer.execute("chat message patchouli short");
      assertEquals("short", patchouli.expect(ChatMessage.class, WAIT).getMessage());
    }
  }

  @Test
  void disconnectTellsThePeerAndAnIncomingDisconnectShowsALine() throws Exception {
    Screen screen = new Screen("alice");
    try (FakePeer patchouli = FakePeer.start();
        FakePeer marisa = FakePeer.start();
        ChatPeer peer = Peers.peer("alice", Peers.deadAddress(), screen).build().start()) {
      connectFrom(patchouli, "patchouli", peer, screen);
      connectFrom(marisa, "marisa", peer, screen);

      peer.execute("list connected peer");
      assertShows(screen, "connected peers:");
      assertShows(screen, "peername: patchouli---" + patchouli.address());
      assertShows(screen, "peername: marisa---" + marisa.address());
      peer.execute("disconnect patchouli");
      assertEquals("alice", patchouli.expect(Disconnect.class, WAIT).getPeername());
      marisa.send(peer.address(), new Disconnect().withPeername("marisa"));

      assertShows(screen, "Disconnected from marisa");
      peer.execute("list connected peer");
      assertShows(screen, "no connected peers");
      peer.execute("disconnect patchouli");
      assertShows(screen, "not connected to patchouli (\"list connected peer\" shows who is)");
    }
  }

  @Test
  void aMessageFromAPeerNotConnectedIsDropped() throws Exception {
    Screen screen = new Screen("alice");
    try (FakePeer patchouli = FakePeer.start();
        ChatPeer peer = Peers.peer("alice", Peers.deadAddress(), screen).build().start()) {
      patchouli.send(peer.address(), message("stranger", "psst"));
      patchouli.send(peer.address(), requestFrom("patchouli", patchouli.address()));

      assertShows(screen, "chat_request: patchouli --- " + patchouli.address());
      assertFalse(screen.lines().contains("stranger: psst"));
    }
  }

  @Test
  void malformedInputIsSurvivedAndTheNextMessageIsShown() throws Exception {
    Screen screen = new Screen("alice");
    try (FakePeer patchouli = FakePeer.start();
        ChatPeer peer = Peers.peer("alice", Peers.deadAddress(), screen).build().start()) {
      connectFrom(patchouli, "patchouli", peer, screen);

      patchouli.sendRaw(peer.address(), "{\"msgtype\": \"CHAT_MESS".getBytes(UTF_8));
      patchouli.sendRaw(peer.address(), "{\"msgtype\": \"NO_SUCH_TYPE\", \"msgdata\": {}}".getBytes(UTF_8));
      patchouli.sendRaw(peer.address(), "{\"msgtype\": \"CHAT_MESSAGE\", \"msgdata\": {}}".getBytes(UTF_8));
      patchouli.sendRaw(peer.address(), new byte[] {(byte) 0xff, (byte) 0xfe});
      patchouli.send(peer.address(), message("patchouli", "still talking"));

      assertShows(screen, "patchouli: still talking");
    }
  }

  @Test
  void controlCharactersFromTheNetworkAreNotPrinted() throws Exception {
    Screen screen = new Screen("alice");
    try (FakePeer patchouli = FakePeer.start();
        ChatPeer peer = Peers.peer("alice", Peers.deadAddress(), screen).build().start()) {
      connectFrom(patchouli, "patchouli", peer, screen);

      patchouli.send(peer.address(), message("patchouli", "\u001b[2Jcleared?\nfake line"));

      assertShows(screen, "patchouli: \\u001b[2Jcleared?\\nfake line");
    }
  }

  @Test
  void autoAcceptAcceptsEveryRequestAndSaysWhich() throws Exception {
    Screen screen = new Screen("alice");
    try (FakePeer patchouli = FakePeer.start();
        ChatPeer peer = Peers.peer("alice", Peers.deadAddress(), screen).autoAccept(true).build().start()) {
      patchouli.send(peer.address(), requestFrom("patchouli", patchouli.address()));

      assertEquals("alice", patchouli.expect(ChatAccept.class, WAIT).getPeername());
      assertShows(screen, "chat_request: patchouli --- " + patchouli.address());
      assertShows(screen, "accepted chat request from patchouli --- " + patchouli.address() + " (auto-accept)");
      assertEquals(Map.of("patchouli", patchouli.address()), peer.connectedPeers());
    }
  }

  @Test
  void exitDisconnectsEveryConnectedPeerAndLeavesTheNetworkOnce() throws Exception {
    Screen screen = new Screen("alice");
    try (FakePeer server = Peers.acceptingServer();
        FakePeer patchouli = FakePeer.start();
        FakePeer marisa = FakePeer.start();
        FakePeer waiting = FakePeer.start();
        ChatPeer peer = Peers.peer("alice", server.address(), screen).build().start()) {
      peer.execute("register");
      assertShows(screen, "Register Successful.");
      server.expect(Register.class, WAIT);
      connectFrom(patchouli, "patchouli", peer, screen);
      connectFrom(marisa, "marisa", peer, screen);
      waiting.send(peer.address(), requestFrom("waiting", waiting.address()));
      assertShows(screen, "chat_request: waiting --- " + waiting.address());

      assertFalse(peer.execute("exit"));

      assertEquals("alice", patchouli.expect(Disconnect.class, WAIT).getPeername());
      assertEquals("alice", marisa.expect(Disconnect.class, WAIT).getPeername());
      waiting.expect(ChatRefuse.class, WAIT);
      assertEquals("alice", server.expect(ExitNetwork.class, WAIT).getPeername());
      assertTrue(peer.isClosed());
      assertFalse(peer.execute("help"));
      server.expectNothing(QUIET);
      patchouli.expectNothing(Duration.ZERO);
    }
  }

  @Test
  void exitAfterAFailedRegisterDoesNotUnregisterTheNamesOwner() throws Exception {
    Screen screen = new Screen("alice");
    try (FakePeer server = FakePeer.start();
        ChatPeer peer = Peers.peer("alice", server.address(), screen).build().start()) {
      server.on(Register.class, (reg, r) ->
          FakePeer.reply(new HostPort(reg.getHost(), reg.getPort()), new RegisterError()));
      peer.execute("register");
      assertShows(screen, "Register Error.");
      assertNotNull(server.take(WAIT));

      peer.execute("exit");

      server.expectNothing(QUIET);
    }
  }
}
