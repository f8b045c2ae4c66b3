package org.p2pchat.sdk.internal;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * How many workers the hand-off starts: never one more than the sources waiting, counting those started and
 * not yet running; after an executor refuses part of a batch, the count is right again. And when idle rated
 * sources are forgotten: once a second, not at every pass. Hand-cranked executor and clock, no threads.
 */
class FrameHandoffWorkersTest {
  private static final InetSocketAddress A = new InetSocketAddress("127.0.0.1", 9);
  private static final InetSocketAddress B = new InetSocketAddress("127.0.0.2", 9);
  private static final InetSocketAddress C = new InetSocketAddress("127.0.0.3", 9);
  private static final InetSocketAddress D = new InetSocketAddress("127.0.0.4", 9);
  private static final InetSocketAddress E = new InetSocketAddress("127.0.0.5", 9);
  private static final Instant AT = Instant.EPOCH;

  /** Keeps tasks until the test runs them; refuses the calls numbered in {@code refuse} (1-based). */
  private static final class HeldTasks implements Executor {
    final List<Runnable> tasks = new ArrayList<>();
    final Set<Integer> refuse;
    int calls;

    HeldTasks(Integer... refuse) {
      this.refuse = Set.of(refuse);
    }

    @Override
    public void execute(Runnable task) {
      calls++;
      if (refuse.contains(calls)) {
        throw new RejectedExecutionException("refused call " + calls);
      }
      tasks.add(task);
    }

    void runAll() {
      while (!tasks.isEmpty()) {
        List<Runnable> now = new ArrayList<>(tasks);
        tasks.clear();
        now.forEach(Runnable::run);
      }
    }
  }

  private static final class Seen implements FrameHandoff.Target {
    final List<String> dispatched = new ArrayList<>();
    final List<Rejection> rejected = new ArrayList<>();

    @Override
    public void dispatch(byte[] frame, InetSocketAddress remote, Instant receivedAt) {
      dispatched.add(new String(frame, US_ASCII));
    }

    @Override
    public void reject(Rejection rejection) {
      rejected.add(rejection);
    }
  }

  private static byte[] f(String s) {
    return s.getBytes(US_ASCII);
  }

  private static FrameHandoff.Limits limits(int parallelism, double rate) {
    return new FrameHandoff.Limits(parallelism, 100, 100, rate, Set.of());
  }

  @Test
  void aWorkerStartedButNotYetRunningCountsForItsSource() {
    Seen seen = new Seen();
    HeldTasks workers = new HeldTasks();
    FrameHandoff handoff = new FrameHandoff(seen, workers, limits(4, 0), () -> 0L);
    handoff.onFrame(f("a1"), A, AT);
    handoff.onBatchEnd();
    assertEquals(1, workers.tasks.size());
    handoff.onBatchEnd();
    handoff.onBatchEnd();
    assertEquals(1, workers.tasks.size(), "one source waiting, one worker already on its way: no more");
    handoff.onFrame(f("b1"), B, AT);
    handoff.onBatchEnd();
    assertEquals(2, workers.tasks.size(), "a second source: one more worker");
    workers.runAll();
    assertEquals(List.of("a1", "b1"), seen.dispatched.stream().sorted().toList());
    handoff.onBatchEnd();
    assertEquals(0, workers.tasks.size(), "nothing waits: nothing started");
  }

  @Test
  void afterTheExecutorRefusesPartOfABatchTheParallelismStillHolds() {
    Seen seen = new Seen();
    HeldTasks workers = new HeldTasks(2); // the second task of the first batch is refused
    FrameHandoff handoff = new FrameHandoff(seen, workers, limits(2, 0), () -> 0L);
    handoff.onFrame(f("a1"), A, AT);
    handoff.onFrame(f("b1"), B, AT);
    handoff.onBatchEnd();
    assertEquals(2, seen.rejected.size(), "a refused worker abandons what waits, as OVERLOADED");
    assertTrue(seen.rejected.stream().allMatch(r -> r.reason() == RejectReason.OVERLOADED));
    workers.runAll(); // the one accepted task finds nothing
    assertEquals(List.of(), seen.dispatched);

    handoff.onFrame(f("c1"), C, AT);
    handoff.onFrame(f("d1"), D, AT);
    handoff.onFrame(f("e1"), E, AT);
    handoff.onBatchEnd();
    assertEquals(2, workers.tasks.size(), "three sources, parallelism 2: two workers, as before the refusal");
    workers.runAll();
    assertEquals(List.of("c1", "d1", "e1"), seen.dispatched.stream().sorted().toList());
  }

  @Test
  void afterTheExecutorRefusesPartOfABatchASingleSourceGetsASingleWorker() {
    Seen seen = new Seen();
    HeldTasks workers = new HeldTasks(2);
    FrameHandoff handoff = new FrameHandoff(seen, workers, limits(4, 0), () -> 0L);
    handoff.onFrame(f("a1"), A, AT);
    handoff.onFrame(f("b1"), B, AT);
    handoff.onBatchEnd();
    workers.runAll();
    handoff.onFrame(f("c1"), C, AT);
    handoff.onBatchEnd();
    assertEquals(1, workers.tasks.size(), "one source waiting: one worker");
    handoff.onBatchEnd();
    assertEquals(1, workers.tasks.size(), "and still one on the next pass");
    workers.runAll();
    assertEquals(List.of("c1"), seen.dispatched);
  }

  @Test
  void idleRatedSourcesAreSweptOnceASecondNotAtEveryPass() {
    Seen seen = new Seen();
    HeldTasks workers = new HeldTasks();
    long[] now = {5_000_000_000L};
    // 10/s: a bucket of 10 tokens, full again 100 ms after one is taken.
    FrameHandoff handoff = new FrameHandoff(seen, workers, limits(1, 10), () -> now[0]);
    long start = now[0];
    handoff.onFrame(f("a1"), A, AT);
    handoff.onBatchEnd();
    workers.runAll();
    assertEquals(List.of("a1"), seen.dispatched);
    assertEquals(1, handoff.sourcesKnown());

    now[0] = start + TimeUnit.MILLISECONDS.toNanos(500);
    handoff.onBatchEnd();
    assertEquals(1, handoff.sourcesKnown(), "full again, but the first sweep is due 1 s after the start");
    now[0] = start + TimeUnit.SECONDS.toNanos(1);
    handoff.onBatchEnd();
    assertEquals(0, handoff.sourcesKnown(), "swept exactly at 1 s: idle with a full bucket, forgotten");

    handoff.onFrame(f("a2"), A, AT);
    handoff.onBatchEnd();
    workers.runAll();
    assertEquals(1, handoff.sourcesKnown());
    now[0] = start + TimeUnit.MILLISECONDS.toNanos(1_500);
    handoff.onBatchEnd();
    assertEquals(1, handoff.sourcesKnown(), "the next sweep is due a second after the last one");
    now[0] = start + TimeUnit.SECONDS.toNanos(2);
    handoff.onBatchEnd();
    assertEquals(0, handoff.sourcesKnown());
    assertEquals(List.of("a1", "a2"), seen.dispatched);
  }

  @Test
  void aSourceWaitingForItsRateWhenAbandonedIsServedAgainAfterwards() {
    Seen seen = new Seen();
    HeldTasks workers = new HeldTasks();
    long[] now = {5_000_000_000L};
    FrameHandoff handoff = new FrameHandoff(seen, workers, limits(1, 1), () -> now[0]);
    handoff.onFrame(f("a1"), A, AT);
    handoff.onFrame(f("a2"), A, AT);
    handoff.onBatchEnd();
    workers.runAll();
    assertEquals(List.of("a1"), seen.dispatched, "1/s: a2 waits for its token");
    assertEquals(1, handoff.abandon(), "a2 is rejected, not lost");
    assertEquals(RejectReason.OVERLOADED, seen.rejected.get(0).reason());

    handoff.onFrame(f("a3"), A, AT);
    handoff.onBatchEnd();
    workers.runAll();
    now[0] += TimeUnit.SECONDS.toNanos(1);
    handoff.onBatchEnd();
    workers.runAll();
    assertEquals(List.of("a1", "a3"), seen.dispatched, "the source is scheduled afresh, not stuck as paced");
    assertEquals(0, handoff.queued());
  }

  @Test
  void workersAlreadyRunningCountAgainstTheParallelism() {
    Seen seen = new Seen();
    HeldTasks workers = new HeldTasks();
    FrameHandoff handoff = new FrameHandoff(seen, workers, limits(2, 0), () -> 0L);
    handoff.onFrame(f("a1"), A, AT);
    handoff.onBatchEnd();
    assertEquals(1, workers.tasks.size());
    handoff.onFrame(f("b1"), B, AT);
    handoff.onFrame(f("c1"), C, AT);
    handoff.onBatchEnd();
    assertEquals(2, workers.tasks.size(), "parallelism 2 with one worker on its way: one more, not two");
    workers.runAll();
    assertEquals(List.of("a1", "b1", "c1"), seen.dispatched.stream().sorted().toList());
  }
}
