package org.p2pchat.sdk;

import java.net.InetSocketAddress;
import java.util.Objects;
import org.p2pchat.protocol.Printable;

/**
 * One incoming connection or message that was not handled, with its reason and origin. Immutable.
 *
 * <p>{@link #toString()} is the one-line form logged by the SDK: reason, remote address, msgtype if
 * known, and the detail; msgtype and detail escaped by {@link Printable#of(String)}, since both may carry
 * bytes off the wire.
 */
public final class Rejection {
  private final RejectReason reason;
  private final InetSocketAddress remote;
  private final String msgtype;
  private final String detail;
  private final Throwable cause;

  public Rejection(RejectReason reason, InetSocketAddress remote, String msgtype, String detail, Throwable cause) {
    this.reason = Objects.requireNonNull(reason);
    this.remote = remote;
    this.msgtype = msgtype;
    this.detail = Objects.requireNonNull(detail);
    this.cause = cause;
  }

  public RejectReason reason() {
    return reason;
  }

  /** Where the connection came from (its source address, not the sender's advertised one); may be null. */
  public InetSocketAddress remote() {
    return remote;
  }

  /** The msgtype if the message got far enough to have one, else null. */
  public String msgtype() {
    return msgtype;
  }

  public String detail() {
    return detail;
  }

  /** The exception behind a {@link RejectReason#HANDLER_ERROR} or {@link RejectReason#IO_ERROR}, else null. */
  public Throwable cause() {
    return cause;
  }

  @Override
  public String toString() {
    return "rejected " + reason + " from " + Addresses.describe(remote)
        + (msgtype != null ? " msgtype=" + Printable.of(msgtype) : "") + ": " + Printable.of(detail);
  }
}
