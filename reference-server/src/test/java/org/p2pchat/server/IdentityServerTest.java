package org.p2pchat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.identity.Handshake;
import org.p2pchat.identity.IdentityException;
import org.p2pchat.identity.IdentityKeyPair;
import org.p2pchat.identity.PendingRequests;
import org.p2pchat.identity.SignedMessages;
import org.p2pchat.protocol.HostPort;

/**
 * Server-bound names (docs/identity.md 4.2): over real sockets, a peer that signs exactly as a p2pchat
 * peer does (the identity module), a forger without its key, and a 2018 client side by side.
 */
class IdentityServerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Duration WAIT = Duration.ofSeconds(10);

  @TempDir
  Path dir;

  private final ConcurrentLinkedQueue<String> events = new ConcurrentLinkedQueue<>();
  private RendezvousServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(Duration.ofSeconds(5));
    }
  }

  private RendezvousServer start(Path state) throws IOException {
    server = RendezvousServer.builder().port(0).stateFile(state).events(events::add).build().start();
    return server;
  }

  /** A peer's listening socket: accepts one connection per message and reads it to the end. */
  static final class Inbox implements AutoCloseable {
    final ServerSocket socket;

    Inbox() throws IOException {
      socket = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
      socket.setSoTimeout(5000);
    }

    int port() {
      return socket.getLocalPort();
    }

    byte[] receiveBytes() throws IOException {
      socket.setSoTimeout(5000);
      try (Socket connection = socket.accept()) {
        connection.setSoTimeout(5000);
        return connection.getInputStream().readAllBytes();
      }
    }

    JsonNode receive() throws IOException {
      return JSON.readTree(receiveBytes());
    }

    void expectNothing(int millis) throws IOException {
      socket.setSoTimeout(millis);
      try (Socket connection = socket.accept()) {
        InputStream in = connection.getInputStream();
        throw new AssertionError("expected nothing but got " + new String(in.readAllBytes(), StandardCharsets.UTF_8));
      } catch (SocketTimeoutException expected) {
        // nothing came
      }
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  /** A p2pchat peer: its key, its outstanding requests, signing as docs/identity.md 5.4 says. */
  static final class Peer {
    final String name;
    final IdentityKeyPair key;
    final Inbox inbox;
    final PendingRequests pending = new PendingRequests();

    Peer(String name, IdentityKeyPair key, Inbox inbox) {
      this.name = name;
      this.key = key;
      this.inbox = inbox;
    }

    /** A signed request; {@code replyTypes} are the reply types it expects (empty for EXIT_NETWORK). */
    String request(String msgtype, Map<String, Object> msgdata, Set<String> replyTypes, Instant now)
        throws Exception {
      String nonce = pending.issue(replyTypes, now, RANDOM);
      Map<String, Object> signed = SignedMessages.signRequest(key, msgtype, msgdata, now, nonce);
      Map<String, Object> envelope = new LinkedHashMap<>();
      envelope.put("msgtype", msgtype);
      envelope.put("msgdata", signed);
      return JSON.writeValueAsString(envelope);
    }

    String register(Instant now) throws Exception {
      Map<String, Object> data = new LinkedHashMap<>();
      data.put("peername", name);
      data.put("host", "localhost");
      data.put("port", inbox.port());
      data.put("features", List.of(Handshake.FEATURE));
      data.put("idkey", key.publicKey().base64url());
      return request("REGISTER", data, Set.of("REGISTER_SUCCESS", "REGISTER_ERROR"), now);
    }

    String listpeer(Instant now) throws Exception {
      return request("LISTPEER", new LinkedHashMap<>(Map.of("peername", name)), Set.of("LISTPEER"), now);
    }

    String exit(Instant now) throws Exception {
      return request("EXIT_NETWORK", new LinkedHashMap<>(Map.of("peername", name)), Set.of("EXIT_NETWORK"), now);
    }

    /** Verifies a server reply as the peer does; returns its msgdata. */
    @SuppressWarnings("unchecked")
    Map<String, Object> verify(JsonNode reply, RendezvousServer server) throws IdentityException {
      Map<String, Object> msgdata = JSON.convertValue(reply.get("msgdata"), LinkedHashMap.class);
      SignedMessages.verifyReply(server.serverKey(), reply.get("msgtype").asText(), msgdata, name, pending,
          Instant.now());
      return msgdata;
    }
  }

  private Peer registered(String name) throws Exception {
    Peer peer = new Peer(name, IdentityKeyPair.generate(RANDOM), new Inbox());
    Raw.send(server.address(), peer.register(Instant.now()));
    JsonNode reply = peer.inbox.receive();
    assertEquals("REGISTER_SUCCESS", reply.get("msgtype").asText());
    peer.verify(reply, server);
    return peer;
  }

  private void awaitEvent(String fragment) {
    Poll.until(WAIT, () -> events.stream().anyMatch(line -> line.contains(fragment)),
        () -> "an event containing '" + fragment + "' in " + events);
  }

  private static String unsigned(String msgtype, String name) {
    return "{\"msgtype\": \"" + msgtype + "\", \"msgdata\": {\"peername\": \"" + name + "\"}}";
  }

  @Test
  void keyedRegisterIsAnsweredWithASignedReplyThatVerifies() throws Exception {
    start(dir.resolve("state.jsonl"));
    Peer alice = registered("alice");
    assertEquals(alice.key.publicKey().base64url(), server.registry().keyOf("alice").orElseThrow());
    awaitEvent("register alice at localhost:" + alice.inbox.port() + " with key "
        + alice.key.publicKey().fingerprint());
  }

  @Test
  void forgedExitNetworkForAKeyedNameDoesNotRemoveItAndTheSignedOneDoes() throws Exception {
    start(dir.resolve("state.jsonl"));
    Peer alice = registered("alice");
    // A 2018-style EXIT_NETWORK in alice's name (the forger, or a 2018 client that tried the name).
    Raw.send(server.address(), unsigned("EXIT_NETWORK", "alice"));
    awaitEvent("exit alice ignored: MISSING_SIGNATURE");
    // Signed by another key: a forger with a key of its own.
    Peer mallory = new Peer("alice", IdentityKeyPair.generate(RANDOM), alice.inbox);
    Raw.send(server.address(), mallory.exit(Instant.now()));
    awaitEvent("exit alice ignored: BAD_SIGNATURE");
    // Signed by alice's key but outside the freshness window.
    Raw.send(server.address(), alice.exit(Instant.now().minusSeconds(120)));
    awaitEvent("exit alice ignored: STALE");
    assertTrue(server.registry().contains("alice"), "alice is still registered after the forgeries");

    Raw.send(server.address(), alice.exit(Instant.now()));
    Poll.until(WAIT, () -> !server.registry().contains("alice"), () -> "alice removed by her signed exit");
    alice.inbox.close();
  }

  @Test
  void replayedSignedExitNetworkIsIgnored() throws Exception {
    start(dir.resolve("state.jsonl"));
    Peer alice = registered("alice");
    String exit = alice.exit(Instant.now());
    Raw.send(server.address(), exit);
    Poll.until(WAIT, () -> !server.registry().contains("alice"), () -> "alice removed");
    // alice comes back with the same key; the recorded exit, sent again, must not remove her.
    Raw.send(server.address(), alice.register(Instant.now()));
    alice.verify(alice.inbox.receive(), server);
    assertTrue(server.registry().contains("alice"));
    Raw.send(server.address(), exit);
    awaitEvent("exit alice ignored: REPLAYED");
    assertTrue(server.registry().contains("alice"), "a replayed exit removed alice");
    alice.inbox.close();
  }

  @Test
  void unsignedListpeerForAKeyedNameIsNotAnsweredAndTheSignedReplyCarriesKeys() throws Exception {
    start(dir.resolve("state.jsonl"));
    Peer alice = registered("alice");
    Peer bob = registered("bob");
    try (Wire2018Test.Client2018 carol = new Wire2018Test.Client2018()) {
      Raw.send(server.address(), "{\"msgtype\": \"REGISTER\", \"msgdata\": {\"peername\": \"carol\", "
          + "\"host\": \"localhost\", \"port\": " + carol.port() + "}}");
      assertEquals("{}", carol.receive().get("msgdata").toString());

      Raw.send(server.address(), unsigned("LISTPEER", "alice"));
      awaitEvent("listpeer by alice not answered: MISSING_SIGNATURE");
      Raw.send(server.address(), alice.listpeer(Instant.now()));
      JsonNode reply = alice.inbox.receive();
      Map<String, Object> msgdata = alice.verify(reply, server);
      assertEquals(Map.of("alice", alice.key.publicKey().base64url(), "bob", bob.key.publicKey().base64url()),
          msgdata.get("keys"), "keys of the keyed peers only");
      assertEquals(List.of("alice", "bob", "carol"), List.copyOf(((Map<?, ?>) msgdata.get("peerlist")).keySet()));
      // The unsigned request got no answer: the only reply was to the signed one (verified above).
      alice.inbox.expectNothing(300);
    }
    alice.inbox.close();
    bob.inbox.close();
  }

  @Test
  void aSignedReplyIsUsableOnceAndOnlyByItsAddressee() throws Exception {
    start(dir.resolve("state.jsonl"));
    Peer alice = registered("alice");
    Raw.send(server.address(), alice.listpeer(Instant.now()));
    JsonNode reply = alice.inbox.receive();
    alice.verify(reply, server);
    IdentityException replayed = assertThrows(IdentityException.class, () -> alice.verify(reply, server));
    assertEquals(IdentityException.Reason.UNSOLICITED, replayed.reason());
    Peer other = new Peer("bob", IdentityKeyPair.generate(RANDOM), alice.inbox);
    assertEquals(IdentityException.Reason.WRONG_RECIPIENT,
        assertThrows(IdentityException.class, () -> other.verify(reply, server)).reason());
    alice.inbox.close();
  }

  @Test
  void aRegisterWithABadSignatureIsIgnoredAndTheNextValidOneServed() throws Exception {
    start(dir.resolve("state.jsonl"));
    Peer alice = new Peer("alice", IdentityKeyPair.generate(RANDOM), new Inbox());
    JsonNode tampered = JSON.readTree(alice.register(Instant.now()));
    ((com.fasterxml.jackson.databind.node.ObjectNode) tampered.get("msgdata")).put("host", "127.0.0.1");
    Raw.send(server.address(), JSON.writeValueAsString(tampered));
    awaitEvent("register alice ignored: BAD_SIGNATURE");
    assertFalse(server.registry().contains("alice"));
    alice.inbox.expectNothing(200);

    Raw.send(server.address(), alice.register(Instant.now()));
    alice.verify(alice.inbox.receive(), server);
    assertTrue(server.registry().contains("alice"));
    alice.inbox.close();
  }

  @Test
  void aTakenNameIsRefusedWithASignedRegisterErrorToAKeyedPeer() throws Exception {
    start(dir.resolve("state.jsonl"));
    Peer alice = registered("alice");
    Peer impostor = new Peer("alice", IdentityKeyPair.generate(RANDOM), new Inbox());
    Raw.send(server.address(), impostor.register(Instant.now()));
    JsonNode reply = impostor.inbox.receive();
    assertEquals("REGISTER_ERROR", reply.get("msgtype").asText());
    impostor.verify(reply, server);
    assertEquals(alice.inbox.port(), server.registry().addressOf("alice").orElseThrow().port());
    alice.inbox.close();
    impostor.inbox.close();
  }

  @Test
  void a2018ClientAmongKeyedPeersGetsOnlyWhatThe2018ServerSent() throws Exception {
    start(dir.resolve("state.jsonl"));
    Peer alice = registered("alice");
    try (Wire2018Test.Client2018 bob = new Wire2018Test.Client2018()) {
      Raw.send(server.address(), "{\"msgtype\": \"REGISTER\", \"msgdata\": {\"peername\": \"bob\", "
          + "\"host\": \"localhost\", \"port\": " + bob.port() + "}}");
      assertEquals("{\"msgtype\": \"REGISTER_SUCCESS\", \"msgdata\": {}}",
          new String(bob.recv1024(), StandardCharsets.UTF_8));
      Raw.send(server.address(), unsigned("LISTPEER", "bob"));
      assertEquals("{\"msgtype\": \"LISTPEER\", \"msgdata\": {\"peerlist\": {\"alice\": [\"localhost\", "
          + alice.inbox.port() + "], \"bob\": [\"localhost\", " + bob.port() + "]}}}",
          new String(bob.recv1024(), StandardCharsets.UTF_8));
      // The 2018 client that tries alice's name is refused with the 2018 reply, and its exit for
      // "alice" (what the 2018 program sends when the user types exit) leaves alice registered.
      try (Wire2018Test.Client2018 other = new Wire2018Test.Client2018()) {
        Raw.send(server.address(), "{\"msgtype\": \"REGISTER\", \"msgdata\": {\"peername\": \"alice\", "
            + "\"host\": \"localhost\", \"port\": " + other.port() + "}}");
        assertEquals("{\"msgtype\": \"REGISTER_ERROR\", \"msgdata\": {}}",
            new String(other.recv1024(), StandardCharsets.UTF_8));
      }
      Raw.send(server.address(), unsigned("EXIT_NETWORK", "alice"));
      awaitEvent("exit alice ignored: MISSING_SIGNATURE");
      assertTrue(server.registry().contains("alice"));
      // bob, unkeyed, still leaves as in 2018.
      Raw.send(server.address(), unsigned("EXIT_NETWORK", "bob"));
      Poll.until(WAIT, () -> !server.registry().contains("bob"), () -> "bob removed by his 2018 exit");
    }
    alice.inbox.close();
  }

  @Test
  void theKeySurvivesARestart() throws Exception {
    Path state = dir.resolve("state.jsonl");
    start(state);
    Peer alice = registered("alice");
    server.stop(Duration.ofSeconds(5));
    server = null;
    start(state);
    assertTrue(server.registry().contains("alice"));
    Raw.send(server.address(), unsigned("EXIT_NETWORK", "alice"));
    awaitEvent("exit alice ignored: MISSING_SIGNATURE");
    Raw.send(server.address(), alice.listpeer(Instant.now()));
    Map<String, Object> msgdata = alice.verify(alice.inbox.receive(), server);
    assertEquals(Map.of("alice", alice.key.publicKey().base64url()), msgdata.get("keys"));
    Raw.send(server.address(), alice.exit(Instant.now()));
    Poll.until(WAIT, () -> !server.registry().contains("alice"), () -> "alice removed after the restart");
    alice.inbox.close();
  }

  @Test
  void aStateFileWrittenBeforeKeysLoadsAsUnkeyedRegistrations() throws Exception {
    Path state = dir.resolve("old.jsonl");
    java.nio.file.Files.writeString(state, "{\"format\":\"p2pchat-server-state\",\"version\":1}\n"
        + "{\"op\":\"register\",\"peername\":\"old\",\"host\":\"localhost\",\"port\":4000}\n");
    start(state);
    assertTrue(server.registry().contains("old"));
    Raw.send(server.address(), unsigned("EXIT_NETWORK", "old"));
    Poll.until(WAIT, () -> !server.registry().contains("old"), () -> "old removed by a 2018 exit");
    awaitEvent("exit old (was at localhost:4000)");
  }
}
