package org.p2pchat.server.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
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
  /** Built on the first signed request: a server starts without loading Jackson's databind. */
  private static final class Plain {
    static final ObjectMapper MAPPER = new ObjectMapper();
  }

  /**
   * Where a signed request's nonce is claimed once for every server sharing a registry, so a request one
   * server accepted cannot be replayed to another within the window.
   */
  @FunctionalInterface
  public interface NonceLedger {
    /** For a server alone on its registry: its own seen-nonce cache is enough. */
    NonceLedger LOCAL = (id, now, expires) -> true;

    /** True the first time {@code id} is claimed before {@code expires}; false for a replay. */
    boolean claim(String id, Instant now, Instant expires) throws IOException;
  }

  private final IdentityKeyPair key;
  private final FreshnessGuard guard;
  private final NonceLedger ledger;

  public ServerIdentity(IdentityKeyPair key, FreshnessGuard guard) {
    this(key, guard, NonceLedger.LOCAL);
  }

  public ServerIdentity(IdentityKeyPair key, FreshnessGuard guard, NonceLedger ledger) {
    this.key = Objects.requireNonNull(key, "key");
    this.guard = Objects.requireNonNull(guard, "guard");
    this.ledger = Objects.requireNonNull(ledger, "ledger");
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
    String nonce = (String) msgdata.get(SignedMessages.NONCE);
    // A timestamp up to one window ahead stays acceptable for one more window: claim the nonce that long.
    Instant expires = now.plus(guard.window().multipliedBy(2));
    boolean first;
    try {
      first = ledger.claim(signer.base64url() + ' ' + nonce, now, expires);
    } catch (IOException e) {
      throw new IdentityException(IdentityException.Reason.REPLAY_CACHE_FULL,
          "cannot check the nonce with the shared registry: " + e.getMessage());
    }
    if (!first) {
      throw new IdentityException(IdentityException.Reason.REPLAYED,
          "signed request nonce already used at a server sharing this registry (replay)");
    }
    return nonce;
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
    return Plain.MAPPER.convertValue(node, LinkedHashMap.class);
  }
}
