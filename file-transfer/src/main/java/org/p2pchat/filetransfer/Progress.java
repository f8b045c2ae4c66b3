package org.p2pchat.filetransfer;

import java.util.ArrayDeque;
import java.util.OptionalInt;

/**
 * Progress of one transfer: bytes, percent, and speed over a sliding window of recent samples, with injected
 * time. {@link #update} reports each 10 % step crossed, for plain output ("a line every 10 %"). Not thread-safe.
 */
public final class Progress {
  private static final long NANOS = 1_000_000_000L;
  private final long total;
  private final long windowNanos;
  private final ArrayDeque<long[]> samples = new ArrayDeque<>();
  private long bytes;
  private int decile;

  /**
   * Progress towards {@code total} bytes, starting at {@code startBytes} (more than 0 when resumed), speed
   * measured over {@code windowNanos}.
   */
  public Progress(long total, long startBytes, long windowNanos, long nowNanos) {
    if (total < 0 || startBytes < 0 || startBytes > total || windowNanos < 1) {
      throw new IllegalArgumentException("total " + total + ", start " + startBytes + ", window " + windowNanos);
    }
    this.total = total;
    this.windowNanos = windowNanos;
    this.bytes = startBytes;
    this.decile = decileOf(startBytes);
    samples.addLast(new long[] {nowNanos, startBytes});
  }

  /**
   * Records that {@code bytesDone} bytes are done at {@code nowNanos}; returns the new percent step (10, 20, ...
   * 100) when one or more steps were crossed since the last report, or empty.
   */
  public OptionalInt update(long bytesDone, long nowNanos) {
    bytes = Math.max(bytes, Math.min(bytesDone, total));
    samples.addLast(new long[] {nowNanos, bytes});
    while (samples.size() > 2 && nowNanos - samples.peekFirst()[0] > windowNanos) {
      samples.pollFirst();
    }
    int d = decileOf(bytes);
    if (d > decile) {
      decile = d;
      return OptionalInt.of(d * 10);
    }
    return OptionalInt.empty();
  }

  public long bytes() {
    return bytes;
  }

  public long total() {
    return total;
  }

  /** Whole percent done, rounded down; 100 for an empty file. */
  public int percent() {
    return total == 0 ? 100 : (int) (bytes * 100 / total);
  }

  /** Bytes a second over the recent window; 0 until two samples a moment apart exist. */
  public double bytesPerSecond() {
    long[] first = samples.peekFirst();
    long[] last = samples.peekLast();
    long dt = last[0] - first[0];
    return dt <= 0 ? 0 : (double) (last[1] - first[1]) * NANOS / dt;
  }

  /** Seconds left at the current speed, or -1 when unknown. */
  public long secondsLeft() {
    double speed = bytesPerSecond();
    return speed <= 0 ? -1 : (long) Math.ceil((total - bytes) / speed);
  }

  private int decileOf(long b) {
    return total == 0 ? 10 : (int) (b * 10 / total);
  }
}
