package org.p2pchat.filetransfer;

import java.util.Objects;
import java.util.OptionalInt;

/**
 * The life of one transfer on one side, as a state machine fed events with injected time (no clocks, no I/O):
 *
 * <pre>
 * OFFERED --accept--&gt; ACCEPTED --start--&gt; SENDING | RECEIVING --complete--&gt; COMPLETED
 *    |                   |                        |
 *    +--refuse--&gt; REFUSED +--fail/cancel--+        +--fail(reason)--&gt; FAILED
 *    +--tick past the offer deadline--&gt; EXPIRED   +--cancel--------&gt; CANCELLED
 *    +--cancel--&gt; CANCELLED                        +--tick with no progress for stallTimeout--&gt; FAILED(STALLED)
 * </pre>
 *
 * Every event method returns true when it changed the state and false when it does not apply in the current
 * state (a late answer to an expired offer, a second cancel): events come from the network and must never throw.
 * Not thread-safe: the driver feeds one transfer's events from one place.
 */
public final class Transfer {
  /** Which end we are. */
  public enum Side {
    SEND,
    RECEIVE
  }

  private static final long PROGRESS_WINDOW_NANOS = 5_000_000_000L;
  private final Side side;
  private final String peer;
  private final Offer offer;
  private final long offerDeadline;
  private final long stallNanos;
  private TransferState state = TransferState.OFFERED;
  private FailureReason reason;
  private String detail = "";
  private boolean byPeer;
  private long lastProgressAt;
  private Progress progress;

  private Transfer(Side side, String peer, Offer offer, long nowNanos, FileTransferLimits limits) {
    this.side = Objects.requireNonNull(side, "side");
    this.peer = Objects.requireNonNull(peer, "peer");
    this.offer = Objects.requireNonNull(offer, "offer");
    this.offerDeadline = nowNanos + limits.offerTimeout().toNanos();
    this.stallNanos = limits.stallTimeout().toNanos();
    this.lastProgressAt = nowNanos;
  }

  /** A transfer of {@code offer} with {@code peer}, offered at {@code nowNanos}. */
  public static Transfer offered(Side side, String peer, Offer offer, long nowNanos, FileTransferLimits limits) {
    return new Transfer(side, peer, offer, nowNanos, limits);
  }

  /** The receiver said yes (receiver: the user typed yes; sender: FILE_TRANSFER_ACCEPT arrived). */
  public boolean accept(long nowNanos) {
    if (state != TransferState.OFFERED) {
      return false;
    }
    state = TransferState.ACCEPTED;
    lastProgressAt = nowNanos;
    return true;
  }

  /** The receiver said no, or turned the offer down itself ({@code reason}: REFUSED, TOO_LARGE, BUSY, ...). */
  public boolean refuse(FailureReason reason, long nowNanos) {
    if (state != TransferState.OFFERED) {
      return false;
    }
    return end(TransferState.REFUSED, reason, "", false);
  }

  /** Chunks start to move, from chunk {@code fromChunk} (more than 0 on a resume). */
  public boolean start(int fromChunk, long nowNanos) {
    if (state != TransferState.ACCEPTED || fromChunk < 0 || fromChunk > offer.chunkCount()) {
      return false;
    }
    long startBytes = fromChunk == offer.chunkCount() ? offer.size() : (long) fromChunk * offer.chunkSize();
    progress = new Progress(offer.size(), startBytes, PROGRESS_WINDOW_NANOS, nowNanos);
    state = side == Side.SEND ? TransferState.SENDING : TransferState.RECEIVING;
    lastProgressAt = nowNanos;
    return true;
  }

  /**
   * {@code bytesDone} bytes are confirmed (sender: acknowledged; receiver: verified). Returns the 10 % step just
   * crossed, for a plain-mode progress line, or empty.
   */
  public OptionalInt progress(long bytesDone, long nowNanos) {
    if (!isMoving()) {
      return OptionalInt.empty();
    }
    if (bytesDone > progress.bytes()) {
      lastProgressAt = nowNanos;
    }
    return progress.update(bytesDone, nowNanos);
  }

  /** Every byte arrived and the SHA-256 matched (receiver: file in place; sender: the final FILE_ACK). */
  public boolean complete(long nowNanos) {
    if (!isMoving()) {
      return false;
    }
    progress.update(offer.size(), nowNanos);
    return end(TransferState.COMPLETED, null, "", false);
  }

  /** Fails a running or accepted transfer for {@code reason}; {@code byPeer} when the other side reported it. */
  public boolean fail(FailureReason reason, String detail, boolean byPeer) {
    if (state != TransferState.ACCEPTED && !isMoving()) {
      return false;
    }
    return end(TransferState.FAILED, Objects.requireNonNull(reason, "reason"), detail, byPeer);
  }

  /** Cancels a transfer that has not ended; {@code byPeer} when FILE_CANCEL(cancelled) came from the other side. */
  public boolean cancel(boolean byPeer, long nowNanos) {
    if (state.isFinal()) {
      return false;
    }
    return end(TransferState.CANCELLED, FailureReason.CANCELLED, "", byPeer);
  }

  /**
   * Time passes: an unanswered offer past its deadline expires; a running transfer with no progress for the
   * stall timeout fails as {@link FailureReason#STALLED}. Returns true when that changed the state.
   */
  public boolean tick(long nowNanos) {
    if (state == TransferState.OFFERED && nowNanos - offerDeadline >= 0) {
      return end(TransferState.EXPIRED, FailureReason.EXPIRED, "", false);
    }
    if ((state == TransferState.ACCEPTED || isMoving()) && nowNanos - lastProgressAt >= stallNanos) {
      return end(TransferState.FAILED, FailureReason.STALLED, "no progress for " + stallNanos / 1_000_000_000L
          + " s", false);
    }
    return false;
  }

  public Side side() {
    return side;
  }

  public String peer() {
    return peer;
  }

  public Offer offer() {
    return offer;
  }

  public String id() {
    return offer.id();
  }

  public TransferState state() {
    return state;
  }

  /** Why it ended, for REFUSED, EXPIRED, FAILED and CANCELLED; null otherwise. */
  public FailureReason reason() {
    return reason;
  }

  /** A short explanation of the reason; empty when none. */
  public String detail() {
    return detail;
  }

  /** True when the other side ended it (its FILE_CANCEL or refusal). */
  public boolean endedByPeer() {
    return byPeer;
  }

  /** Bytes confirmed so far (0 before the start). */
  public long bytesDone() {
    return progress == null ? 0 : progress.bytes();
  }

  /** Whole percent, 0 before the start. */
  public int percent() {
    return progress == null ? 0 : progress.percent();
  }

  /** Bytes a second over the last few seconds; 0 before the start. */
  public double bytesPerSecond() {
    return progress == null ? 0 : progress.bytesPerSecond();
  }

  /** The deadline of the offer, in the caller's nanoseconds; the driver arms a timer for it. */
  public long offerDeadline() {
    return offerDeadline;
  }

  /**
   * One line for {@code list transfers} and the verdict: {@code id  send|recv  peer  name  state  pct  reason}.
   * The name is sanitised, since it came from the network.
   */
  public String describe() {
    StringBuilder b = new StringBuilder()
        .append(id()).append("  ").append(side == Side.SEND ? "send" : "recv").append("  ").append(peer)
        .append("  ").append(SafeFileNames.sanitize(offer.name())).append("  ").append(offer.size()).append(" B  ")
        .append(state.name().toLowerCase(java.util.Locale.ROOT));
    if (progress != null) {
      b.append("  ").append(percent()).append('%');
    }
    if (reason != null && state != TransferState.COMPLETED) {
      b.append("  ").append(reason.text()).append(byPeer ? " (by " + peer + ")" : "");
      if (!detail.isEmpty()) {
        b.append(": ").append(detail);
      }
    }
    return b.toString();
  }

  private boolean isMoving() {
    return state == TransferState.SENDING || state == TransferState.RECEIVING;
  }

  private boolean end(TransferState to, FailureReason why, String text, boolean fromPeer) {
    state = to;
    reason = why;
    detail = text == null ? "" : text;
    byPeer = fromPeer;
    return true;
  }
}
