package org.p2pchat.sdk;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import org.p2pchat.protocol.MessageType;

/**
 * The handler table: which handler runs for which message type, and who hears about rejections. Every
 * failure — bad bytes, unknown type, invalid fields, no handler, a handler that throws — is counted,
 * logged on one line with the remote address and reported to the {@link ErrorListener}; the next
 * message is served as usual.
 *
 * <p>Register handlers, then give the table to {@link Node.Builder#dispatcher}: the node copies it when
 * it is built, into an immutable table used with the node's own codec and counters, so registering
 * later changes nothing in a running node. Registering a type twice throws.
 *
 * <p>Used without a node (tests, relays), {@link #dispatch} decodes with the standard codec; the table
 * is then fixed, and {@link #on} throws.
 */
public final class Dispatcher {
  private final Map<MessageType, MessageHandler<Object>> handlers = new EnumMap<>(MessageType.class);
  private ErrorListener errorListener = rejection -> { };
  /** Built on first standalone use. */
  private FrameDispatcher standalone;

  /** Registers the handler for one message class (a generated model class); throws if one is registered. */
  @SuppressWarnings("unchecked")
  public synchronized <T> Dispatcher on(Class<T> type, MessageHandler<? super T> handler) {
    MessageType messageType = MessageType.forClass(type);
    if (messageType == null) {
      throw new IllegalArgumentException(type.getName() + " is not a protocol message class");
    }
    Objects.requireNonNull(handler, "handler");
    if (standalone != null) {
      throw new IllegalStateException("already dispatching; register handlers first");
    }
    if (handlers.containsKey(messageType)) {
      throw new IllegalStateException("a handler for " + messageType + " is already registered");
    }
    handlers.put(messageType, (MessageHandler<Object>) handler);
    return this;
  }

  /** Also tell {@code listener} about every rejection (they are counted and logged regardless). */
  public synchronized Dispatcher onError(ErrorListener listener) {
    this.errorListener = Objects.requireNonNull(listener);
    return this;
  }

  /** True if a handler is registered for {@code type}. */
  public synchronized boolean handles(MessageType type) {
    return handlers.containsKey(type);
  }

  /** The immutable dispatching a node runs: this table as it is now, with the node's codec and counters. */
  synchronized FrameDispatcher build(Codec codec, Counters counters) {
    return new FrameDispatcher(handlers, errorListener, codec, counters);
  }

  private synchronized FrameDispatcher standalone() {
    if (standalone == null) {
      standalone = build(Codec.standard(), new Counters());
    }
    return standalone;
  }

  /** Counters of standalone use ({@link #dispatch} called directly); a node keeps its own. */
  public Counters counters() {
    return standalone().counters();
  }

  /** Standalone use: decodes one frame with the standard codec and runs its handler here. Never throws. */
  public void dispatch(byte[] frame, InetSocketAddress remote, Instant receivedAt) {
    standalone().dispatch(frame, remote, receivedAt);
  }

  /** Standalone use: counts, logs and reports one rejection. Never throws. */
  public void reject(Rejection rejection) {
    standalone().reject(rejection);
  }
}
