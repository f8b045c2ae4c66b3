package org.p2pchat.sdk;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import org.p2pchat.protocol.MessageType;
import org.p2pchat.sdk.internal.FrameHandoff;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dispatching a node really does, built once: an immutable handler table, the codec the node
 * decodes with and the node's counters, all final. Stateless per message, so many workers may call
 * {@link #dispatch} at once without a lock. Package-private: embedders see {@link Dispatcher}.
 */
final class FrameDispatcher implements FrameHandoff.Target {
  private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);
  /** A flood of bad input must not become a flood of log lines. */
  private static final int LOG_LINES_PER_SECOND = 50;

  private final Map<MessageType, MessageHandler<Object>> handlers;
  private final ErrorListener errorListener;
  private final Codec codec;
  private final Counters counters;
  private final LogBudget logBudget = new LogBudget(LOG_LINES_PER_SECOND, System::nanoTime);

  FrameDispatcher(Map<MessageType, MessageHandler<Object>> handlers, ErrorListener errorListener, Codec codec,
      Counters counters) {
    // EnumMap copy: a lookup is an array index, and the caller's map can change nothing here.
    this.handlers = handlers.isEmpty() ? new EnumMap<>(MessageType.class) : new EnumMap<>(handlers);
    this.errorListener = errorListener;
    this.codec = codec;
    this.counters = counters;
  }

  Codec codec() {
    return codec;
  }

  Counters counters() {
    return counters;
  }

  boolean handles(MessageType type) {
    return handlers.containsKey(type);
  }

  /** Decodes one frame and runs its handler on the calling thread. Never throws. */
  @Override
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
    MessageHandler<Object> handler = handlers.get(decoded.type());
    if (handler == null) {
      reject(new Rejection(RejectReason.UNHANDLED, remote, decoded.type().wireName(),
          "no handler for " + decoded.type(), null));
      return;
    }
    try {
      handler.handle(decoded.message(), new MessageContext(remote, receivedAt, decoded.type(), decoded.tree()));
      counters.dispatched();
    } catch (Exception | LinkageError | AssertionError | StackOverflowError e) {
      reject(new Rejection(RejectReason.HANDLER_ERROR, remote, decoded.type().wireName(), "handler threw " + e, e));
    }
  }

  /** Counts, logs and reports one rejection. Never throws. */
  @Override
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
