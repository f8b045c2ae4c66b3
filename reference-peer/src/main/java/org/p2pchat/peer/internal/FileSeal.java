package org.p2pchat.peer.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import org.p2pchat.identity.IdentityException;
import org.p2pchat.identity.Session;
import org.p2pchat.protocol.MessageValidator;
import org.p2pchat.protocol.WireJson;
import org.p2pchat.protocol.model.FileChunk;
import org.p2pchat.sdk.MessageContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * FILE_* messages in a peer's identity-v1 session (docs/file-transfer.md, "Sealed between identities"). With a
 * verified session every file message is sealed: {@code peername} and {@code transfer} (and a chunk's {@code index})
 * stay clear for routing, everything else travels in the box. The box's associated data names the message type and
 * the transfer ({@code FILE_ACK/ID}), a chunk's also its index ({@code FILE_CHUNK/ID/INDEX}), so a box cannot be
 * moved to another type, transfer or position. A chunk's box holds its raw bytes (no base64 inside, no CRC: the tag
 * covers both); a control message's box holds its other fields as a JSON object.
 *
 * <p>Receiving: a sealed message opens only in the sender's session; a clear one naming a peer that must
 * authenticate (a session, or a pinned key) is refused. Each refusal is one rate-limited line ({@link PeerTrust}),
 * and nothing is acted on. Without a session on either side the messages travel clear (and the offer says so).
 */
final class FileSeal {
  private static final Logger log = LoggerFactory.getLogger(FileSeal.class);

  private final ConnectedPeers connected;
  /** Null for a peer without an identity: it can open nothing and accepts only clear messages. */
  private final PeerTrust trust;
  private final MessageValidator validator;

  FileSeal(ConnectedPeers connected, PeerTrust trust, MessageValidator validator) {
    this.connected = connected;
    this.trust = trust;
    this.validator = validator;
  }

  /** The session file messages to {@code peer} are sealed in, or null (they travel clear). */
  Session session(String peer) {
    return connected.session(peer);
  }

  static String label(String msgtype, String transfer) {
    return msgtype + "/" + transfer;
  }

  static String chunkLabel(String transfer, long index) {
    return "FILE_CHUNK/" + transfer + "/" + index;
  }

  /**
   * {@code message} (a generated FILE_* control message with peername and transfer set) sealed in {@code session}:
   * a new message of the same class with peername, transfer, seq and box only.
   */
  static <T> T sealControl(Session session, T message, Class<T> type) throws IdentityException {
    ObjectNode fields = ((ObjectNode) WireJson.toTree(message).get("msgdata")).deepCopy();
    String msgtype = WireJson.typeOf(message).wireName();
    String peername = fields.remove("peername").asText();
    String transfer = fields.remove("transfer").asText();
    byte[] plain;
    try {
      plain = PeerTrust.json().writeValueAsBytes(fields);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    Session.Sealed sealed = session.seal(label(msgtype, transfer), plain);
    ObjectNode clear = JsonNodeFactory.instance.objectNode().put("peername", peername).put("transfer", transfer)
        .put("seq", sealed.seq()).put("box", sealed.boxBase64url());
    return WireJson.decode(clear, type);
  }

  /** A FILE_CHUNK with {@code bytes} sealed in {@code session}. */
  static FileChunk sealChunk(Session session, String from, String transfer, int index, byte[] bytes)
      throws IdentityException {
    Session.Sealed sealed = session.seal(chunkLabel(transfer, index), bytes);
    return new FileChunk().withPeername(from).withTransfer(transfer).withIndex((long) index).withSeq(sealed.seq())
        .withBox(sealed.boxBase64url());
  }

  /**
   * The control message as the sender meant it: a clear one as it came (if its sender may send clear), a sealed one
   * opened, checked against its schema and mapped; null after one refusal line when it is not to be acted on.
   */
  <T> T open(T message, Class<T> type, String peername, String transfer, Long seq, String box, MessageContext ctx) {
    String msgtype = WireJson.typeOf(message).wireName();
    if (seq == null && box == null) {
      return mayBeClear(msgtype, peername, ctx) ? message : null;
    }
    byte[] plain = openBox(msgtype, label(msgtype, transfer), peername, seq, box, ctx);
    if (plain == null) {
      return null;
    }
    JsonNode inner;
    try {
      inner = PeerTrust.json().readTree(plain);
    } catch (IOException e) {
      inner = null;
    }
    if (inner == null || !inner.isObject()) {
      refused("sealed " + msgtype + " from " + peername + " opens to no JSON object");
      return null;
    }
    ObjectNode data = ((ObjectNode) inner).deepCopy();
    data.put("peername", peername);
    data.put("transfer", transfer);
    data.remove("seq");
    data.remove("box");
    ObjectNode envelope = JsonNodeFactory.instance.objectNode().put("msgtype", msgtype);
    envelope.set("msgdata", data);
    if (!validator.validate(envelope).isValid()) {
      refused("sealed " + msgtype + " from " + peername + " opens to an invalid message");
      return null;
    }
    return WireJson.decode(data, type);
  }

  /** A chunk's bytes: opened if sealed; null after a refusal line, or for a clear chunk (check {@link #mayBeClear}). */
  byte[] openChunk(FileChunk m, MessageContext ctx) {
    return openBox("FILE_CHUNK", chunkLabel(m.getTransfer(), m.getIndex()), m.getPeername(), m.getSeq(), m.getBox(),
        ctx);
  }

  /** True if {@code peername} may send file messages in the clear: no session with it and no pinned key. */
  boolean mayBeClear(String msgtype, String peername, MessageContext ctx) {
    if (trust == null) {
      return true;
    }
    if (connected.session(peername) != null || trust.isPinned(peername)) {
      refused("unauthenticated " + msgtype + " in the name of " + peername + " from " + ctx.remote()
          + " (not acted on: " + peername + " is a verified peer)");
      return false;
    }
    return true;
  }

  private byte[] openBox(String msgtype, String label, String peername, Long seq, String box, MessageContext ctx) {
    if (seq == null || box == null) {
      refused("sealed " + msgtype + " from " + peername + " at " + ctx.remote() + " lacks seq or box");
      return null;
    }
    Session session = trust == null ? null : connected.session(peername);
    if (session == null) {
      refused("sealed " + msgtype + " in the name of " + peername + " from " + ctx.remote()
          + ": no verified session with " + peername);
      return null;
    }
    try {
      return session.open(label, seq, box);
    } catch (IdentityException e) {
      refused(msgtype + " in the name of " + peername + " from " + ctx.remote() + " (" + e.reason() + "): "
          + e.getMessage());
      return null;
    }
  }

  private void refused(String what) {
    if (trust != null) {
      trust.refused(what);
    } else {
      log.warn("refused: {}", Lines.printable(what));
    }
  }
}
