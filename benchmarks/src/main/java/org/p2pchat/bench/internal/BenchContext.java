package org.p2pchat.bench.internal;

import java.io.PrintStream;

/**
 * What every benchmark gets: the settings, where to put results, where to log progress, the machine
 * monitor, the run's time budget and the C programs (built once, on first use).
 */
public final class BenchContext {
  private final Settings settings;
  private final Results results;
  private final PrintStream progress;
  private final MachineMonitor monitor;
  private final Budget budget;
  private CBuild.Outcome c;

  public BenchContext(Settings settings, Results results, PrintStream progress, MachineMonitor monitor,
      Budget budget) {
    this.settings = settings;
    this.results = results;
    this.progress = progress;
    this.monitor = monitor;
    this.budget = budget;
  }

  public Settings settings() {
    return settings;
  }

  public Results results() {
    return results;
  }

  public PrintStream progress() {
    return progress;
  }

  public MachineMonitor monitor() {
    return monitor;
  }

  public Budget budget() {
    return budget;
  }

  /** Redo a disturbed run at most this many times in all. */
  public int tries() {
    return 3;
  }

  /** The C floors and driver, built with gcc under OUT/c on first call. */
  public synchronized CBuild.Outcome c() {
    if (c == null) {
      long start = System.nanoTime();
      c = CBuild.build(settings.out().resolve("c"));
      if (c.programs().isPresent()) {
        progress.printf("bench: C floors built with gcc in %.1f s%n", (System.nanoTime() - start) / 1e9);
      } else {
        progress.println("bench: C floors not built: " + c.problem() + "; their comparisons are skipped");
        results.note("C floors skipped: " + c.problem());
      }
    }
    return c;
  }
}
