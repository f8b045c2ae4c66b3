package org.p2pchat.server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.p2pchat.protocol.HostPort;
import org.p2pchat.sdk.SendException;

/** The per-destination bounds, with a fake sender whose sends finish when the test says. */
class ReplyOutboxTest {
  private final AtomicLong now = new AtomicLong();
  private final List<Send> started = new ArrayList<>();
  private final HostPort tarpit = new HostPort("127.0.0.1", 1);
  private final HostPort live = new HostPort("127.0.0.1", 2);

  private record Send(HostPort to, Object message, CompletableFuture<Void> done) {}

  private final ReplyOutbox outbox = new ReplyOutbox((to, message) -> {
    CompletableFuture<Void> done = new CompletableFuture<>();
    started.add(new Send(to, message, done));
    return done;
  }, 2, 3, 10_000_000_000L, now::get);

  private long startedTo(HostPort to) {
    return started.stream().filter(s -> s.to().equals(to)).count();
  }

  private static SendException reason(CompletableFuture<Void> f) {
    assertTrue(f.isCompletedExceptionally(), "failed");
    try {
      f.join();
      throw new AssertionError("not failed");
    } catch (CompletionException e) {
      return (SendException) e.getCause();
    }
  }

  @Test
  void aSlowDestinationQueuesOnlyItsOwnReplies() {
    List<CompletableFuture<Void>> toTarpit = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      toTarpit.add(outbox.sendAsync(tarpit, "t" + i));
    }
    assertEquals(2, startedTo(tarpit), "at most 2 in flight to one destination");
    CompletableFuture<Void> overflow = outbox.sendAsync(tarpit, "t5");
    assertEquals(SendException.Reason.IO, reason(overflow).reason(), "beyond 2 in flight and 3 queued: fails at once");
    CompletableFuture<Void> other = outbox.sendAsync(live, "hello");
    assertEquals(1, startedTo(live), "another destination starts at once");
    started.get(started.size() - 1).done().complete(null);
    assertTrue(other.isDone() && !other.isCompletedExceptionally());
    assertEquals(1, outbox.busy(), "the finished destination is forgotten");
    started.get(0).done().complete(null);
    assertTrue(toTarpit.get(0).isDone() && !toTarpit.get(0).isCompletedExceptionally());
    assertEquals(3, startedTo(tarpit), "a queued reply starts when one finishes");
    assertEquals("t2", started.get(started.size() - 1).message(), "in order");
  }

  @Test
  void aConnectTimeoutFailsTheQueueAndMakesTheDestinationSuspect() {
    List<CompletableFuture<Void>> toTarpit = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      toTarpit.add(outbox.sendAsync(tarpit, "t" + i));
    }
    started.get(0).done().completeExceptionally(new SendException(SendException.Reason.TIMED_OUT, tarpit,
        "timed out", null));
    assertEquals(SendException.Reason.TIMED_OUT, reason(toTarpit.get(0)).reason());
    for (int i = 2; i < 5; i++) {
      assertEquals(SendException.Reason.TIMED_OUT, reason(toTarpit.get(i)).reason(), "queued " + i + " failed at once");
    }
    assertFalse(toTarpit.get(1).isDone(), "the other send in flight runs its course");
    assertEquals(2, startedTo(tarpit), "nothing more was tried");
    CompletableFuture<Void> whileSuspect = outbox.sendAsync(tarpit, "s");
    assertTrue(whileSuspect.isCompletedExceptionally(), "suspect: one in flight at most, nothing queued");
    started.get(1).done().completeExceptionally(new SendException(SendException.Reason.TIMED_OUT, tarpit,
        "timed out", null));
    CompletableFuture<Void> probe = outbox.sendAsync(tarpit, "probe");
    assertEquals(3, startedTo(tarpit), "suspect: one send at a time is still tried");
    assertTrue(outbox.sendAsync(tarpit, "behind").isCompletedExceptionally(), "nothing waits behind the probe");
    started.get(2).done().complete(null);
    assertTrue(probe.isDone() && !probe.isCompletedExceptionally());
    outbox.sendAsync(tarpit, "a");
    outbox.sendAsync(tarpit, "b");
    CompletableFuture<Void> queued = outbox.sendAsync(tarpit, "c");
    assertEquals(5, startedTo(tarpit), "a delivered reply clears the suspicion: 2 in flight again");
    assertFalse(queued.isDone(), "and replies queue again");
  }

  @Test
  void suspicionEndsWithItsTime() {
    outbox.sendAsync(tarpit, "t0").exceptionally(e -> null);
    started.get(0).done().completeExceptionally(new SendException(SendException.Reason.TIMED_OUT, tarpit,
        "timed out", null));
    outbox.sendAsync(tarpit, "t1");
    assertTrue(outbox.sendAsync(tarpit, "t2").isCompletedExceptionally(), "suspect");
    started.get(1).done().completeExceptionally(new SendException(SendException.Reason.REFUSED, tarpit,
        "refused", null));
    now.addAndGet(10_000_000_000L);
    outbox.sendAsync(tarpit, "t3");
    outbox.sendAsync(tarpit, "t4");
    assertEquals(4, startedTo(tarpit), "10 s later: 2 in flight again");
  }

  @Test
  void aDelegateThatThrowsFailsTheReplyAndFreesTheSlot() {
    ReplyOutbox throwing = new ReplyOutbox((to, message) -> {
      throw new IllegalStateException("sender closed");
    }, 1, 0, 1, now::get);
    CompletableFuture<Void> f = throwing.sendAsync(live, "x");
    assertTrue(f.isCompletedExceptionally());
    assertEquals(0, throwing.busy());
  }
}
