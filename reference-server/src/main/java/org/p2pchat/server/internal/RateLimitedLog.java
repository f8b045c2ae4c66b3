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

  /** Event lines logged at info level per second; the rest are counted (the periodic traffic line has the totals). */
  static final int EVENTS_PER_SECOND = 50;

  /**
   * The log for routine events (a registration, a list, an exit, an expiry): every one at debug level, else at
   * most {@link #EVENTS_PER_SECOND} a second at info. A line per request would cost a server under load about
   * as much CPU as the request itself.
   */
  static RateLimitedLog events(Logger log) {
    return new RateLimitedLog(log, EVENTS_PER_SECOND, 1_000_000_000L,
        "more events left out; --log-level debug logs every one");
  }

  /** True if {@link #event} would log nothing now: a caller may skip building the line (and it is counted). */
  boolean skipsEvent() {
    return !log.isDebugEnabled() && skip();
  }

  /** Logs an event line: at debug level when that is on, else as {@link #info}. */
  void event(String line) {
    if (log.isDebugEnabled()) {
      log.debug("{}", line);
    } else {
      info(line);
    }
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
