package org.p2pchat.bench.internal;

import java.util.Collection;

/**
 * How busy the rest of the machine was during a measured run: the 1-minute load average at its end
 * and the CPU used by processes other than the benchmark's own (this JVM, its drivers and targets),
 * as a share of all CPUs. Immutable.
 *
 * @param load1 the 1-minute load average at the end of the run (ours included), or -1 if unknown
 * @param otherCpuPercent others' CPU over the run, 100 = every CPU busy all along, or -1 if unknown
 * @param threshold the share of others' CPU above which the run counts as disturbed
 */
public record Disturbance(double load1, double otherCpuPercent, double threshold) {
  /** Others may use this share of the machine before a run counts as disturbed (0.3 CPU of 2). */
  public static final double DEFAULT_THRESHOLD = 15.0;
  /** Nothing measured: an undisturbed run (used for figures that take no machine time, e.g. in tests). */
  public static final Disturbance NONE = new Disturbance(-1, -1, DEFAULT_THRESHOLD);

  public boolean disturbed() {
    return otherCpuPercent > threshold;
  }

  /** e.g. {@code load 3.27, other CPU 41%}. */
  public String describe() {
    return (load1 < 0 ? "load unknown" : Format.num("load %.2f", load1)) + ", "
        + (otherCpuPercent < 0 ? "other CPU unknown" : Format.num("other CPU %.0f%%", otherCpuPercent));
  }

  /** The worst of several runs' disturbances (a figure made of them is as disturbed as its worst run). */
  public static Disturbance worst(Collection<Disturbance> runs) {
    Disturbance worst = NONE;
    for (Disturbance d : runs) {
      if (d.otherCpuPercent > worst.otherCpuPercent || (d.otherCpuPercent == worst.otherCpuPercent
          && d.load1 > worst.load1)) {
        worst = d;
      }
    }
    return worst;
  }

  /** The worse of two. */
  public Disturbance and(Disturbance other) {
    return worst(java.util.List.of(this, other));
  }
}
