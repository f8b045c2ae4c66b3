package org.p2pchat.bench.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Measures how busy the rest of the machine is while a run goes on: the machine's busy CPU time from
 * /proc/stat (user, nice, system, steal; not interrupts, which loopback TCP bills to no process) less
 * the CPU of this JVM and its descendants (their {@code utime+stime+cutime+cstime}: children that ended
 * and were reaped count in ours). Linux only; elsewhere every figure is unknown and no run is disturbed.
 */
public final class MachineMonitor {
  private final double threshold;

  public MachineMonitor(double thresholdPercent) {
    this.threshold = thresholdPercent;
  }

  /** A point in time to measure from. */
  public record Mark(long nanos, long machineTicks, long ourTicks) {}

  public Mark mark() {
    return new Mark(System.nanoTime(), machineBusyTicks(), ourTicks());
  }

  /** Others' CPU and the load average from {@code start} to now. */
  public Disturbance since(Mark start) {
    Mark end = mark();
    double load = load1();
    if (start.machineTicks < 0 || end.machineTicks < 0 || start.ourTicks < 0 || end.ourTicks < 0) {
      return new Disturbance(load, -1, threshold);
    }
    double elapsedTicks = (end.nanos - start.nanos) / 1e9 * ProcFs.clockTicksPerSecond()
        * Runtime.getRuntime().availableProcessors();
    if (elapsedTicks <= 0) {
      return new Disturbance(load, -1, threshold);
    }
    long others = (end.machineTicks - start.machineTicks) - (end.ourTicks - start.ourTicks);
    return new Disturbance(load, otherPercent(others, elapsedTicks), threshold);
  }

  /** Others' busy ticks as a share of all CPUs' ticks, clamped to 0..100 (tick counts jitter). */
  static double otherPercent(long otherTicks, double elapsedCpuTicks) {
    return Math.max(0, Math.min(100, otherTicks * 100.0 / elapsedCpuTicks));
  }

  public static double load1() {
    try {
      return Double.parseDouble(Files.readString(Path.of("/proc/loadavg"), StandardCharsets.US_ASCII).trim()
          .split("\\s+")[0]);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** user + nice + system + steal of the {@code cpu} line of /proc/stat, or -1. */
  static long machineBusyTicks() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/stat"), StandardCharsets.US_ASCII)) {
        if (line.startsWith("cpu ")) {
          return busyTicksOf(line);
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }

  /** Parses a /proc/stat {@code cpu} line: user nice system idle iowait irq softirq steal ... */
  static long busyTicksOf(String cpuLine) {
    String[] f = cpuLine.trim().split("\\s+");
    return Long.parseLong(f[1]) + Long.parseLong(f[2]) + Long.parseLong(f[3])
        + (f.length > 8 ? Long.parseLong(f[8]) : 0);
  }

  /** CPU ticks of this JVM (reaped children included) and of every live descendant, or -1. */
  static long ourTicks() {
    List<Long> pids = new ArrayList<>();
    pids.add(ProcessHandle.current().pid());
    ProcessHandle.current().descendants().forEach(p -> pids.add(p.pid()));
    long sum = 0;
    for (long pid : pids) {
      long ticks = ProcFs.treeTicks(pid);
      if (ticks < 0 && pid == ProcessHandle.current().pid()) {
        return -1;
      }
      sum += Math.max(0, ticks);
    }
    return sum;
  }
}
