package org.p2pchat.mesh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.p2pchat.mesh.internal.SeenCache;
import org.p2pchat.mesh.internal.TokenBucket;

class SeenCacheTest {
  @Test
  void remembersWithinTheTtlAndForgetsAfter() {
    SeenCache cache = new SeenCache(10, 1_000);
    assertTrue(cache.firstSighting("a", 0));
    assertFalse(cache.firstSighting("a", 999));
    assertTrue(cache.firstSighting("a", 1_000));
  }

  @Test
  void isBoundedInSizeForgettingTheOldestFirst() {
    SeenCache cache = new SeenCache(3, 60_000);
    for (String k : new String[] {"a", "b", "c", "d"}) {
      cache.firstSighting(k, 0);
    }
    assertEquals(3, cache.size());
    assertFalse(cache.contains("a", 0));
    assertTrue(cache.contains("d", 0));
  }

  @Test
  void tokenBucketAllowsTheBurstThenTheRate() {
    TokenBucket bucket = new TokenBucket(10, 20, 0);
    int taken = 0;
    for (int i = 0; i < 100; i++) {
      if (bucket.tryTake(0)) {
        taken++;
      }
    }
    assertEquals(20, taken);
    assertFalse(bucket.tryTake(50));
    assertTrue(bucket.tryTake(100));
  }
}
