package org.p2pchat.peer.internal;

import java.util.concurrent.CompletableFuture;
import org.p2pchat.cli.Failures;
import org.p2pchat.peer.PeerOutput;
import org.p2pchat.protocol.HostPort;
import org.p2pchat.sdk.Node;
import org.p2pchat.sdk.ProtocolException;
import org.p2pchat.sdk.RejectReason;
import org.p2pchat.sdk.SendException;

/**
 * Sends messages and turns every failure into one line for the user, so an unreachable server or
 * peer never ends the program.
 */
public final class Outbox {
  private final java.util.function.Supplier<Node> node;
  private final PeerOutput out;

  /** {@code node} is asked at send time: handlers (which send) are registered before the node is built. */
  public Outbox(java.util.function.Supplier<Node> node, PeerOutput out) {
    this.node = node;
    this.out = out;
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
