package org.p2pchat.server.internal;

import org.slf4j.Logger;

/**
 * Warnings about refused input, at most {@code perWindow} lines per window; the lines left out are counted
 * and reported with the next line that gets through, so a flood of forgeries cannot flood the log.
 * Thread-safe.
 */
final class RateLimitedLog {
  private final Logger log;
  private final int perWindow;
  private final long windowNanos;
  private long windowStart = System.nanoTime();
  private int inWindow;
  private long suppressed;

  RateLimitedLog(Logger log, int perWindow, long windowNanos) {
    this.log = log;
    this.perWindow = perWindow;
    this.windowNanos = windowNanos;
  }

  /** Logs {@code line} as a warning unless the window's budget is spent. */
  void warn(String line) {
    long left;
    synchronized (this) {
      long now = System.nanoTime();
      if (now - windowStart >= windowNanos) {
        windowStart = now;
        inWindow = 0;
      }
      if (inWindow >= perWindow) {
        suppressed++;
        return;
      }
      inWindow++;
      left = suppressed;
      suppressed = 0;
    }
    if (left > 0) {
      log.warn("{} ({} similar lines left out)", line, left);
    } else {
      log.warn("{}", line);
    }
  }
}
