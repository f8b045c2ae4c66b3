package org.p2pchat.server.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.p2pchat.identity.FreshnessGuard;
import org.p2pchat.identity.IdentityException;
import org.p2pchat.identity.IdentityKey;
import org.p2pchat.identity.IdentityKeyPair;
import org.p2pchat.identity.SignedMessages;
import org.p2pchat.protocol.WireJson;

/**
 * The server's side of identity-v1 (docs/identity.md 4.2, 5.4): checks signed requests against the key a
 * name is bound to (signature, then the ±60 s window and the seen-nonce cache) and signs replies to keyed
 * peers. Time is passed in. Thread-safe.
 */
public final class ServerIdentity {
  private static final ObjectMapper PLAIN = new ObjectMapper();

  private final IdentityKeyPair key;
  private final FreshnessGuard guard;

  public ServerIdentity(IdentityKeyPair key, FreshnessGuard guard) {
    this.key = Objects.requireNonNull(key, "key");
    this.guard = Objects.requireNonNull(guard, "guard");
  }

  public IdentityKeyPair key() {
    return key;
  }

  /**
   * Verifies the signed request in {@code tree} (the whole message as received, unknown fields included,
   * so the bytes checked are the bytes the sender signed) against {@code idkey} (base64url), then its
   * freshness. Returns the request's nonce.
   */
  public String verifyRequest(String idkey, JsonNode tree, Instant now) throws IdentityException {
    IdentityKey signer = IdentityKey.parse(idkey);
    String msgtype = tree.path("msgtype").asText();
    Map<String, Object> msgdata = asMap(tree.path("msgdata"));
    SignedMessages.verifyRequest(signer, msgtype, msgdata, guard, now);
    return (String) msgdata.get(SignedMessages.NONCE);
  }

  /**
   * A signed copy of {@code reply}'s msgdata for {@code requester}, answering the request with
   * {@code requestNonce}: {@code idkey}, {@code to}, {@code re} and {@code sig} to set on the reply.
   */
  public Map<String, Object> signReply(Object reply, String requester, String requestNonce)
      throws IdentityException {
    JsonNode envelope = WireJson.toTree(reply);
    Map<String, Object> msgdata = asMap(envelope.get("msgdata"));
    return SignedMessages.signReply(key, envelope.get("msgtype").asText(), msgdata, requester, requestNonce);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> asMap(JsonNode node) throws IdentityException {
    if (node == null || !node.isObject()) {
      throw new IdentityException(IdentityException.Reason.MALFORMED, "msgdata is not an object");
    }
    return PLAIN.convertValue(node, LinkedHashMap.class);
  }
}
