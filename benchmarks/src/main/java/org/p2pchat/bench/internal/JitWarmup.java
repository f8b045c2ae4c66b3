package org.p2pchat.bench.internal;

import java.time.Duration;

/**
 * Warms a Java target until its JIT is quiet: rounds of load until its compiler threads used at most
 * {@link #QUIET_SHARE} of its CPU in one round, or the time allowed ran out. A run measured while the JIT
 * is still compiling charges compilation to every message: a cost a long-running peer or server pays once.
 */
final class JitWarmup {
  /** The compiler threads' share of the target's CPU in a round, at or under which the JIT is quiet. */
  static final double QUIET_SHARE = 0.05;

  /** One round of load. */
  interface Round {
    void run() throws Exception;
  }

  /** How the warm-up ended: rounds run, seconds, the compilers' share of the last round, quiet or not. */
  record Outcome(int rounds, double seconds, double lastShare, boolean quiet) {
    String describe() {
      return Format.num("%.0f s", seconds) + " of warm-up, " + rounds + " rounds; the JIT used "
          + Format.num("%.0f %%", lastShare * 100) + " of the CPU in the last" + (quiet ? "" : " (still compiling)");
    }
  }

  private JitWarmup() {}

  static Outcome untilQuiet(ChildProcess target, Duration max, Round round) throws Exception {
    return untilQuiet(target, max, 1, round);
  }

  /**
   * As above, but quiet only after {@code quietRounds} quiet rounds in a row: rounds that take turns at several
   * loads (1, 4, 16, 64 senders) must each have been quiet once.
   */
  static Outcome untilQuiet(ChildProcess target, Duration max, int quietRounds, Round round) throws Exception {
    long start = System.nanoTime();
    int rounds = 0;
    int quietInARow = 0;
    double share = 1;
    while (true) {
      long cpu = target.cpuNanos();
      long jit = ProcFs.compilerNanos(target.pid());
      round.run();
      rounds++;
      share = share(cpu, target.cpuNanos(), jit, ProcFs.compilerNanos(target.pid()));
      double seconds = (System.nanoTime() - start) / 1e9;
      quietInARow = share <= QUIET_SHARE ? quietInARow + 1 : 0;
      if (quietInARow >= quietRounds && rounds >= 2) {
        return new Outcome(rounds, seconds, share, true);
      }
      if (seconds >= max.toMillis() / 1e3) {
        return new Outcome(rounds, seconds, share, false);
      }
    }
  }

  /** The compilers' share of {@code target}'s CPU between two readings; 0 when no CPU was used. */
  static double share(long cpuBefore, long cpuAfter, long jitBefore, long jitAfter) {
    long used = cpuAfter - cpuBefore;
    return used <= 0 ? 0 : (double) (jitAfter - jitBefore) / used;
  }
}
