package org.p2pchat.sdk;

import java.io.IOException;
import org.p2pchat.protocol.HostPort;

/** A message that could not be sent, with a reason a program can act on and a message a person can read. */
public final class SendException extends IOException {
  /** Why a send failed. */
  public enum Reason {
    /** Nothing listens at that address (connection refused). */
    REFUSED,
    /** Connecting or writing took longer than its timeout. */
    TIMED_OUT,
    /** The host name does not resolve. */
    UNKNOWN_HOST,
    /** No route to the host, or the network is down. */
    UNREACHABLE,
    /** The message breaks the schema; nothing was sent. */
    INVALID_MESSAGE,
    /** The message is over the sender's size cap; nothing was sent. */
    OVERSIZED,
    /** Any other I/O failure. */
    IO
  }

  private final Reason reason;
  private final HostPort target;

  public SendException(Reason reason, HostPort target, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
    this.target = target;
  }

  public Reason reason() {
    return reason;
  }

  public HostPort target() {
    return target;
  }
}
