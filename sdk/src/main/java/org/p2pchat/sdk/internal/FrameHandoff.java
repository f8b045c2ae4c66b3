package org.p2pchat.sdk.internal;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.p2pchat.sdk.Listener;
import org.p2pchat.sdk.RejectReason;
import org.p2pchat.sdk.Rejection;

/**
 * The listener → worker hand-off: one queue per source (remote address) and a round-robin scheduler
 * over them, so one source's flood delays only that source.
 *
 * <ul>
 *   <li>Order: a source is run by at most one worker at a time, so its frames are dispatched in the
 *       order the listener handed them over, whatever the number of workers.
 *   <li>Fairness: a worker takes one frame from the source at the head of the round, then puts the
 *       source at the back if it has more. A frame that waits behind others' frames waits for at most
 *       one frame of each other waiting source.
 *   <li>Bounds: with {@code workQueue} frames waiting in all the handoff is not {@link #ready()}, so the
 *       listener stops accepting (nothing accepted is dropped). A source with {@code maxQueuedPerSource}
 *       frames waiting is not {@link #admit admitted} while other sources have frames waiting or while
 *       a rate limit is set: its new connections are closed unread (OVERLOADED), so it cannot fill the
 *       shared queue. Alone and without a rate limit it is admitted up to {@code workQueue}, so a single
 *       busy sender meets lossless backpressure.
 *   <li>Rate: with {@code messagesPerSecondPerSource} above 0, a source's frames are dispatched at that
 *       rate at most (a token bucket holding one second's worth); the excess waits in its queue, within
 *       the per-source bound above. Exempt sources have no rate and no per-source bound.
 * </ul>
 *
 * <p>Waking a thread is most of what a hand-off costs, so a worker keeps running while any source has
 * work, and at most {@code parallelism} run at once. {@link #onFrame}, {@link #onBatchEnd},
 * {@link #admit} and {@link #onRejected} run on the I/O thread; {@link #onBatchEnd} also restarts
 * sources whose rate let them wait (the I/O thread passes there at least every sweep interval).
 */
public final class FrameHandoff implements Listener.FrameSink {
  /** What the workers do with a frame, and where rejections go; the node's dispatcher in production. */
  public interface Target {
    void dispatch(byte[] frame, InetSocketAddress remote, Instant receivedAt);

    void reject(Rejection rejection);
  }

  /**
   * The hand-off's limits; see the class comment.
   *
   * @param parallelism workers that may run at once
   * @param workQueue frames waiting in all, past which the listener stops accepting
   * @param maxQueuedPerSource frames one source may have waiting while others wait or a rate is set
   * @param messagesPerSecondPerSource dispatch rate per source; 0 for none
   * @param exempt sources with neither a per-source bound nor a rate
   */
  public record Limits(int parallelism, int workQueue, int maxQueuedPerSource, double messagesPerSecondPerSource,
      Set<InetAddress> exempt) {
    public Limits {
      if (parallelism < 1 || workQueue < 1 || maxQueuedPerSource < 1) {
        throw new IllegalArgumentException("parallelism, workQueue and maxQueuedPerSource must be at least 1");
      }
      if (!(messagesPerSecondPerSource >= 0) || Double.isInfinite(messagesPerSecondPerSource)) {
        throw new IllegalArgumentException("messagesPerSecondPerSource must be 0 (none) or a positive rate, got "
            + messagesPerSecondPerSource);
      }
      exempt = Set.copyOf(exempt);
    }

    /** No per-source bound below {@code workQueue}, no rate, no exemption. */
    public static Limits of(int parallelism, int workQueue) {
      return new Limits(parallelism, workQueue, workQueue, 0, Set.of());
    }
  }

  private record Frame(byte[] bytes, InetSocketAddress remote, Instant receivedAt) {}

  /** One source's waiting frames and its rate state. Guarded by the handoff's lock. */
  private static final class Source {
    final InetAddress address;
    final ArrayDeque<Frame> frames = new ArrayDeque<>();
    /** In the round, waiting for its rate, or being run: never in two places, never run twice at once. */
    boolean scheduled;
    double tokens;
    long refilledAt;
    long eligibleAt;

    Source(InetAddress address, double tokens, long now) {
      this.address = address;
      this.tokens = tokens;
      this.refilledAt = now;
    }
  }

  private static final long IDLE_SWEEP_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final Target target;
  private final Executor workers;
  private final Limits limits;
  private final LongSupplier nanoTime;
  private final double burst;
  private final Object lock = new Object();
  private final Map<InetAddress, Source> sources = new HashMap<>();
  /** Sources with frames, in round order. */
  private final ArrayDeque<Source> round = new ArrayDeque<>();
  /** Sources with frames that wait for their rate. */
  private final List<Source> paced = new ArrayList<>();
  /** Frames waiting in all; written under the lock, read without it by {@link #ready()}. */
  private volatile int queued;
  private int running;
  /** Of those, started and not yet at their first turn: each will take a source from the round. */
  private int starting;
  private long nextIdleSweep;

  public FrameHandoff(Target target, Executor workers, Limits limits, LongSupplier nanoTime) {
    this.target = target;
    this.workers = workers;
    this.limits = limits;
    this.nanoTime = nanoTime;
    this.burst = Math.max(1, limits.messagesPerSecondPerSource());
    this.nextIdleSweep = nanoTime.getAsLong() + IDLE_SWEEP_NANOS;
  }

  /** One worker at most, no per-source bound below {@code workQueue}, no rate. */
  public FrameHandoff(Target target, Executor workers, int workQueue) {
    this(target, workers, Limits.of(1, workQueue), System::nanoTime);
  }

  private boolean limited(InetAddress address) {
    return !limits.exempt().contains(address);
  }

  private boolean rated(InetAddress address) {
    return limits.messagesPerSecondPerSource() > 0 && limited(address);
  }

  @Override
  public void onFrame(byte[] frame, InetSocketAddress remote, Instant receivedAt) {
    InetAddress address = remote == null ? null : remote.getAddress();
    synchronized (lock) {
      Source source = sources.get(address);
      if (source == null) {
        source = new Source(address, burst, nanoTime.getAsLong());
        sources.put(address, source);
      }
      source.frames.addLast(new Frame(frame, remote, receivedAt));
      queued++;
      if (!source.scheduled) {
        source.scheduled = true;
        round.addLast(source);
      }
    }
  }

  /** Starts workers for the sources that have work (and those whose rate lets them go on). */
  @Override
  public void onBatchEnd() {
    int start;
    synchronized (lock) {
      long now = nanoTime.getAsLong();
      if (!paced.isEmpty()) {
        for (Iterator<Source> it = paced.iterator(); it.hasNext(); ) {
          Source source = it.next();
          if (now - source.eligibleAt >= 0) {
            it.remove();
            round.addLast(source);
          }
        }
      }
      if (now - nextIdleSweep >= 0) {
        sweepIdle(now);
        nextIdleSweep = now + IDLE_SWEEP_NANOS;
      }
      start = Math.min(round.size() - starting, limits.parallelism() - running);
      if (start > 0) {
        running += start;
        starting += start;
      }
    }
    for (int i = 0; i < start; i++) {
      try {
        workers.execute(this::drain);
      } catch (RejectedExecutionException e) {
        synchronized (lock) {
          running -= start - i;
          starting -= start - i;
        }
        abandon();
        return;
      }
    }
  }

  /** Runs frames, one per turn per source, while any source has frames it may run. */
  private void drain() {
    synchronized (lock) {
      starting--;
    }
    while (true) {
      Source source;
      Frame frame;
      synchronized (lock) {
        source = next(nanoTime.getAsLong());
        if (source == null) {
          running--;
          return;
        }
        frame = source.frames.pollFirst();
        if (frame == null) { // abandoned while it waited in the round
          source.scheduled = false;
          continue;
        }
        queued--;
      }
      try {
        target.dispatch(frame.bytes(), frame.remote(), frame.receivedAt());
      } finally {
        synchronized (lock) {
          if (source.frames.isEmpty()) {
            source.scheduled = false;
            if (!rated(source.address)) {
              sources.remove(source.address);
            }
          } else {
            round.addLast(source);
          }
        }
      }
    }
  }

  /** The next source to run one frame of, taking one token of its rate; null if none may run now. */
  private Source next(long now) {
    Source source;
    while ((source = round.pollFirst()) != null) {
      if (!rated(source.address)) {
        return source;
      }
      refill(source, now);
      if (source.tokens >= 1) {
        source.tokens -= 1;
        return source;
      }
      double rate = limits.messagesPerSecondPerSource();
      source.eligibleAt = now + (long) Math.ceil((1 - source.tokens) / rate * 1e9);
      paced.add(source);
    }
    return null;
  }

  private void refill(Source source, long now) {
    long elapsed = now - source.refilledAt;
    if (elapsed > 0) {
      source.tokens = Math.min(burst, source.tokens + elapsed * limits.messagesPerSecondPerSource() / 1e9);
      source.refilledAt = now;
    }
  }

  /** Forgets rated sources that are idle with a full bucket (forgetting them changes nothing). */
  private void sweepIdle(long now) {
    for (Iterator<Source> it = sources.values().iterator(); it.hasNext(); ) {
      Source source = it.next();
      if (!source.scheduled) {
        refill(source, now);
        if (source.tokens >= burst) {
          it.remove();
        }
      }
    }
  }

  /** False while {@code workQueue} frames or more wait: the listener then stops accepting. */
  @Override
  public boolean ready() {
    return queued < limits.workQueue();
  }

  /**
   * False when {@code address} has its share of frames waiting and others wait too (or a rate is set):
   * the listener then closes its new connection unread.
   */
  @Override
  public boolean admit(InetAddress address) {
    if (!limited(address)) {
      return true;
    }
    synchronized (lock) {
      Source source = sources.get(address);
      int mine = source == null ? 0 : source.frames.size();
      if (mine < limits.maxQueuedPerSource()) {
        return true;
      }
      return !(rated(address) || queued > mine);
    }
  }

  @Override
  public void onRejected(Rejection rejection) {
    target.reject(rejection);
  }

  /** Frames handed over and not yet dispatched. */
  public int queued() {
    return queued;
  }

  /** Frames of {@code address} handed over and not yet dispatched. */
  public int queued(InetAddress address) {
    synchronized (lock) {
      Source source = sources.get(address);
      return source == null ? 0 : source.frames.size();
    }
  }

  /** Sources the handoff holds state for: those with frames waiting, and rated ones not yet refilled. */
  public int sourcesKnown() {
    synchronized (lock) {
      return sources.size();
    }
  }

  /**
   * The node is stopping and nothing will run the frames still waiting (the workers are shut down):
   * each is rejected as OVERLOADED, so none is lost in silence. Returns how many.
   */
  public int abandon() {
    List<Frame> left = new ArrayList<>();
    synchronized (lock) {
      for (Source source : sources.values()) {
        left.addAll(source.frames);
        source.frames.clear();
      }
      // Sources in the round or waiting for their rate are unscheduled; one being run unschedules itself.
      round.forEach(source -> source.scheduled = false);
      paced.forEach(source -> source.scheduled = false);
      round.clear();
      paced.clear();
      queued = 0;
    }
    for (Frame f : left) {
      target.reject(new Rejection(RejectReason.OVERLOADED, f.remote(), null,
          "node stopping; message not handled", null));
    }
    return left.size();
  }
}
