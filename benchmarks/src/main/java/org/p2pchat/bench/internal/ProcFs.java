package org.p2pchat.bench.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** What Linux's /proc says about a process: resident memory and CPU time. */
public final class ProcFs {
  private static final long CLOCK_TICKS = clockTicks();

  private ProcFs() {}

  /** VmRSS of {@code pid}, in KiB. */
  public static long rssKb(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"), StandardCharsets.UTF_8)) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    throw new IOException("no VmRSS in /proc/" + pid + "/status");
  }

  /** utime + stime of {@code pid}, in nanoseconds (resolution one clock tick, usually 10 ms). */
  public static long cpuNanos(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.UTF_8);
    // The command name (field 2) may hold spaces and parentheses: count fields after the last ')'.
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
    long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    return ticks * TimeUnit.SECONDS.toNanos(1) / CLOCK_TICKS;
  }

  /**
   * utime + stime of the JIT compiler threads of JVM {@code pid} (HotSpot's "C1/C2 CompilerThreadN", named
   * "C1 CompilerThre" in /proc), in nanoseconds; 0 when there are none or they cannot be read.
   */
  public static long jitNanos(long pid) {
    long ticks = 0;
    try (java.nio.file.DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid),
        "task"))) {
      for (Path task : tasks) {
        try {
          String stat = Files.readString(task.resolve("stat"), StandardCharsets.UTF_8);
          String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
          if (name.matches("C[12] CompilerThre.*")) {
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
            ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
          }
        } catch (IOException | RuntimeException e) {
          // the thread ended meanwhile
        }
      }
    } catch (IOException | RuntimeException e) {
      return 0;
    }
    return ticks * TimeUnit.SECONDS.toNanos(1) / CLOCK_TICKS;
  }

  /**
   * A machine-wide TCP counter from /proc/net/netstat (e.g. {@code ListenOverflows}, {@code TCPSynRetrans}),
   * or -1 if unknown.
   */
  public static long tcpExt(String counter) {
    try {
      List<String> lines = Files.readAllLines(Path.of("/proc/net/netstat"), StandardCharsets.US_ASCII);
      for (int i = 0; i + 1 < lines.size(); i++) {
        if (lines.get(i).startsWith("TcpExt:") && lines.get(i + 1).startsWith("TcpExt:")) {
          String[] names = lines.get(i).split("\\s+");
          String[] values = lines.get(i + 1).split("\\s+");
          for (int k = 1; k < Math.min(names.length, values.length); k++) {
            if (names[k].equals(counter)) {
              return Long.parseLong(values[k]);
            }
          }
        }
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }

  /** Clock ticks a second (the unit of /proc CPU times). */
  public static long clockTicksPerSecond() {
    return CLOCK_TICKS;
  }

  /** utime + stime + cutime + cstime of {@code pid} in clock ticks (its reaped children included), or -1. */
  public static long treeTicks(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.UTF_8);
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
      return Long.parseLong(fields[11]) + Long.parseLong(fields[12]) + Long.parseLong(fields[13])
          + Long.parseLong(fields[14]);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** The whole machine's memory, in KiB, or -1 if unknown. */
  public static long memTotalKb() {
    try {
      List<String> lines = Files.readAllLines(Path.of("/proc/meminfo"), StandardCharsets.UTF_8);
      for (String line : lines) {
        if (line.startsWith("MemTotal:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }

  private static long clockTicks() {
    try {
      Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
      if (p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0) {
        return Long.parseLong(out);
      }
    } catch (IOException | NumberFormatException e) {
      // Fall through to Linux's usual value.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 100;
  }
}
