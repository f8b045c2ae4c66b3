package org.p2pchat.bench.internal;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A count of handled messages that a controller can wait on. Counting costs one atomic increment and a
 * volatile read; only the message that reaches the awaited count takes a lock.
 */
public final class Progress {
  private final AtomicLong count = new AtomicLong();
  private final Object lock = new Object();
  private final SharedCounter mirror;
  private volatile long target = Long.MAX_VALUE;

  public Progress() {
    this(null);
  }

  /** A count also kept in {@code mirror}, for another process to read. */
  public Progress(SharedCounter mirror) {
    this.mirror = mirror;
  }

  public void increment() {
    if (mirror != null) {
      mirror.increment();
    }
    if (count.incrementAndGet() >= target) {
      synchronized (lock) {
        lock.notifyAll();
      }
    }
  }

  public long count() {
    return count.get();
  }

  /** Waits until the count reaches {@code wanted} or {@code timeout} passes; returns the count. */
  public long await(long wanted, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (lock) {
      target = wanted;
      try {
        long left;
        while (count.get() < wanted && (left = deadline - System.nanoTime()) > 0) {
          // Short slices: a bound on how late we notice, whatever the interleaving.
          TimeUnit.NANOSECONDS.timedWait(lock, Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)));
        }
      } finally {
        target = Long.MAX_VALUE;
      }
    }
    return count.get();
  }
}
