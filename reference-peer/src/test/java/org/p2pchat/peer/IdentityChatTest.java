package org.p2pchat.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.p2pchat.peer.Peers.QUIET;
import static org.p2pchat.peer.Peers.WAIT;
import static org.p2pchat.peer.Peers.assertShows;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.p2pchat.identity.Endpoint;
import org.p2pchat.identity.Handshake;
import org.p2pchat.identity.HandshakeConfig;
import org.p2pchat.identity.HandshakeFields;
import org.p2pchat.identity.IdentityKeyPair;
import org.p2pchat.identity.InitiatorHandshake;
import org.p2pchat.identity.KnownPeers;
import org.p2pchat.identity.ResponderHandshake;
import org.p2pchat.identity.Session;
import org.p2pchat.protocol.HostPort;
import org.p2pchat.protocol.MessageType;
import org.p2pchat.protocol.model.ChatAccept;
import org.p2pchat.protocol.model.ChatConfirm;
import org.p2pchat.protocol.model.ChatMessage;
import org.p2pchat.protocol.model.ChatRefuse;
import org.p2pchat.protocol.model.ChatRequest;
import org.p2pchat.protocol.model.Disconnect;
import org.p2pchat.testing.FakePeer;

/**
 * identity-v1 between real peers on real sockets, and every forgery a third socket can try: each is refused with
 * one line, nothing is acted on, and the next genuine message is served.
 */
class IdentityChatTest {
  private static final String PLEASE = "Please enter \"yes\" or \"no\":";

  private static ChatPeer peer(String name, Screen screen, IdentityKeyPair keys, KnownPeers known) throws Exception {
    return Peers.peer(name, Peers.deadAddress(), screen).identity(keys, known).build().start();
  }

  private static String awaitLine(Screen screen, Predicate<String> test, String what) throws InterruptedException {
    String line = screen.awaitMatching(test, WAIT);
    assertNotNull(line, () -> screen.label() + " never showed " + what + "; it showed " + screen.lines());
    return line;
  }

  private static void assertRefused(Screen screen, String... parts) throws InterruptedException {
    awaitLine(screen, l -> {
      if (!l.startsWith("refused: ")) {
        return false;
      }
      for (String p : parts) {
        if (!l.contains(p)) {
          return false;
        }
      }
      return true;
    }, "a refusal line with " + List.of(parts));
  }

  private static String b64(byte[] b) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  private static String randomB64(int n) {
    byte[] b = new byte[n];
    RawIdentityPeer.RANDOM.nextBytes(b);
    return b64(b);
  }

  private static ChatMessage sealed(String from, Session.Sealed s) {
    return new ChatMessage().withPeername(from).withSeq(s.seq()).withBox(s.boxBase64url());
  }

  /** alice (real) requests, bob (real) says yes; both show the chat verified. */
  private static void connect(ChatPeer alice, Screen aScreen, ChatPeer bob, Screen bScreen) throws Exception {
    alice.execute("chat request localhost " + bob.address().port());
    assertShows(bScreen, PLEASE);
    bob.execute("yes alice");
    awaitLine(aScreen, l -> l.startsWith("chat with bob --- localhost:" + bob.address().port() + " is verified"),
        "the verified chat with bob");
    awaitLine(bScreen, l -> l.startsWith("chat with alice --- localhost:" + alice.address().port()
        + " is verified (key " + alice.fingerprint() + ") and encrypted"), "the verified chat with alice");
  }

  /** The raw peer runs the whole handshake with {@code victim}, which answers yes; returns the raw side's session. */
  private static Session handshake(RawIdentityPeer raw, ChatPeer victim, Screen screen, List<ChatRequest> requests,
      List<ChatConfirm> confirms) throws Exception {
    InitiatorHandshake h = raw.request(victim.address(), requests);
    assertShows(screen, PLEASE);
    victim.execute("yes " + raw.name);
    Handshake.InitiatorResult result = RawIdentityPeer.onAccept(h, raw.take(MessageType.CHAT_ACCEPT));
    ChatConfirm confirm = new ChatConfirm().withPeername(raw.name).withSig(result.confirmSig());
    confirms.add(confirm);
    raw.socket.send(victim.address(), confirm);
    awaitLine(screen, l -> l.startsWith("chat with " + raw.name + " --- ") && l.contains("is verified (key "
        + raw.keys.publicKey().fingerprint() + ")"), "the verified chat with " + raw.name);
    return result.session();
  }

  @Test
  void twoP2pchatPeersChatVerifiedAndEncryptedBesideA2018PeerInPlaintext() throws Exception {
    Screen aScreen = new Screen("alice");
    Screen bScreen = new Screen("bob");
    try (ChatPeer alice = peer("alice", aScreen, IdentityKeyPair.generate(RawIdentityPeer.RANDOM), KnownPeers.inMemory());
        ChatPeer bob = peer("bob", bScreen, IdentityKeyPair.generate(RawIdentityPeer.RANDOM), KnownPeers.inMemory());
        FakePeer carol = Peers.acceptingPeer("carol")) {
      connect(alice, aScreen, bob, bScreen);
      alice.execute("chat request localhost " + carol.address().port());
      assertShows(aScreen, "chat accept: carol --- localhost:" + carol.address().port());
      carol.expect(ChatRequest.class, WAIT);

      alice.execute("chat message bob a secret for bob");
      assertShows(bScreen, "alice: a secret for bob");
      bob.execute("chat message alice and one for alice");
      assertShows(aScreen, "bob: and one for alice");
      alice.execute("chat message carol hello carol");
      ChatMessage toCarol = carol.expect(ChatMessage.class, WAIT);
      assertEquals("hello carol", toCarol.getMessage());
      assertNull(toCarol.getBox());

      alice.execute("whois bob");
      assertShows(aScreen, "bob " + bob.fingerprint() + " verified");
      alice.execute("whois carol");
      assertShows(aScreen, "carol unverified (2018 peer)");
      bob.execute("whois alice");
      assertShows(bScreen, "alice " + alice.fingerprint() + " verified");
      alice.execute("whois alice");
      assertShows(aScreen, "alice " + alice.fingerprint() + " (this peer)");

      // The 2018 peer got a CHAT_REQUEST (extra fields it ignores) and a plaintext message, and nothing else.
      carol.expectNothing(QUIET);

      bob.execute("disconnect alice");
      assertShows(aScreen, "Disconnected from bob");
      assertEquals(List.of("carol"), List.copyOf(alice.connectedPeers().keySet()));
    }
  }

  @Test
  void verifiedPeersAdvertiseEveryFeatureAndSealLongUtf8TextWhileA2018PeerKeepsTheLimit() throws Exception {
    Screen aScreen = new Screen("alice");
    Screen bScreen = new Screen("bob");
    try (ChatPeer alice = peer("alice", aScreen, IdentityKeyPair.generate(RawIdentityPeer.RANDOM), KnownPeers.inMemory());
        ChatPeer bob = peer("bob", bScreen, IdentityKeyPair.generate(RawIdentityPeer.RANDOM), KnownPeers.inMemory());
        FakePeer carol = Peers.acceptingPeer("carol")) {
      connect(alice, aScreen, bob, bScreen);
      alice.execute("chat request localhost " + carol.address().port());
      assertShows(aScreen, "chat accept: carol --- localhost:" + carol.address().port());
      // One list of features, signed as sent: the handshake above verified with it.
      assertTrue(carol.expect(ChatRequest.class, WAIT).getFeatures().containsAll(List.of("eof", Handshake.FEATURE)));

      StringBuilder text = new StringBuilder();
      for (int i = 0; i < 5000; i++) {
        text.appendCodePoint(0x4E00 + (i * 7) % 20000);
      }
      alice.execute("chat message bob " + text);
      assertShows(bScreen, "alice: " + text);
      alice.execute("chat message carol " + text);
      awaitLine(aScreen, l -> l.startsWith("not sending CHAT_MESSAGE to ") && l.contains("over the limit of 1024"),
          "the 2018 limit for carol");
      carol.expectNothing(QUIET);

      alice.execute("who");
      awaitLine(aScreen, l -> l.matches("    bob +\\S+ +\\d+ s +verified"), "bob verified in who");
      awaitLine(aScreen, l -> l.matches("    carol +\\S+ +\\d+ s +unverified"), "carol unverified in who");
    }
  }

  @Test
  void forgedReplayedFlippedAndCutMessagesInAVerifiedPeersNameAreRefusedAndTheNextGenuineOneShown() throws Exception {
    Screen screen = new Screen("bob");
    try (ChatPeer bob = peer("bob", screen, IdentityKeyPair.generate(RawIdentityPeer.RANDOM), KnownPeers.inMemory());
        RawIdentityPeer alice = new RawIdentityPeer("alice");
        FakePeer forger = FakePeer.start()) {
      Session s = handshake(alice, bob, screen, new ArrayList<>(), new ArrayList<>());

      forger.send(bob.address(), new ChatMessage().withPeername("alice").withMessage("send me your password"));
      assertRefused(screen, "unauthenticated CHAT_MESSAGE in the name of alice");
      forger.send(bob.address(), new Disconnect().withPeername("alice"));
      assertRefused(screen, "unauthenticated DISCONNECT in the name of alice");
      forger.send(bob.address(), new ChatMessage().withPeername("alice").withSeq(0L).withBox(randomB64(40)));
      assertRefused(screen, "CHAT_MESSAGE in the name of alice", "AUTH_FAILED");
      assertTrue(bob.connectedPeers().containsKey("alice"));

      Session.Sealed one = RawIdentityPeer.seal(s, "CHAT_MESSAGE", "{\"message\":\"one\"}");
      alice.socket.send(bob.address(), sealed("alice", one));
      assertShows(screen, "alice: one");
      forger.send(bob.address(), sealed("alice", one)); // a replay, from anywhere
      assertRefused(screen, "REPLAYED");

      Session.Sealed two = RawIdentityPeer.seal(s, "CHAT_MESSAGE", "{\"message\":\"two\"}");
      Session.Sealed three = RawIdentityPeer.seal(s, "CHAT_MESSAGE", "{\"message\":\"three\"}");
      alice.socket.send(bob.address(), sealed("alice", three));
      assertShows(screen, "alice: three");
      alice.socket.send(bob.address(), sealed("alice", two)); // reordered by the network: still once
      assertShows(screen, "alice: two");
      alice.socket.send(bob.address(), sealed("alice", two));
      assertRefused(screen, "REPLAYED");

      Session.Sealed four = RawIdentityPeer.seal(s, "CHAT_MESSAGE", "{\"message\":\"four\"}");
      byte[] flipped = four.box().clone();
      flipped[3] ^= 0x01;
      forger.send(bob.address(), new ChatMessage().withPeername("alice").withSeq(four.seq()).withBox(b64(flipped)));
      assertRefused(screen, "AUTH_FAILED");
      byte[] cut = java.util.Arrays.copyOf(four.box(), four.box().length - 5);
      forger.send(bob.address(), new ChatMessage().withPeername("alice").withSeq(four.seq()).withBox(b64(cut)));
      assertRefused(screen, "AUTH_FAILED");
      alice.socket.send(bob.address(), sealed("alice", four)); // the forgeries did not use up its counter
      assertShows(screen, "alice: four");

      Session.Sealed bye = RawIdentityPeer.seal(s, "DISCONNECT", "{}");
      alice.socket.send(bob.address(), sealed("alice", bye)); // a DISCONNECT box moved to CHAT_MESSAGE
      assertRefused(screen, "AUTH_FAILED");
      assertTrue(bob.connectedPeers().containsKey("alice"));

      bob.execute("chat message alice reply to alice");
      JsonNode opened = RawIdentityPeer.open(s, alice.take(MessageType.CHAT_MESSAGE));
      assertEquals("reply to alice", opened.get("message").asText());

      alice.socket.send(bob.address(), new Disconnect().withPeername("alice").withSeq(bye.seq())
          .withBox(bye.boxBase64url()));
      assertShows(screen, "Disconnected from alice");
      assertFalse(screen.lines().contains("alice: send me your password"), screen.lines()::toString);
    }
  }

  @Test
  void badConfirmReplayedHandshakeLowOrderPointAndWrongKeyLengthAreRefused() throws Exception {
    Screen screen = new Screen("bob");
    try (ChatPeer bob = peer("bob", screen, IdentityKeyPair.generate(RawIdentityPeer.RANDOM), KnownPeers.inMemory());
        RawIdentityPeer alice = new RawIdentityPeer("alice");
        FakePeer forger = FakePeer.start()) {
      List<ChatRequest> requests = new ArrayList<>();
      InitiatorHandshake h = alice.request(bob.address(), requests);
      assertShows(screen, PLEASE);
      bob.execute("yes alice");
      Handshake.InitiatorResult result = RawIdentityPeer.onAccept(h, alice.take(MessageType.CHAT_ACCEPT));
      forger.send(bob.address(), new ChatConfirm().withPeername("alice").withSig(randomB64(64)));
      assertRefused(screen, "CHAT_CONFIRM in the name of alice", "BAD_SIGNATURE");
      forger.send(bob.address(), new ChatConfirm().withPeername("mallory").withSig(randomB64(64)));
      assertRefused(screen, "CHAT_CONFIRM in the name of mallory");
      assertTrue(bob.connectedPeers().isEmpty());
      ChatConfirm genuine = new ChatConfirm().withPeername("alice").withSig(result.confirmSig());
      alice.socket.send(bob.address(), genuine);
      awaitLine(screen, l -> l.startsWith("chat with alice --- ") && l.contains("verified"), "the verified chat");
      Session s = result.session();
      Session.Sealed bye = RawIdentityPeer.seal(s, "DISCONNECT", "{}");
      alice.socket.send(bob.address(), new Disconnect().withPeername("alice").withSeq(bye.seq())
          .withBox(bye.boxBase64url()));
      assertShows(screen, "Disconnected from alice");

      // A recorded handshake replayed: the request can only ask (its name is shown as claimed); the old confirm
      // does not sign bob's fresh ephemeral and nonce.
      forger.send(bob.address(), requests.get(0));
      String prompt = awaitLine(screen, l -> l.startsWith("chat_request: alice --- "), "the replayed request");
      assertTrue(prompt.contains("claims key " + alice.keys.publicKey().fingerprint()), prompt);
      assertShows(screen, PLEASE);
      bob.execute("yes alice");
      alice.take(MessageType.CHAT_ACCEPT); // bob answers the address in the replayed request
      forger.send(bob.address(), genuine);
      assertRefused(screen, "CHAT_CONFIRM in the name of alice", "BAD_SIGNATURE");
      assertTrue(bob.connectedPeers().isEmpty());

      // Low-order X25519 point: refused before anyone is asked.
      ChatRequest lowOrder = new ChatRequest().withPeername("eve").withHost("localhost")
          .withPort(forger.address().port()).withFeatures(new LinkedHashSet<>(Handshake.FEATURES))
          .withIdkey(alice.keys.publicKey().base64url()).withEphkey(b64(new byte[32])).withNonce(randomB64(32));
      forger.send(bob.address(), lowOrder);
      assertRefused(screen, "chat request claiming to be eve", "LOW_ORDER_POINT");
      // A key of the wrong length never passes the schema: not even a prompt.
      forger.sendRaw(bob.address(), ("{\"msgtype\":\"CHAT_REQUEST\",\"msgdata\":{\"peername\":\"eve\",\"host\":"
          + "\"localhost\",\"port\":" + forger.address().port() + ",\"features\":[\"identity-v1\"],\"idkey\":\""
          + randomB64(31) + "\",\"ephkey\":\"" + randomB64(32) + "\",\"nonce\":\"" + randomB64(32) + "\"}}")
          .getBytes(java.nio.charset.StandardCharsets.UTF_8));
      // The next genuine request is served.
      InitiatorHandshake again = alice.request(bob.address(), requests);
      String next = awaitLine(screen, l -> l.startsWith("chat_request: "), "the next request");
      assertTrue(next.startsWith("chat_request: alice --- "), () -> "eve got a prompt: " + screen.lines());
      assertShows(screen, PLEASE);
      bob.execute("yes alice");
      Handshake.InitiatorResult r2 = RawIdentityPeer.onAccept(again, alice.take(MessageType.CHAT_ACCEPT));
      alice.socket.send(bob.address(), new ChatConfirm().withPeername("alice").withSig(r2.confirmSig()));
      awaitLine(screen, l -> l.startsWith("chat with alice --- ") && l.contains("verified"), "the second chat");
      assertEquals(List.of("alice"), List.copyOf(bob.connectedPeers().keySet()));
    }
  }

  @Test
  void forgedAcceptAndRefuseInAPinnedPeersNameChangeNothingAndAChangedKeyIsShownLoudly() throws Exception {
    Screen screen = new Screen("alice");
    RawIdentityPeer bob = new RawIdentityPeer("bob");
    KnownPeers pins = KnownPeers.inMemory();
    pins.observeVerified("bob", bob.keys.publicKey());
    try (bob; ChatPeer alice = peer("alice", screen, IdentityKeyPair.generate(RawIdentityPeer.RANDOM), pins);
        FakePeer forger = FakePeer.start()) {
      HostPort bobAt = bob.advertised();
      alice.execute("chat request localhost " + bobAt.port());
      FakePeer.Received request = bob.take(MessageType.CHAT_REQUEST);
      JsonNode d = request.tree().get("msgdata");
      ResponderHandshake r = ResponderHandshake.receive(bob.keys, new Endpoint("bob", "localhost", bobAt.port()),
          new Endpoint(d.get("peername").asText(), d.get("host").asText(), d.get("port").asInt()),
          RawIdentityPeer.fields(d), HandshakeConfig.DEFAULTS, RawIdentityPeer.RANDOM);

      ChatAccept plain = new ChatAccept().withPeername("bob").withHost("localhost").withPort(bobAt.port());
      forger.send(alice.address(), plain);
      assertRefused(screen, "CHAT_ACCEPT", "bob");
      forger.send(alice.address(), new ChatAccept().withPeername("bob").withHost("localhost").withPort(bobAt.port())
          .withFeatures(new LinkedHashSet<>(Handshake.FEATURES)).withIdkey(bob.keys.publicKey().base64url())
          .withEphkey(randomB64(32)).withNonce(randomB64(32)).withSig(randomB64(64)));
      assertRefused(screen, "CHAT_ACCEPT in the name of bob", "BAD_SIGNATURE");
      forger.send(alice.address(), new ChatRefuse().withPeername("bob")
          .withFeatures(new LinkedHashSet<>(Handshake.FEATURES)).withIdkey(bob.keys.publicKey().base64url())
          .withSig(randomB64(64)));
      assertRefused(screen, "CHAT_REFUSE in the name of bob", "BAD_SIGNATURE");
      assertTrue(alice.connectedPeers().isEmpty());
      assertFalse(screen.lines().contains("CHAT REFUSE!"));

      HandshakeFields f = r.accept(Instant.now());
      bob.socket.send(alice.address(), new ChatAccept().withPeername("bob").withHost("localhost")
          .withPort(bobAt.port()).withFeatures(new LinkedHashSet<>(f.features())).withIdkey(f.idkey())
          .withEphkey(f.ephkey()).withNonce(f.nonce()).withSig(f.sig()));
      assertShows(screen, "chat accept: bob --- localhost:" + bobAt.port());
      FakePeer.Received confirm = bob.take(MessageType.CHAT_CONFIRM);
      Handshake.Result done = r.onConfirm("bob".equals(confirm.tree().get("msgdata").get("peername").asText())
          ? "bob" : "alice", confirm.tree().get("msgdata").get("sig").asText(), null, Instant.now());
      assertNotNull(done.session());
      alice.execute("chat message bob sealed for bob");
      assertEquals("sealed for bob", RawIdentityPeer.open(done.session(), bob.take(MessageType.CHAT_MESSAGE))
          .get("message").asText());
      alice.execute("disconnect bob");

      // A validly signed accept in bob's name by another key: the loud warning, no chat, and "trust" takes it.
      IdentityKeyPair mallory = IdentityKeyPair.generate(RawIdentityPeer.RANDOM);
      alice.execute("chat request localhost " + forger.address().port());
      FakePeer.Received req2 = forger.take(WAIT);
      while (req2.type() != MessageType.CHAT_REQUEST) {
        req2 = forger.take(WAIT);
      }
      JsonNode d2 = req2.tree().get("msgdata");
      ResponderHandshake m = ResponderHandshake.receive(mallory, new Endpoint("bob", "localhost",
          forger.address().port()), new Endpoint("alice", d2.get("host").asText(), d2.get("port").asInt()),
          RawIdentityPeer.fields(d2), HandshakeConfig.DEFAULTS, RawIdentityPeer.RANDOM);
      HandshakeFields mf = m.accept(Instant.now());
      forger.send(alice.address(), new ChatAccept().withPeername("bob").withHost("localhost")
          .withPort(forger.address().port()).withFeatures(new LinkedHashSet<>(mf.features())).withIdkey(mf.idkey())
          .withEphkey(mf.ephkey()).withNonce(mf.nonce()).withSig(mf.sig()));
      assertShows(screen, "WARNING: bob's key changed (pinned " + bob.keys.publicKey().fingerprint() + ", offered "
          + mallory.publicKey().fingerprint() + "); nothing from it is shown as bob's words; if you checked the new "
          + "fingerprint, accept it with: trust bob");
      assertTrue(alice.connectedPeers().isEmpty());
      alice.execute("whois bob");
      assertShows(screen, "bob " + bob.keys.publicKey().fingerprint() + " changed (offered "
          + mallory.publicKey().fingerprint() + ")");
      alice.execute("trust bob");
      assertShows(screen, "now trusting bob as " + mallory.publicKey().fingerprint()
          + "; start a new chat request to use it");
      alice.execute("whois bob");
      assertShows(screen, "bob " + mallory.publicKey().fingerprint() + " verified");
    }
  }

  @Test
  void a2018PeerThatClaimsAPinnedNameGetsNoPromptAndNoWords() throws Exception {
    Screen screen = new Screen("bob");
    KnownPeers pins = KnownPeers.inMemory();
    pins.observeVerified("alice", IdentityKeyPair.generate(RawIdentityPeer.RANDOM).publicKey());
    try (ChatPeer bob = peer("bob", screen, IdentityKeyPair.generate(RawIdentityPeer.RANDOM), pins);
        FakePeer impostor = FakePeer.start();
        FakePeer carol = FakePeer.start()) {
      impostor.send(bob.address(), Peers.requestFrom("alice", impostor.address()));
      assertRefused(screen, "unauthenticated chat request in the name of alice");
      assertEquals(0, bob.pendingRequestCount());
      carol.send(bob.address(), Peers.requestFrom("carol", carol.address()));
      assertShows(screen, "chat_request: carol --- " + carol.address());
      assertShows(screen, PLEASE);
      bob.execute("yes carol");
      ChatAccept accept = carol.expect(ChatAccept.class, WAIT);
      assertNull(accept.getSig(), "a 2018 peer gets a plain CHAT_ACCEPT");
      assertNull(accept.getIdkey());
      carol.send(bob.address(), new ChatMessage().withPeername("carol").withMessage("hi from 2018"));
      assertShows(screen, "carol: hi from 2018");
      bob.execute("chat message carol hi back");
      ChatMessage back = carol.expect(ChatMessage.class, WAIT);
      assertEquals("hi back", back.getMessage());
      bob.execute("whois carol");
      assertShows(screen, "carol unverified (2018 peer)");
      carol.expectNothing(QUIET);
    }
  }
}
