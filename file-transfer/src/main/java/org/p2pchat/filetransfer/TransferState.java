package org.p2pchat.filetransfer;

/** Where a transfer is in its life. See {@link Transfer} for the transitions. */
public enum TransferState {
  /** Offered, waiting for yes or no. */
  OFFERED,
  /** The receiver said yes; no chunk has moved yet. */
  ACCEPTED,
  /** The receiver said no. Final. */
  REFUSED,
  /** Nobody answered in time. Final. */
  EXPIRED,
  /** Chunks are going out (sender). */
  SENDING,
  /** Chunks are coming in (receiver). */
  RECEIVING,
  /** Every byte arrived and matched the SHA-256. Final. */
  COMPLETED,
  /** Stopped by an error; the receiver keeps the partial file. Final. */
  FAILED,
  /** Stopped by either user. Final. */
  CANCELLED;

  public boolean isFinal() {
    return this == REFUSED || this == EXPIRED || this == COMPLETED || this == FAILED || this == CANCELLED;
  }
}
