package org.p2pchat.filetransfer;

import java.util.ArrayDeque;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * One peer's bandwidth for file chunks, shared fairly: a {@link TokenBucket} plus a round robin over that peer's
 * transfers, so two transfers to one peer each get half and neither can starve the other. Time is injected. Not
 * thread-safe.
 */
public final class PeerThrottle {
  private final TokenBucket bucket;
  private final ArrayDeque<String> turn = new ArrayDeque<>();

  public PeerThrottle(long bytesPerSecond, long burst, long nowNanos) {
    this.bucket = new TokenBucket(bytesPerSecond, burst, nowNanos);
  }

  /** A throttle with {@code limits}' rate and burst. */
  public static PeerThrottle of(FileTransferLimits limits, long nowNanos) {
    return new PeerThrottle(limits.bytesPerSecondPerPeer(), limits.burstBytes(), nowNanos);
  }

  public void add(String transferId) {
    if (!turn.contains(transferId)) {
      turn.addLast(transferId);
    }
  }

  public void remove(String transferId) {
    turn.remove(transferId);
  }

  /**
   * The transfer whose turn it is to send a chunk of {@code bytes} (as it goes on the wire) now, among those
   * {@code ready} says have a chunk to send; the bucket is charged and that transfer goes to the back of the
   * queue. Empty when none is ready or the bucket is short: then wait {@link #nanosUntil}.
   */
  public Optional<String> next(Predicate<String> ready, long bytes, long nowNanos) {
    for (int i = 0; i < turn.size(); i++) {
      String id = turn.pollFirst();
      turn.addLast(id);
      if (ready.test(id)) {
        if (!bucket.tryTake(bytes, nowNanos)) {
          // Not its fault: put it back at the front so it is first once the bucket refills.
          turn.removeLast();
          turn.addFirst(id);
          return Optional.empty();
        }
        return Optional.of(id);
      }
    }
    return Optional.empty();
  }

  /** Nanoseconds until a chunk of {@code bytes} may go. */
  public long nanosUntil(long bytes, long nowNanos) {
    return bucket.nanosUntil(bytes, nowNanos);
  }
}
