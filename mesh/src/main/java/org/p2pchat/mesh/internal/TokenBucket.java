package org.p2pchat.mesh.internal;

/** A token bucket refilled from the times the caller passes in: rate tokens a second, up to burst. */
public final class TokenBucket {
  private final double ratePerMilli;
  private final double burst;
  private double tokens;
  private long last;

  public TokenBucket(int perSecond, int burst, long now) {
    this.ratePerMilli = perSecond / 1000.0;
    this.burst = burst;
    this.tokens = burst;
    this.last = now;
  }

  /** Takes one token if there is one. */
  public boolean tryTake(long now) {
    if (now > last) {
      tokens = Math.min(burst, tokens + (now - last) * ratePerMilli);
      last = now;
    }
    if (tokens >= 1) {
      tokens -= 1;
      return true;
    }
    return false;
  }
}
