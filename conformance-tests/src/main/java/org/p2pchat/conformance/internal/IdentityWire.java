package org.p2pchat.conformance.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.p2pchat.conformance.Verdict;
import org.p2pchat.identity.Handshake;
import org.p2pchat.identity.HandshakeConfig;
import org.p2pchat.identity.HandshakeFields;
import org.p2pchat.identity.IdentityException;
import org.p2pchat.identity.IdentityKey;
import org.p2pchat.identity.IdentityKeyPair;
import org.p2pchat.identity.InitiatorHandshake;
import org.p2pchat.identity.PendingRequests;
import org.p2pchat.identity.Session;
import org.p2pchat.identity.SignedMessages;
import org.p2pchat.protocol.HostPort;
import org.p2pchat.protocol.WireJson;

/**
 * The identity-v1 messages the suite sends and the checks on what comes back (docs/identity.md sections 4 and
 * 5), built with the identity core so that the suite signs and verifies byte for byte as a p2pchat peer does.
 * A target that does not advertise identity-v1 ends a case with N/A ({@link #notAdvertised}), never FAIL.
 */
final class IdentityWire {
  static final SecureRandom RANDOM = new SecureRandom();
  private static final ObjectMapper JSON = new ObjectMapper();

  private IdentityWire() {}

  /** One message as bytes: {@code {"msgtype": T, "msgdata": D}} in the 2018 program's spelling. */
  static byte[] message(String msgtype, Map<String, ?> msgdata) {
    ObjectNode tree = JSON.createObjectNode();
    tree.put("msgtype", msgtype);
    tree.set("msgdata", JSON.valueToTree(msgdata));
    return WireJson.write(tree, WireJson.Style.PYTHON);
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> msgdata(Arrival arrival) {
    return JSON.convertValue(arrival.tree().get("msgdata"), LinkedHashMap.class);
  }

  /** Why an identity case is N/A: one sentence, the same for every case, so a report collapses them. */
  static final String NOT_ADVERTISED = "the target does not advertise identity-v1 (its answer to an identity-v1 "
      + "message carries no identity fields), so the identity rules do not apply to it "
      + "(docs/protocol.md#rule-identity-support)";

  /** N/A: {@code expected} did not come, and {@code evidence} (in the wire log too) shows no identity-v1. */
  static CaseFailure notAdvertised(String expected, String evidence) {
    return new CaseFailure(Verdict.NOT_APPLICABLE, expected + " (a target that advertises identity-v1); "
        + evidence, NOT_ADVERTISED);
  }

  /** A simulated p2pchat peer talking to a server: its name, key, listener and outstanding signed requests. */
  static final class KeyedClient {
    final String name;
    final IdentityKeyPair key;
    final Endpoint at;
    final PendingRequests pending = new PendingRequests();
    /** The server key this client pinned from the first signed reply (docs/identity.md section 7). */
    IdentityKey serverKey;

    KeyedClient(String name, IdentityKeyPair key, Endpoint at) {
      this.name = name;
      this.key = key;
      this.at = at;
    }

    KeyedClient(String name, Endpoint at) {
      this(name, IdentityKeyPair.generate(RANDOM), at);
    }

    /** A signed REGISTER of this name at this client's listener, stamped {@code now}. */
    byte[] register(Instant now) throws IdentityException {
      Map<String, Object> data = new LinkedHashMap<>();
      data.put("peername", name);
      data.put("host", at.advertised().host());
      data.put("port", at.advertised().port());
      data.put("features", List.of(Handshake.FEATURE));
      data.put("idkey", key.publicKey().base64url());
      return request("REGISTER", data, Set.of("REGISTER_SUCCESS", "REGISTER_ERROR"), now);
    }

    byte[] listpeer(Instant now) throws IdentityException {
      return request("LISTPEER", named(), Set.of("LISTPEER"), now);
    }

    byte[] exit(Instant now) throws IdentityException {
      return request("EXIT_NETWORK", named(), Set.of("EXIT_NETWORK"), now);
    }

    private Map<String, Object> named() {
      Map<String, Object> data = new LinkedHashMap<>();
      data.put("peername", name);
      return data;
    }

    private byte[] request(String msgtype, Map<String, Object> data, Set<String> replyTypes, Instant now)
        throws IdentityException {
      String nonce = pending.issue(replyTypes, now, RANDOM);
      return message(msgtype, SignedMessages.signRequest(key, msgtype, data, now, nonce));
    }

    /**
     * Checks a server reply as a p2pchat peer does: signed, by the key pinned from the first reply, addressed to
     * this name, answering one of this client's outstanding requests. An unsigned first reply means the target
     * does not speak identity-v1 (N/A); any later failure is a FAIL.
     */
    Map<String, Object> verify(Arrival reply, boolean first) throws CaseFailure {
      Map<String, Object> data = msgdata(reply);
      String what = "the " + reply.type() + " to " + name + "'s signed request";
      if (!(data.get(SignedMessages.SIG) instanceof String) || !(data.get(SignedMessages.IDKEY) instanceof String)) {
        if (first) {
          throw notAdvertised(what + " signed by the server", "it is unsigned: " + reply.describe());
        }
        throw CaseFailure.fail(what + " signed by the server (docs/protocol.md#rule-identity-server-replies)",
            "it is unsigned: " + reply.describe());
      }
      try {
        IdentityKey offered = IdentityKey.parse((String) data.get(SignedMessages.IDKEY));
        if (serverKey == null) {
          serverKey = offered;
        }
        SignedMessages.verifyReply(serverKey, reply.tree().get("msgtype").asText(), data, name, pending,
            Instant.now());
      } catch (IdentityException e) {
        throw CaseFailure.fail(what + " signed by the server's key, to " + name + ", answering the request's nonce "
            + "(docs/identity.md section 5.4)", "it does not verify (" + e.reason() + ": " + e.getMessage() + "): "
            + reply.describe());
      }
      return data;
    }
  }

  /** A simulated p2pchat peer opening a chat with the target: one initiator handshake (docs/identity.md 4.1). */
  static final class Initiator {
    final String name;
    final IdentityKeyPair key;
    final Endpoint at;
    final InitiatorHandshake handshake;

    Initiator(String name, IdentityKeyPair key, Endpoint at) {
      this.name = name;
      this.key = key;
      this.at = at;
      HostPort me = at.advertised();
      this.handshake = InitiatorHandshake.start(key, new org.p2pchat.identity.Endpoint(name, me.host(), me.port()),
          null, HandshakeConfig.DEFAULTS, RANDOM, Instant.now());
    }

    Initiator(String name, Endpoint at) {
      this(name, IdentityKeyPair.generate(RANDOM), at);
    }

    /** The CHAT_REQUEST of this handshake, with {@code replace} applied to its identity fields. */
    byte[] request(Map<String, Object> replace) {
      HandshakeFields f = handshake.requestFields();
      Map<String, Object> data = new LinkedHashMap<>();
      data.put("peername", name);
      data.put("host", at.advertised().host());
      data.put("port", at.advertised().port());
      data.put("features", f.features());
      data.put("idkey", f.idkey());
      data.put("ephkey", f.ephkey());
      data.put("nonce", f.nonce());
      data.putAll(replace);
      return message("CHAT_REQUEST", data);
    }

    byte[] request() {
      return request(Map.of());
    }

    /**
     * Checks the target's CHAT_ACCEPT: it must advertise identity-v1 (else N/A) and its signature must verify
     * over the transcript (else FAIL). Returns the session and the confirm signature.
     */
    Handshake.InitiatorResult onAccept(Arrival accept) throws CaseFailure {
      JsonNode d = accept.tree().get("msgdata");
      HandshakeFields fields = fields(d);
      if (!fields.advertisesIdentity()) {
        throw notAdvertised("a CHAT_ACCEPT to an identity-v1 CHAT_REQUEST", "it has no identity-v1 in features: "
            + accept.describe());
      }
      try {
        return handshake.onAccept(new org.p2pchat.identity.Endpoint(d.get("peername").asText(),
            d.get("host").asText(), d.get("port").asInt()), fields, Instant.now());
      } catch (IdentityException e) {
        throw CaseFailure.fail("a CHAT_ACCEPT whose signature verifies over the handshake transcript "
            + "(docs/identity.md section 5.1)", "it does not (" + e.reason() + ": " + e.getMessage() + "): "
            + accept.describe());
      }
    }

    byte[] confirm(String sig) {
      Map<String, Object> data = new LinkedHashMap<>();
      data.put("peername", name);
      data.put("sig", sig);
      return message(Handshake.CONFIRM_MSGTYPE, data);
    }
  }

  static HandshakeFields fields(JsonNode d) {
    List<String> features = new ArrayList<>();
    d.path("features").forEach(n -> features.add(n.asText()));
    return new HandshakeFields(features, text(d, "idkey"), text(d, "ephkey"), text(d, "nonce"), text(d, "sig"));
  }

  private static String text(JsonNode d, String field) {
    return d.hasNonNull(field) ? d.get(field).asText() : null;
  }

  /** A sealed session message {@code {peername, seq, box}}. */
  static byte[] sealed(String msgtype, String name, long seq, String box) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("peername", name);
    data.put("seq", seq);
    data.put("box", box);
    return message(msgtype, data);
  }

  static Session.Sealed seal(Session session, String msgtype, String plaintextJson) throws IdentityException {
    return session.seal(msgtype, plaintextJson.getBytes(StandardCharsets.UTF_8));
  }

  static String base64url(byte[] bytes) {
    return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
