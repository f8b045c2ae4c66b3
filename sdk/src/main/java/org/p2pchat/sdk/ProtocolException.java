package org.p2pchat.sdk;

import java.util.List;
import org.p2pchat.protocol.Violation;

/** Bytes that are not a valid protocol message, with the reason and every violation found. */
public final class ProtocolException extends Exception {
  private final RejectReason reason;
  private final String msgtype;
  private final List<Violation> violations;

  public ProtocolException(RejectReason reason, String msgtype, List<Violation> violations) {
    super(describe(violations));
    this.reason = reason;
    this.msgtype = msgtype;
    this.violations = List.copyOf(violations);
  }

  public RejectReason reason() {
    return reason;
  }

  /** The msgtype if the input had a readable one, else null. */
  public String msgtype() {
    return msgtype;
  }

  public List<Violation> violations() {
    return violations;
  }

  private static String describe(List<Violation> violations) {
    StringBuilder sb = new StringBuilder();
    for (Violation v : violations) {
      if (sb.length() > 0) {
        sb.append("; ");
      }
      sb.append(v);
    }
    return sb.toString();
  }
}
