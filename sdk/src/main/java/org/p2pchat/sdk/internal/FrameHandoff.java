package org.p2pchat.sdk.internal;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.p2pchat.sdk.Listener;
import org.p2pchat.sdk.RejectReason;
import org.p2pchat.sdk.Rejection;

/**
 * The listener → worker hand-off: frames of one pass over the ready connections go to the workers as
 * one task (at most {@code maxBatch} frames), because waking a thread is most of what a hand-off costs.
 * With {@code workQueue} frames waiting the handoff is not {@link #ready()}, so the listener stops
 * accepting; frames of connections already accepted are still queued, never dropped (at most the
 * listener's open connections more). Frames of one task are dispatched in arrival order.
 *
 * <p>{@link #onFrame}, {@link #onBatchEnd} and {@link #onRejected} run on the I/O thread only.
 */
public final class FrameHandoff implements Listener.FrameSink {
  /** What the workers do with a frame, and where rejections go; the node's dispatcher in production. */
  public interface Target {
    void dispatch(byte[] frame, InetSocketAddress remote, Instant receivedAt);

    void reject(Rejection rejection);
  }

  private record Frame(byte[] bytes, InetSocketAddress remote, Instant receivedAt) {}

  private final Target target;
  private final Executor workers;
  private final int workQueue;
  private final int maxBatch;
  private final AtomicInteger queued = new AtomicInteger();
  /** Frames of the current pass; touched by the I/O thread only. */
  private List<Frame> batch = new ArrayList<>();

  public FrameHandoff(Target target, Executor workers, int workQueue, int maxBatch) {
    if (workQueue < 1 || maxBatch < 1) {
      throw new IllegalArgumentException("workQueue and maxBatch must be at least 1");
    }
    this.target = target;
    this.workers = workers;
    this.workQueue = workQueue;
    this.maxBatch = maxBatch;
  }

  @Override
  public void onFrame(byte[] frame, InetSocketAddress remote, Instant receivedAt) {
    batch.add(new Frame(frame, remote, receivedAt));
    if (batch.size() == maxBatch) {
      onBatchEnd();
    }
  }

  @Override
  public void onBatchEnd() {
    if (batch.isEmpty()) {
      return;
    }
    List<Frame> frames = batch;
    batch = new ArrayList<>();
    queued.addAndGet(frames.size());
    try {
      workers.execute(() -> {
        for (Frame f : frames) {
          queued.decrementAndGet();
          target.dispatch(f.bytes(), f.remote(), f.receivedAt());
        }
      });
    } catch (RejectedExecutionException e) {
      queued.addAndGet(-frames.size());
      overloaded(frames);
    }
  }

  /** False while {@code workQueue} frames or more wait: the listener then stops accepting. */
  @Override
  public boolean ready() {
    return queued.get() < workQueue;
  }

  @Override
  public void onRejected(Rejection rejection) {
    target.reject(rejection);
  }

  /** Frames handed over and not yet dispatched. */
  public int queued() {
    return queued.get();
  }

  /** Only when the workers are shut down (the node is stopping): nothing can run the frames any more. */
  private void overloaded(List<Frame> frames) {
    for (Frame f : frames) {
      target.reject(new Rejection(RejectReason.OVERLOADED, f.remote(), null,
          "node stopping; message not handled", null));
    }
  }
}
