package org.p2pchat.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import org.p2pchat.identity.Endpoint;
import org.p2pchat.identity.Handshake;
import org.p2pchat.identity.HandshakeConfig;
import org.p2pchat.identity.HandshakeFields;
import org.p2pchat.identity.IdentityKeyPair;
import org.p2pchat.identity.InitiatorHandshake;
import org.p2pchat.identity.Session;
import org.p2pchat.protocol.HostPort;
import org.p2pchat.protocol.MessageType;
import org.p2pchat.protocol.model.ChatRequest;
import org.p2pchat.testing.FakePeer;

/**
 * An identity-v1 peer played by the test from its own socket with the pure core, so a test can do what a real
 * peer never would: replay, reorder, flip bits, cut boxes, send to the wrong msgtype.
 */
final class RawIdentityPeer implements AutoCloseable {
  static final SecureRandom RANDOM = new SecureRandom();
  static final ObjectMapper JSON = new ObjectMapper();

  final String name;
  final IdentityKeyPair keys = IdentityKeyPair.generate(RANDOM);
  final FakePeer socket;

  RawIdentityPeer(String name) throws IOException {
    this.name = name;
    this.socket = FakePeer.start();
  }

  HostPort advertised() {
    return new HostPort("localhost", socket.address().port());
  }

  /** Starts a handshake to {@code victim}: sends the CHAT_REQUEST and returns the initiator state and message. */
  InitiatorHandshake request(HostPort victim, List<ChatRequest> sent) throws Exception {
    return request(victim, sent, HandshakeConfig.DEFAULTS);
  }

  /** {@link #request(HostPort, List)} advertising {@code config}'s features (e.g. files as well). */
  InitiatorHandshake request(HostPort victim, List<ChatRequest> sent, HandshakeConfig config) throws Exception {
    InitiatorHandshake h = InitiatorHandshake.start(keys, new Endpoint(name, "localhost", socket.address().port()),
        null, config, RANDOM, Instant.now());
    HandshakeFields f = h.requestFields();
    ChatRequest request = new ChatRequest().withPeername(name).withHost("localhost")
        .withPort(socket.address().port()).withFeatures(new LinkedHashSet<>(f.features())).withIdkey(f.idkey())
        .withEphkey(f.ephkey()).withNonce(f.nonce());
    sent.add(request);
    socket.send(victim, request);
    return h;
  }

  /** Takes the next message of {@code type} this socket received (others are skipped), with its tree. */
  FakePeer.Received take(MessageType type) throws InterruptedException {
    long deadline = System.nanoTime() + Peers.WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      FakePeer.Received r = socket.take(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
      if (r != null && r.type() == type) {
        return r;
      }
    }
    throw new AssertionError(name + " never received " + type);
  }

  /** Verifies the victim's CHAT_ACCEPT with the core; the caller sends the confirm. */
  static Handshake.InitiatorResult onAccept(InitiatorHandshake h, FakePeer.Received accept) throws Exception {
    JsonNode d = accept.tree().get("msgdata");
    return h.onAccept(new Endpoint(d.get("peername").asText(), d.get("host").asText(), d.get("port").asInt()),
        fields(d), Instant.now());
  }

  static HandshakeFields fields(JsonNode d) {
    List<String> features = new ArrayList<>();
    d.path("features").forEach(n -> features.add(n.asText()));
    return new HandshakeFields(features, text(d, "idkey"), text(d, "ephkey"), text(d, "nonce"), text(d, "sig"));
  }

  private static String text(JsonNode d, String f) {
    return d.has(f) ? d.get(f).asText() : null;
  }

  static Session.Sealed seal(Session s, String msgtype, String json) throws Exception {
    return s.seal(msgtype, json.getBytes(StandardCharsets.UTF_8));
  }

  /** Opens a sealed message this socket received and returns its plaintext JSON. */
  static JsonNode open(Session s, FakePeer.Received r) throws Exception {
    JsonNode d = r.tree().get("msgdata");
    assertNotNull(d.get("box"), "not sealed: " + r.text());
    assertEquals(null, d.get("message"), "a sealed message carries no clear text");
    return JSON.readTree(s.open(r.tree().get("msgtype").asText(), d.get("seq").asLong(), d.get("box").asText()));
  }

  @Override
  public void close() {
    socket.close();
  }
}
