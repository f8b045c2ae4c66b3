package org.p2pchat.bench.internal;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * What a load generator's sender waits on before each message, so that load stays closed-loop. Without
 * it, senders on a small machine outrun a receiver that gets less CPU than they do, its accept queue
 * fills, and the kernel drops SYNs, each costing its sender a 1 s retransmission timeout: the run would
 * measure the kernel's timer rather than the receiver. See {@link InFlightWindow}.
 */
public interface Gate {
  /** Waits for leave to send one message; false if {@code deadline} (a nanoTime) passes first. */
  boolean pass(long deadline) throws InterruptedException;

  /** A permit from {@code window} per message; whoever sees a reply releases one. */
  static Gate of(Semaphore window) {
    return deadline -> window.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
  }
}
