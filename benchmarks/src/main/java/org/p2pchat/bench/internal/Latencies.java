package org.p2pchat.bench.internal;

import java.util.Arrays;

/** Percentiles of a set of latencies (nearest-rank). */
public final class Latencies {
  private final long[] sorted;

  public Latencies(long[] nanos) {
    this.sorted = nanos.clone();
    Arrays.sort(sorted);
  }

  public int count() {
    return sorted.length;
  }

  /** The {@code p}-th percentile (0 < p <= 100), in microseconds. */
  public double percentileMicros(double p) {
    if (sorted.length == 0) {
      throw new IllegalStateException("no latencies");
    }
    int rank = (int) Math.ceil(p / 100 * sorted.length);
    return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))] / 1e3;
  }
}
