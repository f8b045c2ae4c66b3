package org.p2pchat.sdk.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;
import org.p2pchat.sdk.RejectReason;
import org.p2pchat.sdk.Rejection;

/** The work-queue bound and batching of the listener → worker hand-off, with a hand-cranked executor. */
class FrameHandoffBoundTest {
  private static final InetSocketAddress FROM = new InetSocketAddress("127.0.0.1", 9);
  private static final Instant AT = Instant.EPOCH;

  /** Keeps tasks until the test runs them. */
  private static final class HeldTasks implements Executor {
    final List<Runnable> tasks = new ArrayList<>();

    @Override
    public void execute(Runnable task) {
      tasks.add(task);
    }

    void runAll() {
      List<Runnable> now = new ArrayList<>(tasks);
      tasks.clear();
      now.forEach(Runnable::run);
    }
  }

  private static final class Seen implements FrameHandoff.Target {
    final List<String> dispatched = new ArrayList<>();
    final List<Rejection> rejected = new ArrayList<>();

    @Override
    public void dispatch(byte[] frame, InetSocketAddress remote, Instant receivedAt) {
      dispatched.add(new String(frame, java.nio.charset.StandardCharsets.US_ASCII));
    }

    @Override
    public void reject(Rejection rejection) {
      rejected.add(rejection);
    }
  }

  private static byte[] f(String s) {
    return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  }

  @Test
  void atWorkQueueFramesTheHandoffIsNotReadyYetNothingIsDropped() {
    Seen seen = new Seen();
    HeldTasks workers = new HeldTasks();
    FrameHandoff handoff = new FrameHandoff(seen, workers, 3, 1);
    handoff.onFrame(f("a"), FROM, AT);
    handoff.onFrame(f("b"), FROM, AT);
    assertTrue(handoff.ready(), "two of three waiting: still ready");
    handoff.onFrame(f("c"), FROM, AT);
    assertFalse(handoff.ready(), "three waiting: the listener must stop accepting");
    // A frame of a connection accepted before is still queued, never dropped.
    handoff.onFrame(f("d"), FROM, AT);
    assertEquals(4, handoff.queued());
    assertEquals(4, workers.tasks.size(), "maxBatch 1: one task per frame");
    assertTrue(seen.rejected.isEmpty(), "rejected: " + seen.rejected);

    workers.runAll();
    assertEquals(List.of("a", "b", "c", "d"), seen.dispatched);
    assertEquals(0, handoff.queued(), "dispatching frees the queue");
    assertTrue(handoff.ready(), "room again");
  }

  @Test
  void framesOfOnePassGoAsOneTaskInArrivalOrder() {
    Seen seen = new Seen();
    HeldTasks workers = new HeldTasks();
    FrameHandoff handoff = new FrameHandoff(seen, workers, 100, 10);
    handoff.onFrame(f("1"), FROM, AT);
    handoff.onFrame(f("2"), FROM, AT);
    handoff.onFrame(f("3"), FROM, AT);
    assertEquals(0, workers.tasks.size(), "nothing handed over before the pass ends");
    handoff.onBatchEnd();
    handoff.onBatchEnd();
    assertEquals(1, workers.tasks.size(), "one task per pass; an empty pass hands over nothing");
    assertEquals(3, handoff.queued());
    workers.runAll();
    assertEquals(List.of("1", "2", "3"), seen.dispatched);
    assertEquals(0, handoff.queued());
  }

  @Test
  void aFullBatchIsHandedOverWithoutWaitingForThePassToEnd() {
    Seen seen = new Seen();
    HeldTasks workers = new HeldTasks();
    FrameHandoff handoff = new FrameHandoff(seen, workers, 100, 2);
    handoff.onFrame(f("1"), FROM, AT);
    assertEquals(0, workers.tasks.size());
    handoff.onFrame(f("2"), FROM, AT);
    assertEquals(1, workers.tasks.size(), "a batch of maxBatch frames goes at once");
    handoff.onFrame(f("3"), FROM, AT);
    handoff.onBatchEnd();
    assertEquals(2, workers.tasks.size());
    workers.runAll();
    assertEquals(List.of("1", "2", "3"), seen.dispatched);
  }

  @Test
  void aBatchPastTheBoundIsStillHandedOverWhole() {
    Seen seen = new Seen();
    HeldTasks workers = new HeldTasks();
    FrameHandoff handoff = new FrameHandoff(seen, workers, 2, 10);
    handoff.onFrame(f("1"), FROM, AT);
    handoff.onFrame(f("2"), FROM, AT);
    handoff.onFrame(f("3"), FROM, AT);
    handoff.onBatchEnd();
    assertEquals(1, workers.tasks.size());
    assertEquals(3, handoff.queued());
    assertFalse(handoff.ready());
    assertTrue(seen.rejected.isEmpty());
    workers.runAll();
    assertEquals(List.of("1", "2", "3"), seen.dispatched);
  }

  @Test
  void anExecutorThatRefusesWorkMeansOverloadedNotALostFrame() {
    Seen seen = new Seen();
    Executor refusing = task -> {
      throw new RejectedExecutionException("shut down");
    };
    FrameHandoff handoff = new FrameHandoff(seen, refusing, 5, 1);
    handoff.onFrame(f("x"), FROM, AT);
    assertEquals(1, seen.rejected.size());
    assertEquals(RejectReason.OVERLOADED, seen.rejected.get(0).reason());
    assertEquals(0, handoff.queued(), "a refused frame is not counted as waiting");
  }

  @Test
  void rejectionsFromTheListenerPassStraightThrough() {
    Seen seen = new Seen();
    FrameHandoff handoff = new FrameHandoff(seen, new HeldTasks(), 1, 1);
    Rejection r = new Rejection(RejectReason.EMPTY, FROM, null, "empty", null);
    handoff.onRejected(r);
    assertEquals(List.of(r), seen.rejected);
  }

  @Test
  void boundsMustBePositive() {
    Seen seen = new Seen();
    assertThrows(IllegalArgumentException.class, () -> new FrameHandoff(seen, new HeldTasks(), 0, 1));
    assertThrows(IllegalArgumentException.class, () -> new FrameHandoff(seen, new HeldTasks(), 1, 0));
    new FrameHandoff(seen, new HeldTasks(), 1, 1);
  }
}
