package org.p2pchat.bench.internal;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Pins the measured process and the load driver to different CPUs (with taskset) when the machine has
 * two or more, so neither steals the other's CPU and the target's CPU time is its own work.
 */
public final class Cpus {
  public static final int DRIVER_CPU = 0;
  public static final int TARGET_CPU = 1;
  private static final boolean CAN_PIN = Runtime.getRuntime().availableProcessors() >= 2 && tasksetRuns();

  private Cpus() {}

  public static boolean canPin() {
    return CAN_PIN;
  }

  /** The command prefix that starts a program on {@code cpu}, or nothing if we cannot pin. */
  public static List<String> on(int cpu) {
    return CAN_PIN ? List.of("taskset", "-c", Integer.toString(cpu)) : List.of();
  }

  /**
   * Moves every thread of a running process to {@code cpu}; threads it starts later inherit that. Done
   * after start-up, so a JVM sizes its pools for the machine, as it would when deployed.
   */
  public static void pin(long pid, int cpu) throws IOException {
    if (!CAN_PIN) {
      return;
    }
    try {
      Process p = new ProcessBuilder("taskset", "-a", "-p", "-c", Integer.toString(cpu), Long.toString(pid))
          .redirectErrorStream(true).start();
      String said = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IOException("taskset could not pin pid " + pid + ": " + said.strip());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  private static boolean tasksetRuns() {
    try {
      Process p = new ProcessBuilder("taskset", "-p", Long.toString(ProcessHandle.current().pid()))
          .redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
