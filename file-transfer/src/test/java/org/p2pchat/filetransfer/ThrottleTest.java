package org.p2pchat.filetransfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Token bucket and per-peer round robin, driven by a simulated clock. */
class ThrottleTest {
  private static final long SECOND = 1_000_000_000L;

  @Test
  void bucketStartsFullThenRefillsAtItsRate() {
    TokenBucket b = new TokenBucket(1000, 500, 0);
    assertTrue(b.tryTake(500, 0));
    assertFalse(b.tryTake(1, 0));
    assertEquals(100_000_000L, b.nanosUntil(100, 0)); // 100 bytes at 1000 B/s
    assertFalse(b.tryTake(100, 99_999_999L));
    assertTrue(b.tryTake(100, 100_000_000L));
    assertEquals(500, b.available(10 * SECOND), "never more than the burst");
    assertThrows(IllegalArgumentException.class, () -> b.tryTake(501, 0));
  }

  @Test
  void bucketHoldsTheRateOverTime() {
    TokenBucket b = new TokenBucket(1_000_000, 100_000, 0);
    long sent = 0;
    for (long t = 0; t <= 10 * SECOND; t += SECOND / 1000) {
      while (b.tryTake(10_000, t)) {
        sent += 10_000;
      }
    }
    // 10 s at 1 MB/s plus the initial burst, never more.
    assertTrue(sent <= 10_000_000 + 100_000, "sent " + sent);
    assertTrue(sent >= 10_000_000 - 10_000, "sent " + sent);
  }

  @Test
  void twoTransfersToOnePeerShareTheBandwidthFairly() {
    long rate = 4 * 1024 * 1024;
    int chunk = 174_900; // about one 128 KiB chunk as a message
    PeerThrottle throttle = new PeerThrottle(rate, chunk, 0);
    throttle.add("big");
    throttle.add("small");
    Map<String, Long> sent = new HashMap<>();
    long t = 0;
    long end = 20 * SECOND;
    while (t < end) {
      Optional<String> who = throttle.next(id -> true, chunk, t);
      if (who.isPresent()) {
        sent.merge(who.get(), (long) chunk, Long::sum);
      } else {
        t += Math.max(1, throttle.nanosUntil(chunk, t));
      }
    }
    long big = sent.get("big");
    long small = sent.get("small");
    assertTrue(Math.abs(big - small) <= chunk, big + " vs " + small);
    assertTrue(big + small <= rate * 20 + chunk, "total within the rate: " + (big + small));
    assertTrue(big + small >= rate * 20 - 2L * chunk, "the rate is used: " + (big + small));
  }

  @Test
  void aTransferWithNothingToSendDoesNotHoldUpTheOther() {
    PeerThrottle throttle = new PeerThrottle(1_000_000, 1000, 0);
    throttle.add("waiting-for-ack");
    throttle.add("ready");
    assertEquals(Optional.of("ready"), throttle.next(id -> id.equals("ready"), 100, 0));
    assertEquals(Optional.of("ready"), throttle.next(id -> id.equals("ready"), 100, 0));
    throttle.remove("ready");
    assertEquals(Optional.empty(), throttle.next(id -> id.equals("ready"), 100, 0));
  }

  @Test
  void whenTheBucketIsShortTheWaitingTransferKeepsItsTurn() {
    PeerThrottle throttle = new PeerThrottle(1000, 100, 0);
    throttle.add("a");
    throttle.add("b");
    assertEquals(Optional.of("a"), throttle.next(id -> true, 100, 0));
    assertEquals(Optional.empty(), throttle.next(id -> true, 100, 0)); // b's turn, bucket empty
    assertEquals(Optional.of("b"), throttle.next(id -> true, 100, SECOND / 10));
    assertEquals(Optional.of("a"), throttle.next(id -> true, 100, 2 * SECOND / 10));
  }
}
