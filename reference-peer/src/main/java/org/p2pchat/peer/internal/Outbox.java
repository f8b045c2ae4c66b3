package org.p2pchat.peer.internal;

import java.util.concurrent.CompletableFuture;
import org.p2pchat.cli.Failures;
import org.p2pchat.peer.PeerOutput;
import org.p2pchat.protocol.HostPort;
import org.p2pchat.sdk.Node;
import org.p2pchat.sdk.ProtocolException;
import org.p2pchat.sdk.RejectReason;
import org.p2pchat.sdk.SendException;
import org.p2pchat.sdk.Sender;

/**
 * Sends messages and turns every failure into one line for the user, so an unreachable server or
 * peer never ends the program.
 */
public final class Outbox {
  private final java.util.function.Supplier<Node> node;
  private final PeerOutput out;
  /** Sends to counterparts that advertised {@code eof}: no 1,024-byte cap, raw UTF-8. */
  private final Sender wide;

  /** {@code node} is asked at send time: handlers (which send) are registered before the node is built. */
  public Outbox(java.util.function.Supplier<Node> node, PeerOutput out, java.time.Duration connectTimeout) {
    this.node = node;
    this.out = out;
    this.wide = Sender.builder().maxBytes(Utf8Wire.MAX_BYTES).connectTimeout(connectTimeout).asyncThreads(1).build();
  }

  /** Stops the sender of long messages (the node's own stops with the node). */
  public void close() {
    wide.close();
  }

  /**
   * Sends to a counterpart that advertised {@code eof} (it reads to end of stream and decodes UTF-8): up to
   * the schema's limits, non-ASCII as raw UTF-8. False (after telling the user why) if not sent.
   */
  public boolean sendUtf8(HostPort to, Object message) {
    byte[] bytes;
    try {
      bytes = Utf8Wire.encode(message);
    } catch (IllegalArgumentException e) {
      out.line("not sending " + org.p2pchat.protocol.WireJson.typeOf(message).wireName() + " to " + to + ": "
          + e.getMessage());
      return false;
    }
    try {
      wide.sendRaw(to, bytes);
      return true;
    } catch (SendException e) {
      out.line(e.getMessage());
      return false;
    }
  }

  /** Sends on the calling thread; false (after telling the user why) if it could not be sent. */
  public boolean send(HostPort to, Object message) {
    try {
      node.get().send(to, message);
      return true;
    } catch (SendException e) {
      out.line(describe(e));
      return false;
    }
  }

  /**
   * Sends without blocking the caller (for handlers, which must never wait). The future completes,
   * never exceptionally, once the message is sent or the failure has been shown.
   */
  public CompletableFuture<Boolean> sendInBackground(HostPort to, Object message) {
    return node.get().sendAsync(to, message).handle((ok, error) -> {
      if (error == null) {
        return true;
      }
      Throwable cause = Failures.unwrap(error);
      out.line(cause instanceof SendException ? describe((SendException) cause) : "cannot send to " + to + ": " + cause);
      return false;
    });
  }

  static String describe(SendException e) {
    String hint = " (a 2018 peer reads at most 1024 bytes; send a shorter message)";
    if (e.reason() == SendException.Reason.OVERSIZED) {
      return e.getMessage() + hint;
    }
    // The node's codec checks the size cap as part of validation, so too long arrives as "invalid".
    if (e.getCause() instanceof ProtocolException && ((ProtocolException) e.getCause()).reason() == RejectReason.TOO_LARGE) {
      ProtocolException p = (ProtocolException) e.getCause();
      return "not sending " + p.msgtype() + " to " + e.target() + ": " + p.violations().get(0).message() + hint;
    }
    return e.getMessage();
  }
}
