package org.p2pchat.bench.internal;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * A {@link Gate} that allows at most {@code limit} messages sent but not yet handled, by the receiver's
 * own count. One daemon thread reads that count every millisecond and hands back a permit for each newly
 * handled message, so waiting senders block on a semaphore instead of each polling: a millisecond of a
 * 20,000-message-per-second stream is 20 messages, far inside any useful window. Close it after the run.
 */
public final class InFlightWindow implements Gate, AutoCloseable {
  private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

  private final Semaphore permits;
  private final LongSupplier handled;
  private final Thread refill;
  private volatile boolean open = true;

  /** {@code handled} is the receiver's count, read now as the window's starting point. */
  public InFlightWindow(LongSupplier handled, int limit) {
    this.permits = new Semaphore(limit);
    this.handled = handled;
    long start = handled.getAsLong();
    this.refill = new Thread(() -> refill(start), "bench-window");
    refill.setDaemon(true);
    refill.start();
  }

  private void refill(long start) {
    long seen = start;
    while (open) {
      long now = handled.getAsLong();
      if (now > seen) {
        permits.release((int) Math.min(Integer.MAX_VALUE, now - seen));
        seen = now;
      }
      LockSupport.parkNanos(POLL_NANOS);
    }
  }

  @Override
  public boolean pass(long deadline) throws InterruptedException {
    return permits.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
  }

  @Override
  public void close() {
    open = false;
    LockSupport.unpark(refill);
  }
}
