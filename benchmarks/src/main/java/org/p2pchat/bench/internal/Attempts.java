package org.p2pchat.bench.internal;

import java.io.PrintStream;

/**
 * Redoes a measured run while the machine was busy during it: at most {@code tries} times, and only
 * while the budget allows; keeps the least disturbed attempt.
 */
public final class Attempts {
  private Attempts() {}

  /** One measured run. */
  public interface Run<T> {
    T run() throws Exception;
  }

  /** A run's value, the disturbance it saw and how many tries it took. */
  public record Outcome<T>(T value, Disturbance disturbance, int tries) {}

  public static <T> Outcome<T> measure(String what, BenchContext ctx, int tries, Run<T> run) throws Exception {
    Outcome<T> best = null;
    for (int attempt = 1; attempt <= tries; attempt++) {
      MachineMonitor.Mark mark = ctx.monitor().mark();
      T value = run.run();
      Disturbance d = ctx.monitor().since(mark);
      if (best == null || d.otherCpuPercent() < best.disturbance().otherCpuPercent()) {
        best = new Outcome<>(value, d, attempt);
      }
      if (!d.disturbed()) {
        break;
      }
      PrintStream log = ctx.progress();
      if (attempt < tries && ctx.budget().canRetry()) {
        log.printf("%s: machine busy (%s), measuring again (%d/%d)%n", what, d.describe(), attempt + 1, tries);
      } else {
        log.printf("%s: machine busy (%s), no more retries%n", what, d.describe());
        break;
      }
    }
    return best;
  }
}
