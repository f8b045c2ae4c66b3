package org.p2pchat.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.p2pchat.peer.Peers.QUIET;
import static org.p2pchat.peer.Peers.WAIT;
import static org.p2pchat.peer.Peers.assertShows;
import static org.p2pchat.peer.Peers.requestFrom;

import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.p2pchat.protocol.HostPort;
import org.p2pchat.protocol.model.ChatAccept;
import org.p2pchat.protocol.model.ChatMessage;
import org.p2pchat.protocol.model.ChatRefuse;
import org.p2pchat.protocol.model.ChatRequest;
import org.p2pchat.protocol.model.Disconnect;
import org.p2pchat.protocol.model.ListpeerReply;
import org.p2pchat.protocol.model.ListpeerRequest;
import org.p2pchat.testing.FakePeer;

/** Conversations (talk), feedback for every action, long messages between our peers, timestamps. */
class ConversationsTest {
  /** alice asks bob by address; bob says yes. Both are our peers, so both advertise eof. */
  private static void connect(ChatPeer alice, Screen aliceScreen, ChatPeer bob, Screen bobScreen) throws Exception {
    alice.execute("chat request localhost " + bob.address().port());
    assertShows(bobScreen, "Please enter \"yes\" or \"no\":");
    bob.execute("yes");
    assertShows(aliceScreen, "chat accept: bob --- localhost:" + bob.address().port());
  }

  @Test
  void aTenLineConversationNeedsNoChatMessage() throws Exception {
    Screen a = new Screen("alice");
    Screen b = new Screen("bob");
    try (ChatPeer alice = Peers.peer("alice", Peers.deadAddress(), a).build().start();
        ChatPeer bob = Peers.peer("bob", Peers.deadAddress(), b).build().start()) {
      connect(alice, a, bob, b);
      alice.execute("talk bob");
      assertShows(a, "talking to bob: plain lines go to bob; /talk leaves, /help lists commands");
      assertEquals("bob> ", alice.prompt());
      bob.execute("/talk alice"); // a / in front works outside a conversation too
      assertEquals("alice> ", bob.prompt());
      for (int i = 1; i <= 5; i++) {
        alice.execute("line " + i + " from alice, spaces  kept");
        assertShows(b, "alice: line " + i + " from alice, spaces  kept");
        bob.execute("line " + i + " from bob");
        assertShows(a, "bob: line " + i + " from bob");
      }
      alice.execute("exit"); // a chat message in a conversation, not the command
      assertShows(b, "alice: exit");
      alice.execute("//help is on its way");
      assertShows(b, "alice: /help is on its way");
      alice.execute("/list connected peer");
      assertShows(a, "connected peers:");
      assertShows(a, "peername: bob---localhost:" + bob.address().port());
      alice.execute("/talk");
      assertShows(a, "left the conversation with bob");
      assertEquals(">> ", alice.prompt());
      alice.execute("hello?");
      assertShows(a, "unknown command: hello? (type \"help\" for the command list)");
      assertFalse(alice.isClosed());
      bob.execute("/exit");
      assertTrue(bob.isClosed());
      assertShows(a, "Disconnected from bob");
    }
  }

  @Test
  void talkToSomeoneNotConnectedSaysSoAndAConversationEndsWithTheChat() throws Exception {
    Screen a = new Screen("alice");
    Screen b = new Screen("bob");
    try (ChatPeer alice = Peers.peer("alice", Peers.deadAddress(), a).build().start();
        ChatPeer bob = Peers.peer("bob", Peers.deadAddress(), b).build().start()) {
      alice.execute("talk nobody");
      assertShows(a, "not connected to nobody (\"list connected peer\" shows who is)");
      alice.execute("talk");
      assertShows(a, "not in a conversation (\"talk PEERNAME\" starts one)");
      connect(alice, a, bob, b);
      alice.execute("talk bob");
      bob.execute("disconnect alice");
      assertShows(b, "disconnected from alice --- localhost:" + alice.address().port());
      assertShows(a, "Disconnected from bob");
      assertShows(a, "conversation with bob ended");
      assertEquals(">> ", alice.prompt());
    }
  }

  @Test
  void aLongCjkMessageBetweenTwoOfOurPeersArrivesWholeAsUtf8() throws Exception {
    Screen a = new Screen("alice");
    Screen b = new Screen("bob");
    FakePeer spy = FakePeer.start();
    try (spy;
        ChatPeer alice = Peers.peer("alice", Peers.deadAddress(), a).build().start();
        ChatPeer bob = Peers.peer("bob", Peers.deadAddress(), b).build().start()) {
      connect(alice, a, bob, b);
      StringBuilder text = new StringBuilder();
      for (int i = 0; i < 5000; i++) {
        text.appendCodePoint(0x4E00 + (i * 7) % 20000);
      }
      alice.execute("chat message bob " + text);
      assertShows(b, "alice: " + text);
      bob.execute("chat message alice 好的，收到了");
      assertShows(a, "bob: 好的，收到了");
    }
  }

  @Test
  void ourPeerAdvertisesEofAndSendsRawUtf8OnlyToAPeerThatDid() throws Exception {
    Screen screen = new Screen("alice");
    try (FakePeer modern = FakePeer.start();
        ChatPeer peer = Peers.peer("alice", Peers.deadAddress(), screen).build().start()) {
      modern.on(ChatRequest.class, (req, r) -> FakePeer.reply(new HostPort(req.getHost(), req.getPort()),
          new ChatAccept().withPeername("zed").withHost("localhost").withPort(modern.address().port())
              .withFeatures(Set.of("eof"))));
      peer.execute("chat request localhost " + modern.address().port());
      ChatRequest request = modern.expect(ChatRequest.class, WAIT);
      assertEquals(Set.of("eof"), request.getFeatures());
      assertShows(screen, "chat accept: zed --- localhost:" + modern.address().port());
      peer.execute("chat message zed 你好" + "字".repeat(2000));
      FakePeer.Received got = modern.take(WAIT);
      assertTrue(got.text().contains("\"message\": \"你好"), "raw UTF-8 in json.dumps form: " + got.text().substring(0, 80));
      assertFalse(got.text().contains("\\u"), "no \\u escapes");
      assertEquals(2002, got.as(ChatMessage.class).getMessage().length());
    }
  }

  @Test
  void aLongMessageToA2018PeerIsRefusedWithTheExplanation() throws Exception {
    Screen screen = new Screen("alice");
    try (FakePeer old = Peers.acceptingPeer("patchouli");
        ChatPeer peer = Peers.peer("alice", Peers.deadAddress(), screen).build().start()) {
      peer.execute("chat request localhost " + old.address().port());
      old.expect(ChatRequest.class, WAIT);
      assertShows(screen, "chat accept: patchouli --- localhost:" + old.address().port());
      String text = "中".repeat(5000);
      peer.execute("chat message patchouli " + text);
      assertNotNull(screen.awaitMatching(l -> l.startsWith("not sending CHAT_MESSAGE to ") && l.endsWith(
          " over the limit of 1024 (a 2018 peer reads at most 1024 bytes; send a shorter message)"), WAIT),
          screen::toString);
      old.expectNothing(QUIET);
    }
  }

  @Test
  void disconnectIsConfirmedOnTheSideThatTypedIt() throws Exception {
    Screen screen = new Screen("alice");
    try (FakePeer patchouli = FakePeer.start();
        ChatPeer peer = Peers.peer("alice", Peers.deadAddress(), screen).build().start()) {
      patchouli.send(peer.address(), requestFrom("patchouli", patchouli.address()));
      assertShows(screen, "Please enter \"yes\" or \"no\":");
      peer.execute("yes");
      patchouli.expect(ChatAccept.class, WAIT);
      peer.execute("disconnect patchouli");
      assertEquals("alice", patchouli.expect(Disconnect.class, WAIT).getPeername());
      assertShows(screen, "disconnected from patchouli --- " + patchouli.address());
    }
  }

  @Test
  void aRefusalSaysWhoRefusedAndThatTheyAnsweredNo() throws Exception {
    Screen screen = new Screen("alice");
    try (FakePeer bob = FakePeer.start();
        ChatPeer peer = Peers.peer("alice", Peers.deadAddress(), screen).build().start()) {
      bob.on(ChatRequest.class, (req, r) -> FakePeer.reply(new HostPort(req.getHost(), req.getPort()), new ChatRefuse()));
      peer.execute("chat request localhost " + bob.address().port());
      assertShows(screen, "CHAT REFUSE!");
      assertShows(screen, "refused by localhost:" + bob.address().port() + " after 0 s: they answered no");
    }
  }

  @Test
  void aRefusalAfterTheirExpirySaysTheRequestExpired() throws Exception {
    Screen screen = new Screen("alice");
    try (FakePeer bob = FakePeer.start();
        ChatPeer peer = Peers.peer("alice", Peers.deadAddress(), screen).requestExpiry(Duration.ofSeconds(1))
            .build().start()) {
      peer.execute("chat request localhost " + bob.address().port());
      ChatRequest request = bob.expect(ChatRequest.class, WAIT);
      // Their expiry is assumed to be ours (1 s here), so any refusal from now on comes when it has run out.
      bob.send(new HostPort("127.0.0.1", request.getPort()), new ChatRefuse());
      assertShows(screen, "CHAT REFUSE!");
      assertNotNull(screen.awaitMatching(l -> l.startsWith("refused by localhost:" + bob.address().port() + " after ")
          && l.endsWith(": the request expired there unanswered"), WAIT), screen::toString);
    }
  }

  @Test
  void pendingListsIncomingAndOutgoingRequestsWithAgeAndExpiry() throws Exception {
    Screen screen = new Screen("alice");
    try (FakePeer bob = FakePeer.start(); FakePeer carol = FakePeer.start();
        ChatPeer peer = Peers.peer("alice", Peers.deadAddress(), screen).build().start()) {
      peer.execute("pending");
      assertShows(screen, "no chat request is pending");
      carol.send(peer.address(), requestFrom("carol", carol.address()));
      assertShows(screen, "Please enter \"yes\" or \"no\":");
      peer.execute("chat request localhost " + bob.address().port());
      bob.expect(ChatRequest.class, WAIT);
      peer.execute("pending");
      assertShows(screen, "pending chat requests:");
      assertNotNull(screen.awaitMatching(l -> l.matches("    from carol --- " + carol.address().toString().replace(".", "\\.")
          + ", asked \\d+ s ago \\(expires in \\d+ s; yes/no carol answers it\\)"), WAIT), screen::toString);
      assertNotNull(screen.awaitMatching(l -> l.matches("    to localhost:" + bob.address().port()
          + ", sent \\d+ s ago \\(waiting for their answer; we give up in \\d+ s\\)"), WAIT), screen::toString);
    }
  }

  @Test
  void aChatRequestToAConnectedPeerIsAnsweredLocally() throws Exception {
    Screen screen = new Screen("alice");
    try (FakePeer bob = Peers.acceptingPeer("bob");
        ChatPeer peer = Peers.peer("alice", Peers.deadAddress(), screen).build().start()) {
      peer.execute("chat request 127.0.0.1 " + bob.address().port());
      bob.expect(ChatRequest.class, WAIT);
      assertShows(screen, "chat accept: bob --- localhost:" + bob.address().port());
      peer.execute("chat request localhost " + bob.address().port());
      assertShows(screen, "already connected to bob --- 127.0.0.1:" + bob.address().port()
          + "; no chat request sent (\"talk bob\" to chat)");
      bob.expectNothing(QUIET);
    }
  }

  @Test
  void aListpeerWithoutAnswerSaysSoAndSuggestsRegister() throws Exception {
    Screen screen = new Screen("alice");
    try (FakePeer server = FakePeer.start();
        ChatPeer peer = Peers.peer("alice", server.address(), screen).replyTimeout(Duration.ofMillis(300))
            .build().start()) {
      peer.execute("listpeer");
      server.expect(ListpeerRequest.class, WAIT);
      assertShows(screen, "no answer from the server at " + server.address() + " to listpeer within 300 ms"
          + " (it lists peers only to registered names: try \"register\")");
    }
  }

  @Test
  void aListpeerAnsweredInTimeSaysNothingMore() throws Exception {
    Screen screen = new Screen("alice");
    try (FakePeer server = FakePeer.start();
        ChatPeer peer = Peers.peer("alice", server.address(), screen).replyTimeout(Duration.ofMillis(500))
            .build().start()) {
      server.on(ListpeerRequest.class, (req, r) -> FakePeer.reply(peer.advertisedAddress(),
          new ListpeerReply().withPeerlist(new java.util.LinkedHashMap<>(java.util.Map.of("alice", peer.advertisedAddress())))));
      peer.execute("listpeer");
      assertShows(screen, "display all peers:");
      assertNull(screen.awaitMatching(l -> l.startsWith("no answer"), Duration.ofMillis(900)), screen::toString);
    }
  }

  @Test
  void completionNeverOffersTheUsersOwnName() throws Exception {
    Screen a = new Screen("alice");
    Screen b = new Screen("bob");
    try (ChatPeer alice = Peers.peer("alice", Peers.deadAddress(), a).build().start();
        ChatPeer bob = Peers.peer("bob", Peers.deadAddress(), b).build().start()) {
      connect(alice, a, bob, b);
      assertEquals(Set.of("bob"), alice.knownPeerNames());
      assertEquals(Set.of("alice"), bob.knownPeerNames());
    }
  }

  @Test
  void whoShowsConnectedPeersWithIdleTimeAndIdentityColumn() throws Exception {
    Screen screen = new Screen("alice");
    try (FakePeer patchouli = FakePeer.start();
        ChatPeer peer = Peers.peer("alice", Peers.deadAddress(), screen)
            .verification(name -> name.equals("patchouli") ? "pinned" : "-").build().start()) {
      peer.execute("who");
      assertShows(screen, "no connected peers");
      patchouli.send(peer.address(), requestFrom("patchouli", patchouli.address()));
      assertShows(screen, "Please enter \"yes\" or \"no\":");
      peer.execute("yes");
      patchouli.expect(ChatAccept.class, WAIT);
      peer.execute("who");
      assertShows(screen, "    PEER             ADDRESS                  IDLE     IDENTITY");
      assertNotNull(screen.awaitMatching(l -> l.matches("    patchouli +" + patchouli.address().toString()
          .replace(".", "\\.") + " +\\d+ s +pinned"), WAIT), screen::toString);
    }
  }

  @Test
  void timestampsGoBeforeIncomingLinesOnlyAndNamesAreSanitised() throws Exception {
    Screen screen = new Screen("alice");
    try (FakePeer patchouli = FakePeer.start();
        ChatPeer peer = Peers.peer("alice", Peers.deadAddress(), screen).timestamps(true).build().start()) {
      patchouli.send(peer.address(), requestFrom("patchouli", patchouli.address()));
      assertNotNull(screen.awaitMatching(l -> l.matches("\\d\\d:\\d\\d Please enter \"yes\" or \"no\":"), WAIT),
          screen::toString);
      peer.execute("yes");
      assertShows(screen, "accepted chat request from patchouli --- " + patchouli.address());
      patchouli.send(peer.address(), new ChatMessage().withPeername("patchouli")
          .withMessage("hi\u001B[2J\u202Eevil\u200B\u0085 there"));
      assertNotNull(screen.awaitMatching(l -> l.matches("\\d\\d:\\d\\d patchouli: hi\\?\\[2J\\?evil\\?\\? there"), WAIT),
          screen::toString);
    }
  }
}
