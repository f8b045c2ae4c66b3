package org.p2pchat.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import org.p2pchat.identity.IdentityKeyPair;
import org.p2pchat.identity.KnownPeers;
import org.p2pchat.identity.SignedMessages;
import org.p2pchat.protocol.MessageType;
import org.p2pchat.testing.FakePeer;

/**
 * The peer keeps its lease by itself: it asks for one (the lease feature) and, once the server's signed
 * REGISTER_SUCCESS announces an interval, sends a HEARTBEAT signed with its key at that interval.
 */
class PeerLeaseTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(JsonNode msgdata) {
    return JSON.convertValue(msgdata, Map.class);
  }

  @Test
  void asksForALeaseAndRenewsItWithSignedHeartbeatsAtTheAnnouncedInterval() throws Exception {
    IdentityKeyPair serverKeys = IdentityKeyPair.generate(RawIdentityPeer.RANDOM);
    IdentityKeyPair aliceKeys = IdentityKeyPair.generate(RawIdentityPeer.RANDOM);
    Screen screen = new Screen("alice");
    try (FakePeer server = FakePeer.start();
        ChatPeer alice = Peers.peer("alice", server.address(), screen).identity(aliceKeys, KnownPeers.inMemory())
            .serverKey(serverKeys.publicKey().fingerprint()).build().start()) {
      alice.execute("register");
      FakePeer.Received register = server.take(WAIT);
      JsonNode reg = register.tree().get("msgdata");
      assertTrue(reg.get("features").toString().contains("\"lease\""), reg.toString());
      Map<String, Object> success = new LinkedHashMap<>();
      success.put("lease", 1);
      Map<String, Object> signed = SignedMessages.signReply(serverKeys, "REGISTER_SUCCESS", success, "alice",
          reg.get("nonce").asText());
      server.sendRaw(alice.address(), JSON.writeValueAsBytes(Map.of("msgtype", "REGISTER_SUCCESS",
          "msgdata", signed)));
      assertShows(screen, "Register Successful.");

      FreshnessGuard guard = new FreshnessGuard(Duration.ofSeconds(60), 100);
      for (int i = 0; i < 2; i++) {
        FakePeer.Received heartbeat = server.take(WAIT);
        assertEquals(MessageType.HEARTBEAT, heartbeat.type());
        JsonNode data = heartbeat.tree().get("msgdata");
        assertEquals("alice", data.get("peername").asText());
        SignedMessages.verifyRequest(aliceKeys.publicKey(), "HEARTBEAT", map(data), guard, Instant.now());
      }
    }
  }
}
