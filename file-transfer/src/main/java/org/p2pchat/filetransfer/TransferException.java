package org.p2pchat.filetransfer;

/** A transfer cannot go on, for a {@link FailureReason}. */
public final class TransferException extends Exception {
  private final FailureReason reason;

  public TransferException(FailureReason reason, String detail) {
    super(reason.text() + (detail == null || detail.isEmpty() ? "" : ": " + detail));
    this.reason = reason;
  }

  public TransferException(FailureReason reason, String detail, Throwable cause) {
    this(reason, detail);
    initCause(cause);
  }

  public FailureReason reason() {
    return reason;
  }
}
