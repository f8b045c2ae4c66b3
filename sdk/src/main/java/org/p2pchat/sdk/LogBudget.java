package org.p2pchat.sdk;

import java.util.function.LongSupplier;

/**
 * At most {@code perSecond} log lines a second, and how many were held back, so that a flood of bad
 * input does not become a flood of log lines. Thread-safe.
 */
final class LogBudget {
  private static final long SECOND = 1_000_000_000L;

  private final int perSecond;
  private final LongSupplier nanoTime;
  private long windowStart;
  private int used;
  private long held;

  LogBudget(int perSecond, LongSupplier nanoTime) {
    this.perSecond = perSecond;
    this.nanoTime = nanoTime;
    this.windowStart = nanoTime.getAsLong();
  }

  /** -1: do not log this one; 0: log it; N > 0: log it, after saying that N were held back. */
  synchronized long take() {
    long now = nanoTime.getAsLong();
    if (now - windowStart >= SECOND) {
      windowStart = now;
      used = 1;
      long report = held;
      held = 0;
      return report;
    }
    if (used >= perSecond) {
      held++;
      return -1;
    }
    used++;
    return 0;
  }
}
