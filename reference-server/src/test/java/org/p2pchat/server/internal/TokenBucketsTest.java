package org.p2pchat.server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TokenBucketsTest {
  private final AtomicLong now = new AtomicLong(5_000_000_000L);

  @Test
  void aBurstThenTheRate() {
    TokenBuckets<String> buckets = new TokenBuckets<>(2, 4, 100, now::get);
    for (int i = 0; i < 4; i++) {
      assertTrue(buckets.tryTake("a"), "token " + i + " of the burst");
    }
    assertFalse(buckets.tryTake("a"), "the burst is spent");
    assertTrue(buckets.tryTake("b"), "another key has its own bucket");
    now.addAndGet(499_000_000L);
    assertFalse(buckets.tryTake("a"), "under half a second refills less than one token at 2/s");
    now.addAndGet(1_000_000L);
    assertTrue(buckets.tryTake("a"), "half a second refills one token at 2/s");
    assertFalse(buckets.tryTake("a"));
    now.addAndGet(60_000_000_000L);
    for (int i = 0; i < 4; i++) {
      assertTrue(buckets.tryTake("a"), "refilled to the burst, token " + i);
    }
    assertFalse(buckets.tryTake("a"), "never beyond the burst");
  }

  @Test
  void failedTakesDoNotSpendTheRefill() {
    TokenBuckets<String> buckets = new TokenBuckets<>(1, 1, 100, now::get);
    assertTrue(buckets.tryTake("a"));
    for (int i = 0; i < 10; i++) {
      now.addAndGet(99_000_000L);
      assertFalse(buckets.tryTake("a"));
    }
    now.addAndGet(10_000_000L);
    assertTrue(buckets.tryTake("a"), "refused attempts cost nothing: one second after the take, a token");
  }

  @Test
  void stateIsBounded() {
    TokenBuckets<Integer> buckets = new TokenBuckets<>(1, 1, 10, now::get);
    for (int i = 0; i < 10; i++) {
      assertTrue(buckets.tryTake(i));
    }
    assertEquals(10, buckets.tracked());
    now.addAndGet(1_000_000_000L);
    assertTrue(buckets.tryTake(10));
    assertEquals(1, buckets.tracked(), "the refilled buckets are forgotten when the map is full");
    assertFalse(buckets.tryTake(10), "the new key's bucket is kept");
    for (int i = 11; i < 20; i++) {
      assertTrue(buckets.tryTake(i));
    }
    assertEquals(10, buckets.tracked());
    assertTrue(buckets.tryTake(20), "full of empty buckets: forgotten, erring towards admitting");
    assertEquals(1, buckets.tracked());
  }

  @Test
  void badSettingsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new TokenBuckets<String>(0, 1, 1, now::get));
    assertThrows(IllegalArgumentException.class, () -> new TokenBuckets<String>(1, 0.5, 1, now::get));
  }
}
