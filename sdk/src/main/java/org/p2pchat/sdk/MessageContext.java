package org.p2pchat.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetSocketAddress;
import java.time.Instant;
import org.p2pchat.protocol.MessageType;

/**
 * Where and when a message came from, and the message as parsed. Immutable.
 *
 * <p>{@link #remote()} is the connection's source address. Replies never go there: they go to the
 * address the sender advertised in its message (or registered with).
 */
public final class MessageContext {
  private final InetSocketAddress remote;
  private final Instant receivedAt;
  private final MessageType type;
  private final JsonNode tree;

  public MessageContext(InetSocketAddress remote, Instant receivedAt, MessageType type, JsonNode tree) {
    this.remote = remote;
    this.receivedAt = receivedAt;
    this.type = type;
    this.tree = tree;
  }

  public InetSocketAddress remote() {
    return remote;
  }

  /** When the last byte arrived. */
  public Instant receivedAt() {
    return receivedAt;
  }

  public MessageType type() {
    return type;
  }

  /** The whole message, unknown fields included. */
  public JsonNode tree() {
    return tree;
  }
}
