package org.p2pchat.sdk.internal;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.p2pchat.sdk.RejectReason;
import org.p2pchat.sdk.Rejection;

/**
 * The listener → worker hand-off without sockets or threads: a hand-cranked executor and a hand-set clock.
 * Work-queue bound, per-source order and round-robin fairness, the per-source share, the rate, stopping.
 */
class FrameHandoffBoundTest {
  private static final InetSocketAddress A = new InetSocketAddress("127.0.0.1", 9);
  private static final InetSocketAddress A2 = new InetSocketAddress("127.0.0.1", 10); // same source, other port
  private static final InetSocketAddress B = new InetSocketAddress("127.0.0.2", 9);
  private static final InetSocketAddress C = new InetSocketAddress("127.0.0.3", 9);
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

  /** A hand-set clock, in nanoseconds. */
  private static final class Clock {
    long now = 1_000_000_000L;

    void advanceMillis(long ms) {
      now += TimeUnit.MILLISECONDS.toNanos(ms);
    }
  }

  private static final class Seen implements FrameHandoff.Target {
    final List<String> dispatched = new ArrayList<>();
    final List<Rejection> rejected = new ArrayList<>();
    Runnable duringDispatch = () -> { };

    @Override
    public void dispatch(byte[] frame, InetSocketAddress remote, Instant receivedAt) {
      dispatched.add(new String(frame, US_ASCII));
      duringDispatch.run();
    }

    @Override
    public void reject(Rejection rejection) {
      rejected.add(rejection);
    }
  }

  private static byte[] f(String s) {
    return s.getBytes(US_ASCII);
  }

  private static FrameHandoff.Limits limits(int parallelism, int workQueue, int perSource, double rate,
      InetAddress... exempt) {
    return new FrameHandoff.Limits(parallelism, workQueue, perSource, rate, Set.of(exempt));
  }

  @Test
  void atWorkQueueFramesTheHandoffIsNotReadyYetNothingIsDropped() {
    Seen seen = new Seen();
    HeldTasks workers = new HeldTasks();
    FrameHandoff handoff = new FrameHandoff(seen, workers, 3);
    handoff.onFrame(f("a"), A, AT);
    handoff.onFrame(f("b"), A, AT);
    assertTrue(handoff.ready(), "two of three waiting: still ready");
    handoff.onFrame(f("c"), A, AT);
    assertFalse(handoff.ready(), "three waiting: the listener must stop accepting");
    // A frame of a connection accepted before is still queued, never dropped.
    handoff.onFrame(f("d"), A, AT);
    assertEquals(4, handoff.queued());
    assertEquals(4, handoff.queued(A.getAddress()));
    assertTrue(seen.rejected.isEmpty(), "rejected: " + seen.rejected);
    assertEquals(0, workers.tasks.size(), "nothing handed over before the pass ends");
    handoff.onBatchEnd();
    handoff.onBatchEnd();
    assertEquals(1, workers.tasks.size(), "one worker at most: one task, however many passes");

    workers.runAll();
    assertEquals(List.of("a", "b", "c", "d"), seen.dispatched);
    assertEquals(0, handoff.queued(), "dispatching frees the queue");
    assertEquals(0, handoff.sourcesKnown(), "no rate: a source with nothing waiting is forgotten at once");
    assertEquals(0, handoff.queued(A.getAddress()));
    assertTrue(handoff.ready(), "room again");
    handoff.onBatchEnd();
    assertEquals(0, workers.tasks.size(), "nothing waiting: no task");
  }

  @Test
  void oneTaskKeepsRunningWhileWorkArrivesAndAnotherStartsOnlyAfterItEnded() {
    Seen seen = new Seen();
    HeldTasks workers = new HeldTasks();
    FrameHandoff handoff = new FrameHandoff(seen, workers, limits(1, 100, 100, 0), () -> 0L);
    handoff.onFrame(f("1"), A, AT);
    handoff.onBatchEnd();
    // While the worker runs "1", the listener hands over "2": the same task runs it, no new wake-up.
    seen.duringDispatch = () -> {
      if (seen.dispatched.size() == 1) {
        handoff.onFrame(f("2"), A, AT);
        handoff.onBatchEnd();
      }
    };
    Runnable task = workers.tasks.remove(0);
    task.run();
    assertEquals(List.of("1", "2"), seen.dispatched);
    assertEquals(0, workers.tasks.size(), "the running task took the new frame; none was started");
    handoff.onFrame(f("3"), A, AT);
    handoff.onBatchEnd();
    assertEquals(1, workers.tasks.size(), "that task ended: the next frame starts one");
  }

  @Test
  void sourcesTakeTurnsOneFrameEach() {
    Seen seen = new Seen();
    HeldTasks workers = new HeldTasks();
    FrameHandoff handoff = new FrameHandoff(seen, workers, limits(1, 100, 100, 0), () -> 0L);
    for (int i = 1; i <= 4; i++) {
      handoff.onFrame(f("a" + i), i % 2 == 0 ? A2 : A, AT); // one source, whatever the remote port
    }
    handoff.onFrame(f("b1"), B, AT);
    handoff.onFrame(f("c1"), C, AT);
    handoff.onFrame(f("b2"), B, AT);
    handoff.onBatchEnd();
    workers.runAll();
    assertEquals(List.of("a1", "b1", "c1", "a2", "b2", "a3", "a4"), seen.dispatched,
        "round-robin over sources, each in its own order");
  }

  @Test
  void aSourceRunsOnOneWorkerAtATimeWhileOthersRunInParallel() {
    Seen seen = new Seen();
    HeldTasks workers = new HeldTasks();
    FrameHandoff handoff = new FrameHandoff(seen, workers, limits(4, 100, 100, 0), () -> 0L);
    handoff.onFrame(f("a1"), A, AT);
    handoff.onFrame(f("a2"), A, AT);
    handoff.onFrame(f("a3"), A, AT);
    handoff.onBatchEnd();
    assertEquals(1, workers.tasks.size(), "one source: one worker, so its frames cannot race");
    handoff.onFrame(f("b1"), B, AT);
    handoff.onFrame(f("c1"), C, AT);
    handoff.onBatchEnd();
    assertEquals(3, workers.tasks.size(), "two more sources: two more workers");
    handoff.onBatchEnd();
    assertEquals(3, workers.tasks.size(), "no more than there are sources to run");
    // The second task runs first: it must not take A's next frame while A's first is "running" elsewhere.
    Runnable first = workers.tasks.remove(0);
    workers.runAll();
    first.run();
    List<String> ofA = seen.dispatched.stream().filter(s -> s.startsWith("a")).toList();
    assertEquals(List.of("a1", "a2", "a3"), ofA);
    assertEquals(5, seen.dispatched.size());
  }

  @Test
  void parallelismCapsTheWorkersStarted() {
    Seen seen = new Seen();
    HeldTasks workers = new HeldTasks();
    FrameHandoff handoff = new FrameHandoff(seen, workers, limits(2, 100, 100, 0), () -> 0L);
    handoff.onFrame(f("a"), A, AT);
    handoff.onFrame(f("b"), B, AT);
    handoff.onFrame(f("c"), C, AT);
    handoff.onBatchEnd();
    assertEquals(2, workers.tasks.size());
    workers.runAll();
    assertEquals(3, seen.dispatched.size(), "two workers ran all three sources");
  }

  @Test
  void aSourceOverItsShareIsNotAdmittedWhileOthersWaitButAloneItMeetsOnlyTheWholeBound() {
    Seen seen = new Seen();
    HeldTasks workers = new HeldTasks();
    FrameHandoff handoff = new FrameHandoff(seen, workers, limits(1, 10, 2, 0), () -> 0L);
    assertTrue(handoff.admit(A.getAddress()));
    handoff.onFrame(f("a1"), A, AT);
    assertTrue(handoff.admit(A.getAddress()), "one of two");
    handoff.onFrame(f("a2"), A, AT);
    assertTrue(handoff.admit(A.getAddress()), "at its share but alone: backpressure, not shedding");
    handoff.onFrame(f("a3"), A, AT);
    handoff.onFrame(f("b1"), B, AT);
    assertFalse(handoff.admit(A.getAddress()), "over its share while another source waits");
    assertTrue(handoff.admit(B.getAddress()), "the other source is under its share");
    assertTrue(handoff.admit(C.getAddress()), "a new source has nothing waiting");
    handoff.onBatchEnd();
    workers.runAll();
    assertTrue(handoff.admit(A.getAddress()), "drained");
    assertEquals(4, seen.dispatched.size());
  }

  @Test
  void exemptSourcesHaveNoShareAndNoRate() {
    Seen seen = new Seen();
    HeldTasks workers = new HeldTasks();
    Clock clock = new Clock();
    FrameHandoff handoff = new FrameHandoff(seen, workers, limits(1, 10, 1, 1, A.getAddress()), () -> clock.now);
    handoff.onFrame(f("a1"), A, AT);
    handoff.onFrame(f("a2"), A, AT);
    handoff.onFrame(f("a3"), A, AT);
    handoff.onFrame(f("b1"), B, AT);
    assertTrue(handoff.admit(A.getAddress()), "exempt");
    assertFalse(handoff.admit(B.getAddress()), "B has its share (1) and a rate is set");
    handoff.onBatchEnd();
    workers.runAll();
    assertEquals(List.of("a1", "b1", "a2", "a3"), seen.dispatched, "A is not held to the rate of 1/s");
  }

  @Test
  void aRatedSourceWaitsForItsTokensAndOthersAreNotHeldUp() {
    Seen seen = new Seen();
    HeldTasks workers = new HeldTasks();
    Clock clock = new Clock();
    FrameHandoff handoff = new FrameHandoff(seen, workers, limits(1, 100, 50, 2), () -> clock.now);
    for (int i = 1; i <= 5; i++) {
      handoff.onFrame(f("a" + i), A, AT);
    }
    handoff.onBatchEnd();
    workers.runAll();
    assertEquals(List.of("a1", "a2"), seen.dispatched, "a burst of one second's worth (2), then it waits");
    assertEquals(3, handoff.queued(A.getAddress()), "the rest waits, nothing is dropped");
    assertFalse(handoff.ready() && handoff.queued() != 3);

    handoff.onFrame(f("b1"), B, AT);
    handoff.onBatchEnd();
    workers.runAll();
    assertEquals(List.of("a1", "a2", "b1"), seen.dispatched, "another source runs while A waits");

    clock.advanceMillis(499);
    handoff.onBatchEnd();
    assertEquals(0, workers.tasks.size(), "not yet: one token takes 500 ms at 2/s");
    clock.advanceMillis(1);
    handoff.onBatchEnd();
    workers.runAll();
    assertEquals(List.of("a1", "a2", "b1", "a3"), seen.dispatched, "one token, one frame");
    clock.advanceMillis(10_000);
    handoff.onBatchEnd();
    workers.runAll();
    assertEquals(List.of("a1", "a2", "b1", "a3", "a4", "a5"), seen.dispatched, "bucket refilled (capped at 2)");
    assertEquals(0, handoff.queued());
    assertTrue(seen.rejected.isEmpty());
  }

  @Test
  void aRatedSourceOverItsShareIsNotAdmittedEvenAlone() {
    Seen seen = new Seen();
    FrameHandoff handoff = new FrameHandoff(seen, new HeldTasks(), limits(1, 100, 2, 5), () -> 0L);
    handoff.onFrame(f("a1"), A, AT);
    assertTrue(handoff.admit(A.getAddress()));
    handoff.onFrame(f("a2"), A, AT);
    assertFalse(handoff.admit(A.getAddress()), "a rate is set: its share is a hard bound");
  }

  @Test
  void idleRatedSourcesAreForgottenOnlyOnceTheirBucketIsFull() {
    Seen seen = new Seen();
    HeldTasks workers = new HeldTasks();
    Clock clock = new Clock();
    // 0.5/s: a bucket of one token, refilled in 2 s; the idle sweep runs every second.
    FrameHandoff handoff = new FrameHandoff(seen, workers, limits(1, 100, 50, 0.5), () -> clock.now);
    handoff.onFrame(f("a1"), A, AT);
    handoff.onFrame(f("a2"), A, AT);
    handoff.onBatchEnd();
    workers.runAll();
    assertEquals(List.of("a1"), seen.dispatched, "the bucket of 1 is empty");
    clock.advanceMillis(2_000);
    handoff.onBatchEnd();
    workers.runAll();
    assertEquals(List.of("a1", "a2"), seen.dispatched);
    clock.advanceMillis(1_000);
    handoff.onBatchEnd(); // idle sweep with A's bucket half full: forgetting A would hand it a fresh token
    assertEquals(1, handoff.sourcesKnown(), "A is idle but remembered: its bucket is not full");
    handoff.onFrame(f("a3"), A, AT);
    handoff.onBatchEnd();
    workers.runAll();
    assertEquals(List.of("a1", "a2"), seen.dispatched, "half a token is not enough");
    clock.advanceMillis(1_000);
    handoff.onBatchEnd();
    workers.runAll();
    assertEquals(List.of("a1", "a2", "a3"), seen.dispatched);
    clock.advanceMillis(2_000);
    handoff.onBatchEnd(); // idle and full: forgotten; a new frame starts with a full bucket, as it would anyway
    assertEquals(0, handoff.sourcesKnown(), "idle with a full bucket: forgotten");
    assertEquals(0, handoff.queued(A.getAddress()));
    handoff.onFrame(f("a4"), A, AT);
    handoff.onBatchEnd();
    workers.runAll();
    assertEquals(List.of("a1", "a2", "a3", "a4"), seen.dispatched);
  }

  @Test
  void anExecutorThatRefusesWorkMeansOverloadedNotALostFrame() {
    Seen seen = new Seen();
    Executor refusing = task -> {
      throw new RejectedExecutionException("shut down");
    };
    FrameHandoff handoff = new FrameHandoff(seen, refusing, 5);
    handoff.onFrame(f("x"), A, AT);
    handoff.onFrame(f("y"), B, AT);
    handoff.onBatchEnd();
    assertEquals(2, seen.rejected.size());
    assertEquals(RejectReason.OVERLOADED, seen.rejected.get(0).reason());
    assertEquals(A, seen.rejected.get(0).remote());
    assertEquals(0, handoff.queued(), "a refused frame is not counted as waiting");
    assertTrue(handoff.ready());
  }

  @Test
  void abandonRejectsWhatNoWorkerWillRunAndLeavesTheHandoffUsable() {
    Seen seen = new Seen();
    HeldTasks workers = new HeldTasks();
    Clock clock = new Clock();
    FrameHandoff handoff = new FrameHandoff(seen, workers, limits(1, 100, 50, 1), () -> clock.now);
    handoff.onFrame(f("a1"), A, AT);
    handoff.onFrame(f("a2"), A, AT);
    handoff.onFrame(f("b1"), B, AT);
    handoff.onBatchEnd();
    assertEquals(3, handoff.abandon());
    assertEquals(3, seen.rejected.size());
    assertTrue(seen.rejected.stream().allMatch(r -> r.reason() == RejectReason.OVERLOADED));
    assertEquals(0, handoff.queued());
    workers.runAll(); // the task started before finds nothing
    assertEquals(List.of(), seen.dispatched);
    handoff.onFrame(f("b2"), B, AT);
    handoff.onBatchEnd();
    workers.runAll();
    assertEquals(List.of("b2"), seen.dispatched);
  }

  @Test
  void rejectionsFromTheListenerPassStraightThrough() {
    Seen seen = new Seen();
    FrameHandoff handoff = new FrameHandoff(seen, new HeldTasks(), 1);
    Rejection r = new Rejection(RejectReason.EMPTY, A, null, "empty", null);
    handoff.onRejected(r);
    assertEquals(List.of(r), seen.rejected);
  }

  @Test
  void aFrameWithoutARemoteAddressIsStillRun() {
    Seen seen = new Seen();
    HeldTasks workers = new HeldTasks();
    FrameHandoff handoff = new FrameHandoff(seen, workers, 5);
    handoff.onFrame(f("x"), null, AT);
    handoff.onBatchEnd();
    workers.runAll();
    assertEquals(List.of("x"), seen.dispatched);
  }

  @Test
  void limitsMustBeSane() {
    assertThrows(IllegalArgumentException.class, () -> limits(0, 1, 1, 0));
    assertThrows(IllegalArgumentException.class, () -> limits(1, 0, 1, 0));
    assertThrows(IllegalArgumentException.class, () -> limits(1, 1, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> limits(1, 1, 1, -1));
    assertThrows(IllegalArgumentException.class, () -> limits(1, 1, 1, Double.NaN));
    assertThrows(IllegalArgumentException.class, () -> limits(1, 1, 1, Double.POSITIVE_INFINITY));
    FrameHandoff.Limits ok = limits(1, 1, 1, 0.5);
    assertEquals(0.5, ok.messagesPerSecondPerSource());
    assertEquals(FrameHandoff.Limits.of(3, 7), limits(3, 7, 7, 0));
  }
}
