package org.p2pchat.server.internal;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * One token bucket per key (a source address): {@code perSecond} tokens a second, at most {@code burst}
 * saved up. A key whose bucket is full again holds no state, so the map only holds sources that spent
 * tokens lately; it is also capped ({@code maxKeys}), beyond which the fullest buckets are forgotten
 * (a forgotten source starts full: the cap can only err towards admitting). The clock is passed in.
 * Thread-safe.
 */
final class TokenBuckets<K> {
  private static final long NANOS = 1_000_000_000L;

  private final double perSecond;
  private final double burst;
  private final int maxKeys;
  private final LongSupplier nanoClock;
  private final Map<K, Bucket> buckets = new HashMap<>();

  private static final class Bucket {
    double tokens;
    long at;
  }

  TokenBuckets(double perSecond, double burst, int maxKeys, LongSupplier nanoClock) {
    if (!(perSecond > 0) || !(burst >= 1)) {
      throw new IllegalArgumentException("a token bucket needs a positive rate and a burst of at least 1, got "
          + perSecond + "/s, burst " + burst);
    }
    this.perSecond = perSecond;
    this.burst = burst;
    this.maxKeys = maxKeys;
    this.nanoClock = nanoClock;
  }

  /** Takes one token from {@code key}'s bucket; false (nothing taken) if it is empty. */
  synchronized boolean tryTake(K key) {
    long now = nanoClock.getAsLong();
    Bucket bucket = buckets.get(key);
    double tokens = bucket == null ? burst : level(bucket, now);
    if (tokens < 1) {
      return false;
    }
    if (bucket == null) {
      if (buckets.size() >= maxKeys) {
        forgetFull(now);
      }
      bucket = new Bucket();
      buckets.put(key, bucket);
    }
    bucket.tokens = tokens - 1;
    bucket.at = now;
    return true;
  }

  /** Sources holding state now (for tests of the bound). */
  synchronized int tracked() {
    return buckets.size();
  }

  private double level(Bucket bucket, long now) {
    double refill = (now - bucket.at) * perSecond / NANOS;
    return Math.min(burst, bucket.tokens + Math.max(0, refill));
  }

  /** Drops every bucket that has refilled; if none has, the whole map (errs towards admitting). */
  private void forgetFull(long now) {
    Iterator<Bucket> it = buckets.values().iterator();
    while (it.hasNext()) {
      if (level(it.next(), now) >= burst) {
        it.remove();
      }
    }
    if (buckets.size() >= maxKeys) {
      buckets.clear();
    }
  }
}
