package org.p2pchat.filetransfer;

/**
 * A token bucket over bytes with injected time: {@code rate} bytes a second, up to {@code burst} saved. One per
 * peer; every file chunk to that peer takes its encoded size from it, chat messages take nothing, so a transfer
 * can never fill the link and starve chat. Not thread-safe; times are monotonic nanoseconds from the caller.
 */
public final class TokenBucket {
  private static final long NANOS = 1_000_000_000L;
  private final long rate;
  private final long burst;
  private double tokens;
  private long last;

  /** A full bucket at time {@code nowNanos}. */
  public TokenBucket(long bytesPerSecond, long burst, long nowNanos) {
    if (bytesPerSecond < 1 || burst < 1) {
      throw new IllegalArgumentException("rate and burst must be positive");
    }
    this.rate = bytesPerSecond;
    this.burst = burst;
    this.tokens = burst;
    this.last = nowNanos;
  }

  /** Takes {@code bytes} if the bucket holds them now; false (taking nothing) otherwise. */
  public boolean tryTake(long bytes, long nowNanos) {
    if (bytes > burst) {
      throw new IllegalArgumentException(bytes + " bytes can never fit a bucket of " + burst);
    }
    refill(nowNanos);
    if (tokens < bytes) {
      return false;
    }
    tokens -= bytes;
    return true;
  }

  /** Nanoseconds from {@code nowNanos} until {@code bytes} can be taken: 0 when they can now. */
  public long nanosUntil(long bytes, long nowNanos) {
    refill(nowNanos);
    if (tokens >= bytes) {
      return 0;
    }
    return (long) Math.ceil((bytes - tokens) * NANOS / rate);
  }

  /** Tokens available at {@code nowNanos}, rounded down. */
  public long available(long nowNanos) {
    refill(nowNanos);
    return (long) tokens;
  }

  private void refill(long now) {
    if (now > last) {
      tokens = Math.min(burst, tokens + (double) (now - last) * rate / NANOS);
      last = now;
    }
  }
}
