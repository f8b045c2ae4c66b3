package org.p2pchat.server.internal;

import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * Lines about what requests did, at most {@code perWindow} per window; the lines left out are counted and
 * reported with the next line that gets through, so a flood of forgeries (or of ordinary requests) cannot flood
 * the log, nor spend the server's CPU on it. Thread-safe.
 */
final class RateLimitedLog {
  private final Logger log;
  private final int perWindow;
  private final long windowNanos;
  private final LongSupplier nanoTime;
  private long windowStart;
  private int inWindow;
  private final String leftOut;
  private long suppressed;

  RateLimitedLog(Logger log, int perWindow, long windowNanos) {
    this(log, perWindow, windowNanos, "similar lines left out");
  }

  /** {@code leftOut} follows the count of lines left out, e.g. "similar lines left out". */
  RateLimitedLog(Logger log, int perWindow, long windowNanos, String leftOut) {
    this(log, perWindow, windowNanos, leftOut, System::nanoTime);
  }

  /** As above, reading the time from {@code nanoTime} (tests step it). */
  RateLimitedLog(Logger log, int perWindow, long windowNanos, String leftOut, LongSupplier nanoTime) {
    this.log = log;
    this.nanoTime = nanoTime;
    this.windowStart = nanoTime.getAsLong();
    this.perWindow = perWindow;
    this.windowNanos = windowNanos;
    this.leftOut = leftOut;
  }

  /** Logs {@code line} as a warning unless the window's budget is spent. */
  void warn(String line) {
    long left = admit();
    if (left > 0) {
      log.warn("{} ({} {})", line, left, leftOut);
    } else if (left == 0) {
      log.warn("{}", line);
    }
  }

  /** Logs {@code line} at info level unless the window's budget is spent. */
  void info(String line) {
    long left = admit();
    if (left > 0) {
      log.info("{} ({} {})", line, left, leftOut);
    } else if (left == 0) {
      log.info("{}", line);
    }
  }

  /**
   * True (and the line counted as left out) when the window's budget is spent: the caller need not even build
   * the line. False leaves the budget as it is, for the {@link #warn} or {@link #info} that follows.
   */
  boolean skip() {
    synchronized (this) {
      roll();
      if (inWindow >= perWindow) {
        suppressed++;
        return true;
      }
      return false;
    }
  }

  /** The count of lines left out before this one (0 or more), or -1 when this one is left out too. */
  private synchronized long admit() {
    roll();
    if (inWindow >= perWindow) {
      suppressed++;
      return -1;
    }
    inWindow++;
    long left = suppressed;
    suppressed = 0;
    return left;
  }

  private void roll() {
    long now = nanoTime.getAsLong();
    if (now - windowStart >= windowNanos) {
      windowStart = now;
      inWindow = 0;
    }
  }
}
