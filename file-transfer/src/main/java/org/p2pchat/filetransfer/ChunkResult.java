package org.p2pchat.filetransfer;

import java.nio.file.Path;

/**
 * What {@link Incoming#accept} made of a chunk.
 *
 * @param status where the transfer stands now
 * @param next the next chunk index still needed (every chunk below it is written and verified): the value for
 *     FILE_ACK's {@code next}
 * @param ackDue true when the receiver should send FILE_ACK now (every half window, and at the end)
 * @param reason why it failed, when {@code status} is {@link Status#FAILED}; otherwise null
 * @param detail a short sanitised explanation for the log and the verdict line; empty when none
 * @param file where the finished file now is, when {@code status} is {@link Status#COMPLETED}; otherwise null
 */
public record ChunkResult(Status status, int next, boolean ackDue, FailureReason reason, String detail, Path file) {

  /** Where a receiving transfer stands after a chunk. */
  public enum Status {
    /** Written (or held until the chunks before it arrive); more to come. */
    ACCEPTED,
    /** The last chunk arrived, the SHA-256 matched and the file is in place. */
    COMPLETED,
    /** The transfer failed; the partial file is kept for a resume. */
    FAILED
  }

  static ChunkResult accepted(int next, boolean ackDue) {
    return new ChunkResult(Status.ACCEPTED, next, ackDue, null, "", null);
  }

  static ChunkResult completed(int next, Path file) {
    return new ChunkResult(Status.COMPLETED, next, true, null, "", file);
  }

  static ChunkResult failed(int next, FailureReason reason, String detail) {
    return new ChunkResult(Status.FAILED, next, false, reason, detail, null);
  }
}
