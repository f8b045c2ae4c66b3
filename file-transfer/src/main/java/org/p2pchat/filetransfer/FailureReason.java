package org.p2pchat.filetransfer;

/**
 * Why a transfer did not complete. {@link #wire()} is the token for the {@code reason} field of FILE_CANCEL and
 * FILE_TRANSFER_REFUSE; {@link #fromWire} maps an unknown token to {@link #PROTOCOL}.
 */
public enum FailureReason {
  /** The receiver said no. */
  REFUSED("refused", "refused by the receiver"),
  /** Nobody answered the offer in time. */
  EXPIRED("expired", "the offer expired unanswered"),
  /** Cancelled by the local user. */
  CANCELLED("cancelled", "cancelled"),
  /** The file is over the receiver's size limit. */
  TOO_LARGE("too-large", "the file is over the size limit"),
  /** Too many transfers with that peer at once. */
  BUSY("busy", "too many transfers with this peer"),
  /** A chunk index outside the file or the flow-control window. */
  OUT_OF_RANGE("out-of-range", "a chunk outside the file or the window"),
  /** A chunk that had already arrived. */
  DUPLICATE_CHUNK("duplicate-chunk", "a chunk arrived twice"),
  /** A chunk whose bytes do not match its CRC or its expected length. */
  CORRUPT_CHUNK("corrupt-chunk", "a chunk was damaged"),
  /** The whole file does not match the offered SHA-256. */
  CHECKSUM_MISMATCH("checksum-mismatch", "the file does not match its SHA-256"),
  /** No progress for too long. */
  STALLED("stalled", "the other side stopped"),
  /** The sender's file changed or vanished since the offer. */
  SOURCE_CHANGED("source-changed", "the file changed since it was offered"),
  /** A local file error. */
  IO_ERROR("io-error", "a local file error"),
  /** A malformed message or an offer that contradicts itself. */
  PROTOCOL("protocol", "a malformed message");

  private final String wire;
  private final String text;

  FailureReason(String wire, String text) {
    this.wire = wire;
    this.text = text;
  }

  /** The token used on the wire. */
  public String wire() {
    return wire;
  }

  /** A short human sentence fragment, for the verdict line. */
  public String text() {
    return text;
  }

  /** The reason for a wire token; unknown tokens become {@link #PROTOCOL}. */
  public static FailureReason fromWire(String token) {
    for (FailureReason r : values()) {
      if (r.wire.equals(token)) {
        return r;
      }
    }
    return PROTOCOL;
  }
}
