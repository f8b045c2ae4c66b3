package org.p2pchat.sdk;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import org.p2pchat.protocol.MessageType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes frames and calls the handler registered for their type. Every failure — bad bytes, unknown
 * type, invalid fields, no handler, a handler that throws — is counted, logged on one line with the
 * remote address and reported to the {@link ErrorListener}; the next message is served as usual.
 *
 * <p>Register handlers before the node starts; registering a type twice throws. Thread-safe once
 * started: {@link #dispatch} may run on many workers at once.
 */
public final class Dispatcher {
  private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

  private final Map<MessageType, MessageHandler<Object>> handlers = new EnumMap<>(MessageType.class);
  private volatile ErrorListener errorListener = rejection -> { };
  /** A flood of bad input must not become a flood of log lines. */
  private static final int LOG_LINES_PER_SECOND = 50;
  private final LogBudget logBudget = new LogBudget(LOG_LINES_PER_SECOND, System::nanoTime);
  private Codec codec = Codec.standard();
  private Counters counters = new Counters();

  /** Registers the handler for one message class (a generated model class); throws if one is registered. */
  @SuppressWarnings("unchecked")
  public synchronized <T> Dispatcher on(Class<T> type, MessageHandler<? super T> handler) {
    MessageType messageType = MessageType.forClass(type);
    if (messageType == null) {
      throw new IllegalArgumentException(type.getName() + " is not a protocol message class");
    }
    Objects.requireNonNull(handler, "handler");
    if (handlers.containsKey(messageType)) {
      throw new IllegalStateException("a handler for " + messageType + " is already registered");
    }
    handlers.put(messageType, (MessageHandler<Object>) handler);
    return this;
  }

  /** Also tell {@code listener} about every rejection (they are counted and logged regardless). */
  public Dispatcher onError(ErrorListener listener) {
    this.errorListener = Objects.requireNonNull(listener);
    return this;
  }

  /** True if a handler is registered for {@code type}. */
  public synchronized boolean handles(MessageType type) {
    return handlers.containsKey(type);
  }

  synchronized void attach(Codec codec, Counters counters) {
    this.codec = codec;
    this.counters = counters;
  }

  public Counters counters() {
    return counters;
  }

  /** Decodes one frame and runs its handler on the calling thread. Never throws. */
  public void dispatch(byte[] frame, InetSocketAddress remote, Instant receivedAt) {
    counters.received();
    Codec.Decoded decoded;
    try {
      decoded = codec.decode(frame);
    } catch (ProtocolException e) {
      reject(new Rejection(e.reason(), remote, e.msgtype(), e.getMessage(), null));
      return;
    } catch (RuntimeException e) {
      reject(new Rejection(RejectReason.INVALID, remote, null, "cannot map message: " + e.getMessage(), e));
      return;
    }
    MessageHandler<Object> handler;
    synchronized (this) {
      handler = handlers.get(decoded.type());
    }
    String msgtype = decoded.type().wireName();
    if (handler == null) {
      reject(new Rejection(RejectReason.UNHANDLED, remote, msgtype, "no handler for " + decoded.type(), null));
      return;
    }
    try {
      handler.handle(decoded.message(), new MessageContext(remote, receivedAt, decoded.type(), decoded.tree()));
      counters.dispatched();
    } catch (Exception | LinkageError | AssertionError | StackOverflowError e) {
      reject(new Rejection(RejectReason.HANDLER_ERROR, remote, msgtype, "handler threw " + e, e));
    }
  }

  /** Counts, logs and reports one rejection. Never throws. */
  public void reject(Rejection rejection) {
    counters.rejected(rejection.reason());
    long heldBack = logBudget.take();
    if (heldBack >= 0) {
      if (heldBack > 0) {
        log.warn("{} rejections were not logged (over {} a second; all are counted)", heldBack, LOG_LINES_PER_SECOND);
      }
      logLine(rejection);
    }
    try {
      errorListener.onRejected(rejection);
    } catch (RuntimeException e) {
      log.warn("error listener threw while reporting {}", rejection, e);
    }
  }

  private static void logLine(Rejection rejection) {
    if (rejection.reason() == RejectReason.HANDLER_ERROR) {
      log.warn("{}", rejection, rejection.cause());
    } else if (rejection.reason() == RejectReason.UNHANDLED) {
      log.info("{}", rejection);
    } else {
      log.warn("{}", rejection);
    }
  }
}
