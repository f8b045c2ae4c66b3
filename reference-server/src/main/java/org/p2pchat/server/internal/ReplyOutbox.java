package org.p2pchat.server.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;
import org.p2pchat.cli.Failures;
import org.p2pchat.protocol.HostPort;
import org.p2pchat.sdk.SendException;

/**
 * Replies, kept apart per destination (host:port) so that a slow or dead address delays only its own
 * replies: at most {@code maxInFlight} sends to one destination at once, at most {@code maxQueued} more
 * waiting in its own queue, and beyond that a reply fails at once. A destination whose connect timed out
 * is suspect for {@code suspectNanos}: the replies waiting for it fail at once (they would time out too),
 * and while it is suspect one send at a time is tried and nothing waits behind it. So a tarpit (an
 * address that never accepts) holds at most {@code maxInFlight} sender threads until its first connect
 * deadline, then one, and never delays anyone else's queue. A successful send clears the suspicion.
 * Clock passed in. Thread-safe.
 */
public final class ReplyOutbox implements RendezvousHandlers.Outbox {
  private final RendezvousHandlers.Outbox delegate;
  private final int maxInFlight;
  private final int maxQueued;
  private final long suspectNanos;
  private final LongSupplier nanoClock;
  /** Guarded by this; a destination is here only while it has a send in flight. */
  private final Map<HostPort, Destination> destinations = new HashMap<>();

  private record Pending(Object message, CompletableFuture<Void> done) {}

  private static final class Destination {
    int inFlight;
    final ArrayDeque<Pending> queue = new ArrayDeque<>();
  }

  /** Suspect destinations, kept after their last send ends; guarded by this. */
  private final Map<HostPort, Long> suspectUntil = new HashMap<>();

  public ReplyOutbox(RendezvousHandlers.Outbox delegate, int maxInFlight, int maxQueued, long suspectNanos,
      LongSupplier nanoClock) {
    if (maxInFlight < 1 || maxQueued < 0) {
      throw new IllegalArgumentException("maxInFlight must be at least 1 and maxQueued at least 0, got "
          + maxInFlight + " and " + maxQueued);
    }
    this.delegate = delegate;
    this.maxInFlight = maxInFlight;
    this.maxQueued = maxQueued;
    this.suspectNanos = suspectNanos;
    this.nanoClock = nanoClock;
  }

  @Override
  public CompletableFuture<Void> sendAsync(HostPort to, Object message) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    boolean start;
    synchronized (this) {
      Destination d = destinations.computeIfAbsent(to, k -> new Destination());
      boolean suspect = suspect(to);
      if (d.inFlight < (suspect ? 1 : maxInFlight)) {
        d.inFlight++;
        start = true;
      } else if (!suspect && d.queue.size() < maxQueued) {
        d.queue.addLast(new Pending(message, done));
        return done;
      } else {
        start = false;
      }
    }
    if (!start) {
      done.completeExceptionally(new SendException(SendException.Reason.IO, to, "not sending to " + to + ": "
          + "too many replies already wait for it, or an earlier one timed out connecting", null));
      return done;
    }
    launch(to, new Pending(message, done));
    return done;
  }

  /** Destinations with a send in flight (for tests of the bound). */
  public synchronized int busy() {
    return destinations.size();
  }

  private void launch(HostPort to, Pending pending) {
    CompletableFuture<Void> sent;
    try {
      sent = delegate.sendAsync(to, pending.message());
    } catch (RuntimeException e) {
      sent = CompletableFuture.failedFuture(e);
    }
    sent.whenComplete((ok, error) -> finished(to, error));
    sent.whenComplete((ok, error) -> {
      if (error == null) {
        pending.done().complete(null);
      } else {
        pending.done().completeExceptionally(Failures.unwrap(error));
      }
    });
  }

  private void finished(HostPort to, Throwable error) {
    List<Pending> failed = new ArrayList<>();
    List<Pending> next = new ArrayList<>();
    boolean timedOut = error != null && Failures.unwrap(error) instanceof SendException
        && ((SendException) Failures.unwrap(error)).reason() == SendException.Reason.TIMED_OUT;
    synchronized (this) {
      Destination d = destinations.get(to);
      d.inFlight--;
      long now = nanoClock.getAsLong();
      if (timedOut) {
        suspectUntil.put(to, now + suspectNanos);
        failed.addAll(d.queue);
        d.queue.clear();
      } else if (error == null) {
        suspectUntil.remove(to);
      }
      while (!d.queue.isEmpty() && d.inFlight < maxInFlight) {
        next.add(d.queue.pollFirst());
        d.inFlight++;
      }
      if (d.inFlight == 0 && d.queue.isEmpty()) {
        destinations.remove(to);
      }
      forgetExpiredSuspects(now);
    }
    for (Pending p : failed) {
      p.done().completeExceptionally(new SendException(SendException.Reason.TIMED_OUT, to, "not sending to " + to
          + ": an earlier reply there timed out connecting", null));
    }
    for (Pending p : next) {
      launch(to, p);
    }
  }

  private boolean suspect(HostPort to) {
    Long until = suspectUntil.get(to);
    return until != null && until - nanoClock.getAsLong() > 0;
  }

  private void forgetExpiredSuspects(long now) {
    if (suspectUntil.size() > 1024) {
      suspectUntil.values().removeIf(until -> until - now <= 0);
    }
  }
}
