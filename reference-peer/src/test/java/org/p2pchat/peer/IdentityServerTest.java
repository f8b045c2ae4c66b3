package org.p2pchat.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.p2pchat.peer.Peers.WAIT;
import static org.p2pchat.peer.Peers.assertShows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.p2pchat.identity.FreshnessGuard;
import org.p2pchat.identity.IdentityKey;
import org.p2pchat.identity.IdentityKeyPair;
import org.p2pchat.identity.KnownPeers;
import org.p2pchat.identity.SignedMessages;
import org.p2pchat.protocol.HostPort;
import org.p2pchat.protocol.MessageType;
import org.p2pchat.protocol.model.ListpeerReply;
import org.p2pchat.protocol.model.RegisterSuccess;
import org.p2pchat.testing.FakePeer;

/**
 * The peer's side of signed server dealings, against a server played from a raw socket with the core's signing:
 * the requests are signed and fresh, and a forged, unsigned or unsolicited reply is ignored with one line.
 */
class IdentityServerTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(JsonNode msgdata) {
    return JSON.convertValue(msgdata, Map.class);
  }

  /** A signed reply, as the server sends it to a keyed peer. */
  private static byte[] signedReply(IdentityKeyPair server, String msgtype, Map<String, Object> msgdata, String to,
      String re) throws Exception {
    Map<String, Object> signed = SignedMessages.signReply(server, msgtype, msgdata, to, re);
    Map<String, Object> message = new LinkedHashMap<>();
    message.put("msgtype", msgtype);
    message.put("msgdata", signed);
    return JSON.writeValueAsBytes(message);
  }

  private static void assertRefused(Screen screen, String... parts) throws InterruptedException {
    String line = screen.awaitMatching(l -> l.startsWith("refused: ")
        && java.util.Arrays.stream(parts).allMatch(l::contains), WAIT);
    assertNotNull(line, () -> screen.label() + " never refused " + java.util.List.of(parts) + ": " + screen.lines());
  }

  @Test
  void signedRequestsAndOnlyTheSignedSolicitedRepliesOfThePinnedServerCount() throws Exception {
    IdentityKeyPair serverKeys = IdentityKeyPair.generate(RawIdentityPeer.RANDOM);
    IdentityKeyPair aliceKeys = IdentityKeyPair.generate(RawIdentityPeer.RANDOM);
    IdentityKeyPair mallory = IdentityKeyPair.generate(RawIdentityPeer.RANDOM);
    Screen screen = new Screen("alice");
    try (FakePeer server = FakePeer.start(); FakePeer forger = FakePeer.start();
        ChatPeer alice = Peers.peer("alice", server.address(), screen).identity(aliceKeys, KnownPeers.inMemory())
            .serverKey(serverKeys.publicKey().fingerprint()).build().start()) {
      HostPort aliceAt = alice.address();
      // Unsolicited answers, before anything was asked.
      forger.send(aliceAt, new RegisterSuccess());
      assertRefused(screen, "unsigned REGISTER_SUCCESS", "the server's key is pinned");
      forger.sendRaw(aliceAt, signedReply(mallory, "REGISTER_SUCCESS", Map.of(), "alice", "AAAAAAAAAAAAAAAAAAAAAA"));
      assertRefused(screen, "REGISTER_SUCCESS", "PINNED_KEY_MISMATCH");
      assertFalse(alice.isRegistered());

      alice.execute("register");
      FakePeer.Received register = server.take(WAIT);
      assertEquals(MessageType.REGISTER, register.type());
      JsonNode reg = register.tree().get("msgdata");
      assertEquals(aliceKeys.publicKey().base64url(), reg.get("idkey").asText());
      // What the server checks: signed by the key it carries, and fresh.
      FreshnessGuard guard = new FreshnessGuard(Duration.ofSeconds(60), 100);
      SignedMessages.verifyRequest(IdentityKey.parse(reg.get("idkey").asText()), "REGISTER", map(reg), guard,
          Instant.now());
      String nonce = reg.get("nonce").asText();
      // A forger that even knows the nonce cannot sign as the server.
      forger.sendRaw(aliceAt, signedReply(mallory, "REGISTER_SUCCESS", Map.of(), "alice", nonce));
      assertRefused(screen, "REGISTER_SUCCESS", "PINNED_KEY_MISMATCH");
      forger.sendRaw(aliceAt, signedReply(serverKeys, "REGISTER_SUCCESS", Map.of(), "bob", nonce));
      assertRefused(screen, "REGISTER_SUCCESS", "WRONG_RECIPIENT");
      assertFalse(alice.isRegistered());
      server.sendRaw(aliceAt, signedReply(serverKeys, "REGISTER_SUCCESS", Map.of(), "alice", nonce));
      assertShows(screen, "Register Successful.");
      assertTrue(alice.isRegistered());

      // LISTPEER: an unsolicited reply is ignored; the signed answer to our request is shown, with its keys.
      Map<String, Object> list = new LinkedHashMap<>();
      list.put("peerlist", Map.of("evil", java.util.List.of("localhost", forger.address().port())));
      forger.sendRaw(aliceAt, JSON.writeValueAsBytes(Map.of("msgtype", "LISTPEER", "msgdata", list)));
      assertRefused(screen, "unsigned LISTPEER");
      alice.execute("listpeer");
      FakePeer.Received lp = server.take(WAIT);
      assertEquals(MessageType.LISTPEER_REQUEST, lp.type());
      SignedMessages.verifyRequest(aliceKeys.publicKey(), "LISTPEER", map(lp.tree().get("msgdata")), guard,
          Instant.now());
      Map<String, Object> reply = new LinkedHashMap<>();
      reply.put("peerlist", Map.of("alice", java.util.List.of("localhost", aliceAt.port())));
      reply.put("keys", Map.of("alice", aliceKeys.publicKey().base64url()));
      byte[] genuine = signedReply(serverKeys, "LISTPEER", reply, "alice", lp.tree().get("msgdata").get("nonce")
          .asText());
      server.sendRaw(aliceAt, genuine);
      assertShows(screen, "display all peers:");
      assertShows(screen, "peername: alice---localhost:" + aliceAt.port());
      forger.sendRaw(aliceAt, genuine); // the same signed reply again: it answers nothing now
      assertRefused(screen, "LISTPEER", "UNSOLICITED");
      assertFalse(screen.lines().stream().anyMatch(l -> l.contains("evil")), screen.lines()::toString);

      alice.execute("whois server@" + server.address().host() + ":" + server.address().port());
      assertShows(screen, "server@" + server.address().host() + ":" + server.address().port() + " "
          + serverKeys.publicKey().fingerprint() + " verified");
      alice.execute("exit network");
      FakePeer.Received exit = server.take(WAIT);
      assertEquals(MessageType.EXIT_NETWORK, exit.type());
      SignedMessages.verifyRequest(aliceKeys.publicKey(), "EXIT_NETWORK", map(exit.tree().get("msgdata")), guard,
          Instant.now());
    }
  }

  @Test
  void aServerKeyIsPinnedOnFirstUseAndA2018ServerStillWorks() throws Exception {
    IdentityKeyPair serverKeys = IdentityKeyPair.generate(RawIdentityPeer.RANDOM);
    Screen screen = new Screen("alice");
    try (FakePeer server = FakePeer.start(); FakePeer old = Peers.acceptingServer()) {
      server.on(org.p2pchat.protocol.model.Register.class, (reg, r) -> {
        try {
          return FakePeer.replyRaw(new HostPort(reg.getHost(), reg.getPort()), signedReply(serverKeys,
              "REGISTER_SUCCESS", Map.of(), reg.getPeername(), reg.getNonce()));
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      try (ChatPeer alice = Peers.peer("alice", server.address(), screen)
          .identity(IdentityKeyPair.generate(RawIdentityPeer.RANDOM), KnownPeers.inMemory()).build().start()) {
        alice.execute("register");
        assertShows(screen, "Register Successful.");
        alice.execute("whois server@" + server.address().host() + ":" + server.address().port());
        assertShows(screen, "server@" + server.address().host() + ":" + server.address().port() + " "
            + serverKeys.publicKey().fingerprint() + " verified");
        alice.execute("exit network");
      }
      Screen second = new Screen("bob");
      try (ChatPeer bob = Peers.peer("bob", old.address(), second)
          .identity(IdentityKeyPair.generate(RawIdentityPeer.RANDOM), KnownPeers.inMemory()).build().start()) {
        bob.execute("register"); // a 2018 server: unsigned answers, the peer registers as in 2018
        assertShows(second, "Register Successful.");
        assertTrue(bob.isRegistered());
      }
    }
  }

  @Test
  void theKeyASignedListpeerReplyGivesIsTheKeyAChatRequestMustMeet() throws Exception {
    IdentityKeyPair serverKeys = IdentityKeyPair.generate(RawIdentityPeer.RANDOM);
    IdentityKeyPair mallory = IdentityKeyPair.generate(RawIdentityPeer.RANDOM);
    Screen screen = new Screen("alice");
    try (FakePeer server = FakePeer.start(); RawIdentityPeer bob = new RawIdentityPeer("bob");
        ChatPeer alice = Peers.peer("alice", server.address(), screen)
            .identity(IdentityKeyPair.generate(RawIdentityPeer.RANDOM), KnownPeers.inMemory())
            .serverKey(serverKeys.publicKey().fingerprint()).build().start()) {
      alice.execute("listpeer");
      FakePeer.Received lp = server.take(WAIT);
      Map<String, Object> reply = new LinkedHashMap<>();
      reply.put("peerlist", Map.of("bob", java.util.List.of("localhost", bob.advertised().port())));
      reply.put("keys", Map.of("bob", bob.keys.publicKey().base64url()));
      server.sendRaw(alice.address(), signedReply(serverKeys, "LISTPEER", reply, "alice",
          lp.tree().get("msgdata").get("nonce").asText()));
      assertShows(screen, "peername: bob---localhost:" + bob.advertised().port());

      alice.execute("chat request bob");
      JsonNode d = bob.take(MessageType.CHAT_REQUEST).tree().get("msgdata");
      org.p2pchat.identity.Endpoint initiator = new org.p2pchat.identity.Endpoint("alice", d.get("host").asText(),
          d.get("port").asInt());
      org.p2pchat.identity.Endpoint responder = new org.p2pchat.identity.Endpoint("bob", "localhost",
          bob.advertised().port());
      // Someone else's key answering at bob's address (first contact: no pin, but the server vouched for bob's key).
      org.p2pchat.identity.ResponderHandshake wrong = org.p2pchat.identity.ResponderHandshake.receive(mallory,
          responder, initiator, RawIdentityPeer.fields(d), org.p2pchat.identity.HandshakeConfig.DEFAULTS,
          RawIdentityPeer.RANDOM);
      bob.socket.send(alice.address(), accept(bob, wrong.accept(Instant.now())));
      assertRefused(screen, "CHAT_ACCEPT in the name of bob", "PINNED_KEY_MISMATCH");
      assertTrue(alice.connectedPeers().isEmpty());
      org.p2pchat.identity.ResponderHandshake right = org.p2pchat.identity.ResponderHandshake.receive(bob.keys,
          responder, initiator, RawIdentityPeer.fields(d), org.p2pchat.identity.HandshakeConfig.DEFAULTS,
          RawIdentityPeer.RANDOM);
      bob.socket.send(alice.address(), accept(bob, right.accept(Instant.now())));
      assertShows(screen, "chat accept: bob --- localhost:" + bob.advertised().port());
      assertEquals(java.util.Set.of("bob"), alice.connectedPeers().keySet());
    }
  }

  private static org.p2pchat.protocol.model.ChatAccept accept(RawIdentityPeer bob,
      org.p2pchat.identity.HandshakeFields f) {
    return new org.p2pchat.protocol.model.ChatAccept().withPeername("bob").withHost("localhost")
        .withPort(bob.advertised().port()).withFeatures(new java.util.LinkedHashSet<>(f.features()))
        .withIdkey(f.idkey()).withEphkey(f.ephkey()).withNonce(f.nonce()).withSig(f.sig());
  }

  @Test
  void aFloodOfForgeriesBecomesABoundedNumberOfLines() throws Exception {
    Screen screen = new Screen("alice");
    try (FakePeer server = FakePeer.start(); FakePeer forger = FakePeer.start();
        ChatPeer alice = Peers.peer("alice", server.address(), screen)
            .identity(IdentityKeyPair.generate(RawIdentityPeer.RANDOM), KnownPeers.inMemory())
            .serverKey(IdentityKeyPair.generate(RawIdentityPeer.RANDOM).publicKey().fingerprint()).build().start()) {
      for (int i = 0; i < 100; i++) {
        forger.send(alice.address(), new ListpeerReply().withPeerlist(new LinkedHashMap<>()));
      }
      // The next genuine-looking action is still served: a command answers at once.
      alice.execute("whois nobody");
      assertShows(screen, "nobody unknown");
      assertFalse(screen.lines().contains("display all peers:"));
    }
  }
}
