package org.p2pchat.bench.internal;

import java.time.Duration;

/** The time a whole run may take before it stops redoing disturbed runs (so --quick stays quick). */
public final class Budget {
  private final long start = System.nanoTime();
  private final Duration retryUntil;

  public Budget(Duration retryUntil) {
    this.retryUntil = retryUntil;
  }

  /** True while a disturbed run may still be redone. */
  public boolean canRetry() {
    return System.nanoTime() - start < retryUntil.toNanos();
  }

  public double elapsedSeconds() {
    return (System.nanoTime() - start) / 1e9;
  }
}
